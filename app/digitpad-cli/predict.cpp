// digitpad-cli predict: image files through the picture path and a model (the built-in one unless --model).
#include "cli.h"

#include "drawing_classifier.h"
#include "grey_image.h"
#include "model_io.h"
#include "probabilities.h"

#include <QCommandLineParser>
#include <QImage>

#include <cstdio>

namespace digitpad::cli {

int predict(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Classify images (PNG, JPEG, PGM, ...).");
    p.addHelpOption();
    p.addOption({"model", "The model file (default: the built-in model).", "file"});
    p.addPositionalArgument("images", "Image files.", "IMAGE...");
    p.process(args);
    if (p.positionalArguments().isEmpty()) fail("predict needs at least one image file");
    const Model model = load_or_fail(p.isSet("model") ? p.value("model") : kDefaultModelPath);
    int failures = 0;
    for (const QString& file : p.positionalArguments()) {
        const QImage image(file);
        if (image.isNull()) {
            std::fprintf(stderr, "digitpad-cli: %s: not a readable image\n", file.toStdString().c_str());
            ++failures;
            continue;
        }
        const std::optional<DigitImage> input = network_input_from_image(image);
        if (!input) {
            std::printf("%s: no digit (the image is blank)\n", file.toStdString().c_str());
            continue;
        }
        const Probabilities probabilities = predict_digit(model.network, *input);
        std::printf("%s: %d ", file.toStdString().c_str(), best_digit(probabilities));
        for (float q : probabilities) std::printf(" %.4f", q);
        std::printf("\n");
    }
    return failures ? 1 : 0;
}

}  // namespace digitpad::cli
