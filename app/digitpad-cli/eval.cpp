// digitpad-cli eval: a model's loss, accuracy and confusion matrix on the MNIST test set.
#include "cli.h"

#include "threads.h"

#include <QCommandLineParser>

#include <cstdio>

namespace digitpad::cli {

int eval(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Evaluate a model on the MNIST test set.");
    p.addHelpOption();
    p.addOptions({{"model", "The model file.", "file"},
                  {"data", "Folder holding the MNIST IDX files.", "dir"},
                  {"threads", "Threads for the matrix products (default: all cores).", "t", "0"}});
    p.process(args);
    if (!p.isSet("model") || !p.isSet("data")) fail("eval needs --model MODEL and --data DIR");
    set_compute_threads(to_int(p.value("threads"), "threads", 0));
    const Model model = load_or_fail(p.value("model"));
    const Dataset test_set = load_part(p.value("data"), MnistPart::test);
    const Evaluation e = evaluate(model.network, test_set);
    std::printf("test images: %zu\nloss: %.4f\naccuracy: %.2f%%\n", e.samples, e.loss, 100.0 * e.accuracy);
    print_confusion(e);
    return 0;
}

}  // namespace digitpad::cli
