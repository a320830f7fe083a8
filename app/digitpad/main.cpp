// DigitPad: draw a digit, watch the network recognise it.
#include "main_window.h"
#include "model_io.h"
#include "stroke_file.h"
#include "version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTextStream>

#include <cstdio>

using namespace digitpad;

int main(int argc, char** argv) {
    // The scripted drawing path, --help and --version show no window: let them run where
    // there is no display.
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        const bool windowless = arg.startsWith("--classify-strokes") || arg == "--help" || arg == "-h" ||
                                arg == "--help-all" || arg == "--version" || arg == "-v";
        if (windowless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    }

    QApplication app(argc, argv);
    QApplication::setOrganizationName("DigitPad");
    QApplication::setApplicationName("DigitPad");
    QApplication::setApplicationVersion(DIGITPAD_VERSION);  // --version and the About box
    QApplication::setDesktopFileName("org.digitpad.DigitPad");  // packaging/: its entry and icon
    QApplication::setWindowIcon(QIcon::fromTheme("org.digitpad.DigitPad"));

    QCommandLineParser parser;
    parser.setApplicationDescription("Draw a digit and watch a neural network recognise it.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({"classify-strokes",
                      "Classify the drawings in a JSON Lines file through the canvas's drawing path, without a window.",
                      "file.jsonl"});
    parser.addOption({"model", "Use this model instead of the built-in one.", "file"});
    parser.addOption({"pen-width", "With --classify-strokes: the pen's width as a share of the canvas (for tuning).",
                      "fraction"});
    parser.addOption({"save-failures", "With --classify-strokes: save what the network saw for each wrong answer.", "dir"});
    parser.addOption({"report", "With --classify-strokes: print the accuracy of every class and the confusion matrix "
                                "(printed anyway, with the worst writers, when the drawings name their writers)."});
    parser.addPositionalArgument("model", "A model to open (.dpm or .onnx), as with --model.", "[model]");
    parser.process(app);

    // `digitpad FILE` (a file manager's "Open With") and `digitpad --model FILE` are one thing.
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1 || (!files.isEmpty() && parser.isSet("model"))) {
        QTextStream(stderr) << "digitpad: one model at a time: " << (parser.isSet("model") ? parser.value("model") + " "
                                                                                              : QString())
                            << files.join(' ') << "\n";
        return 2;
    }
    const QString model = parser.isSet("model") ? parser.value("model") : files.value(0);

    if (parser.isSet("classify-strokes")) {
        QTextStream out(stdout), err(stderr);
        const QString path = model.isEmpty() ? kDefaultModelPath : model;
        try {
            const Model model = read_model(path);
            DrawingPathOptions options;
            if (parser.isSet("pen-width")) options.pen_width = parser.value("pen-width").toDouble();
            if (!(options.pen_width > 0 && options.pen_width < 1)) {
                err << "digitpad: --pen-width is a share of the canvas side, between 0 and 1\n";
                return 2;
            }
            return classify_stroke_file(parser.value("classify-strokes"), model.network, out, err,
                                        parser.value("save-failures"), options, parser.isSet("report"));
        } catch (const std::exception& e) {
            err << "digitpad: cannot use the model " << path << ": " << e.what() << "\n";
            return 2;
        }
    }

    MainWindow window;
    const Model builtIn = read_model(kDefaultModelPath);  // part of the program: cannot be damaged by a user
    window.setModel(std::make_shared<const Network>(builtIn.network), builtIn.info, QObject::tr("Built-in model"));
    if (!model.isEmpty()) window.openModel(model);
    window.show();
    return app.exec();
}
