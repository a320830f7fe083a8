// digitpad-cli export: a model as an ONNX graph, for ONNX Runtime, PyTorch and other tools.
#include "cli.h"

#include "model_io.h"
#include "onnx_file.h"

#include <QCommandLineParser>

#include <cstdio>

namespace digitpad::cli {

int export_model(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Export a model as an ONNX graph (opset 13): input 'input' float32 [N, 784] in [0, 1], "
                                "output 'probabilities' float32 [N, 10], the model's metadata as metadata properties.");
    p.addHelpOption();
    p.addOptions({{"model", "The model to export (default: the built-in model).", "file"},
                  {"format", "The format to write: onnx.", "format", "onnx"},
                  {"out", "Where to write it.", "file.onnx"}});
    p.process(args);
    if (!p.isSet("out")) fail("export needs --out FILE.onnx");
    if (p.value("format") != "onnx") fail("--format " + p.value("format").toStdString() + ": export writes onnx");
    check_writable_destination(p.value("out"));
    const QString in = p.isSet("model") ? p.value("model") : kDefaultModelPath;
    const Model model = load_or_fail(in);
    save_onnx(p.value("out").toStdString(), model.network, model.info);
    std::printf("exported %s (%s) to %s\n", p.isSet("model") ? qPrintable(in) : "the built-in model",
                qPrintable(layer_sizes_text(model.network)), qPrintable(p.value("out")));
    if (model.network.deskew() > 0)
        std::printf("its graph starts at the first layer: deskew each input first by %.0f%% of its slant "
                    "(the metadata's 'deskew'; docs/file-formats.md)\n",
                    100 * model.network.deskew());
    return 0;
}

}  // namespace digitpad::cli
