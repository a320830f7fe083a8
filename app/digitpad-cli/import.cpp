// digitpad-cli import: an ONNX graph of dense layers (DigitPad's own, or PyTorch's) as a model file.
#include "cli.h"

#include "model_io.h"

#include <QCommandLineParser>

#include <cstdio>

namespace digitpad::cli {

int import_model(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Import an ONNX graph as a DigitPad model: dense layers (MatMul + Add, or Gemm), Relu "
                                "between them and Softmax at the end, 784 inputs and 10 classes. Anything else is "
                                "refused, naming the node or shape.");
    p.addHelpOption();
    p.addPositionalArgument("file.onnx", "The ONNX model.");
    p.addOptions({{"format", "The format to read: onnx.", "format", "onnx"},
                  {"out", "Where to save the model.", "file.dpm"}});
    p.process(args);
    if (p.positionalArguments().size() != 1 || !p.isSet("out")) fail("import needs an ONNX file and --out MODEL");
    if (p.value("format") != "onnx") fail("--format " + p.value("format").toStdString() + ": import reads onnx");
    const QString in = p.positionalArguments().front();
    if (!is_onnx_path(in)) fail(in.toStdString() + ": an ONNX model's name ends in .onnx");
    check_writable_destination(p.value("out"));
    const Model model = load_or_fail(in);
    save_model(p.value("out").toStdString(), model.network, model.info);
    std::printf("imported %s (%s) to %s\n", qPrintable(in), qPrintable(layer_sizes_text(model.network)),
                qPrintable(p.value("out")));
    return 0;
}

}  // namespace digitpad::cli
