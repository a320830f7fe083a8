// digitpad-cli as a person runs it: train, eval and predict, bad input, Ctrl-C.
#include "dataset.h"
#include "idx_writer.h"
#include "model_file.h"
#include "onnx_file.h"
#include "recipe.h"
#include "same_parameters.h"
#include "synthetic_data.h"
#include "stroke_file.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>

using namespace digitpad;

namespace {

struct Run {
    int exit_code;
    QString out, err;
};

// The git revision the source folder is at, as `--version` should name it (empty outside git).
QString source_revision() {
    QProcess git;
    git.start("git", {"-C", DIGITPAD_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
    git.waitForFinished();
    return git.exitCode() == 0 ? QString(git.readAllStandardOutput()).trimmed() : QString();
}

Run cli(const QStringList& args, int timeout_ms = 120000) {
    QProcess p;
    p.start(DIGITPAD_CLI, args);
    p.waitForFinished(timeout_ms);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir data, out;

private slots:
    void initTestCase() {
        testing::write_mnist_part(data.path(), "train", testing::synthetic_digits(1000, 1));
        testing::write_mnist_part(data.path(), "t10k", testing::synthetic_digits(200, 2));
    }

    void train_then_eval() {
        const QString model = out.filePath("m.dpm");
        const Run t = cli({"train", "--data", data.path(), "--epochs", "2", "--hidden", "32", "--batch", "50", "--lr",
                           "0.05", "--out", model});
        QVERIFY2(t.exit_code == 0, qPrintable(t.err));
        QVERIFY(t.out.contains(QRegularExpression("\\n\\s+2\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+%")));
        const Model m = load_model(model.toStdString());
        QCOMPARE(m.network.sizes(), (std::vector<int>{784, 32, 10}));
        QCOMPARE(m.info.epochs, 2u);
        QVERIFY(m.info.test_accuracy > 0.9);

        const Run e = cli({"eval", "--model", model, "--data", data.path()});
        QVERIFY2(e.exit_code == 0, qPrintable(e.err));
        QVERIFY(e.out.contains("accuracy:"));
        QVERIFY(e.out.contains("confusion matrix"));
    }

    void train_on_drawings_beside_the_scans() {
        const QString model = out.filePath("drawn.dpm");
        const QString drawings = DIGITPAD_SOURCE_DIR "/tests/data/hand_drawn.jsonl";  // 10 drawings
        const Run t = cli({"train", "--data", data.path(), "--epochs", "1", "--hidden", "16", "--batch", "20", "--strokes",
                           drawings, "--stroke-copies", "5", "--traced", "1", "--mix", "scans=0.5,strokes=0.3,traced=0.2",
                           "--test-strokes", drawings, "--out", model});
        QVERIFY2(t.exit_code == 0, qPrintable(t.err));
        // 1,000 scans, 50 renderings of the drawings, 1,000 renderings of the traced scans;
        // every batch of 20: 10 scans, 6 drawings, 4 traced.
        QVERIFY2(t.out.contains("50 renderings of drawings (hand_drawn.jsonl), 6 of every 20"), qPrintable(t.out));
        QVERIFY2(t.out.contains("1000 renderings of traced scans"), qPrintable(t.out));
        QVERIFY2(t.out.contains("10 of every 20"), qPrintable(t.out));
        QVERIFY(t.out.contains("drawn acc"));
        const Model m = load_model(model.toStdString());
        QVERIFY(QString::fromStdString(m.info.recipe).contains("strokes=hand_drawn.jsonl copies=5"));
        QVERIFY(QString::fromStdString(m.info.recipe).contains("traced=1 mix=0.5,0.3,0.2"));
        QVERIFY(QString::fromStdString(m.info.dataset).contains("hand_drawn.jsonl"));

        const Run bad = cli({"train", "--data", data.path(), "--strokes", out.filePath("none.jsonl"), "--out", model});
        QCOMPARE(bad.exit_code, 1);
        QVERIFY2(bad.err.contains("none.jsonl"), qPrintable(bad.err));
        const Run badMix = cli({"train", "--data", data.path(), "--mix", "strokes=1", "--out", model});
        QCOMPARE(badMix.exit_code, 1);
        QVERIFY2(badMix.err.contains("not a source of this run"), qPrintable(badMix.err));
    }

    void bad_input_fails_with_a_message_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no data") << QStringList{"train", "--out", "x"} << "--data";
        QTest::newRow("missing folder") << QStringList{"train", "--data", "/nonexistent", "--out", "x"} << "no train-images";  // the first file it looks for
        QTest::newRow("bad lr") << QStringList{"train", "--data", ".", "--lr", "fast", "--out", "x"} << "--lr";
        QTest::newRow("bad optimizer") << QStringList{"train", "--data", ".", "--optimizer", "magic", "--out", "x"}
                                       << "unknown optimizer";
        QTest::newRow("unknown command") << QStringList{"fly"} << "unknown command";
        QTest::newRow("missing model") << QStringList{"predict", "--model", "/nonexistent.dpm", "x.png"} << "cannot open";
        // What would end a run without a saved model is refused before the data is read
        // (the data folder here does not exist: the message is about the recipe).
        const QStringList no_data{"train", "--data", "/nonexistent", "--out", "x.dpm"};
        QTest::newRow("layer past the file format") << no_data + QStringList{"--hidden", "65537"}
                                                    << "layer 1 has 65537 units; a model file holds 1 to 65536";
        QStringList deep;
        for (int i = 0; i < 64; ++i) deep << "4";
        QTest::newRow("65 layers") << no_data + QStringList{"--hidden", deep.join(',')}
                                   << "a network has 1 to 64 layers of weights, not 65";
        QTest::newRow("more memory than any machine") << no_data + QStringList{"--hidden", "65536,65536,65536,65536,65536,65536,65536,65536"}
                                                      << "of memory; this machine has";
        QTest::newRow("deskew past 1") << no_data + QStringList{"--deskew", "2"} << "a share of the slant from 0 to 1, not 2";
        QTest::newRow("deskew a word") << no_data + QStringList{"--deskew", "half"} << "--deskew needs";
        QTest::newRow("deskew trim of half") << no_data + QStringList{"--deskew", "0.5", "--deskew-trim", "0.5"}
                                             << "without a share of the ink from 0 to under 0.5 at each end, not 0.5";
        QTest::newRow("hidden 0") << no_data + QStringList{"--hidden", "0"} << "(or none, for no hidden layer)";
        QTest::newRow("hidden typo") << no_data + QStringList{"--hidden", "80o"} << "not '80o'";
        QTest::newRow("out in a missing folder") << QStringList{"train", "--data", "/nonexistent", "--out", "/nonexistent/m.dpm"}
                                                 << "the folder /nonexistent does not exist";
    }
    void bad_input_fails_with_a_message() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = cli(args);
        QVERIFY(r.exit_code != 0);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // --deskew trains a network that keeps its share: in the file and in its recipe line.
    void a_deskewed_run_saves_a_deskewing_model() {
        const QString model = out.filePath("deskewed.dpm");
        const Run r = cli({"train", "--data", data.path(), "--epochs", "1", "--hidden", "none", "--deskew", "0.5", "--out", model});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const Model m = load_model(model.toStdString());
        QCOMPARE(m.network.deskew(), 0.5);
        QCOMPARE(m.network.deskew_trim(), kDeskewTrim);  // the slant measured as the recipes do
        QVERIFY2(QString::fromStdString(m.info.recipe).contains(" deskew=0.5 deskew_trim=0.2"), m.info.recipe.c_str());
        const QString every_row = out.filePath("every-row.dpm");
        QCOMPARE(cli({"train", "--data", data.path(), "--epochs", "1", "--hidden", "none", "--deskew", "0.5", "--deskew-trim",
                      "0", "--out", every_row})
                     .exit_code,
                 0);
        QCOMPARE(load_model(every_row.toStdString()).network.deskew_trim(), 0.0);
        // A run that does not deskew writes neither key.
        const QString plain = out.filePath("not-deskewed.dpm");
        QCOMPARE(cli({"train", "--data", data.path(), "--epochs", "1", "--hidden", "none", "--out", plain}).exit_code, 0);
        QFile file(plain);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("deskew"));
    }

    // Nothing to train on is refused, not trained into a random model labelled with epochs.
    void no_training_images_is_refused() {
        QTemporaryDir empty;
        testing::write_mnist_part(empty.path(), "train", testing::synthetic_digits(0, 1));
        testing::write_mnist_part(empty.path(), "t10k", testing::synthetic_digits(20, 2));
        const QString model = out.filePath("empty.dpm");
        Run r = cli({"train", "--data", empty.path(), "--out", model});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("no training images left"), qPrintable(r.err));
        r = cli({"train", "--data", data.path(), "--holdout", "1000000", "--out", model});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("no training images left"), qPrintable(r.err));
        QVERIFY(!QFile::exists(model));
        r = cli({"train", "--data", data.path(), "--epochs", "1", "--hidden", "none", "--out", model});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QCOMPARE(load_model(model.toStdString()).network.sizes(), (std::vector<int>{784, 10}));
    }

    void a_model_of_the_wrong_shape_is_refused_before_use_data() {
        QTest::addColumn<QList<int>>("sizes");
        QTest::newRow("1-1") << QList<int>{1, 1};
        QTest::newRow("784-2") << QList<int>{784, 2};
        QTest::newRow("784-800-9") << QList<int>{784, 800, 9};
        QTest::newRow("5-10") << QList<int>{5, 10};
        QTest::newRow("2000-10") << QList<int>{2000, 10};
    }
    void a_model_of_the_wrong_shape_is_refused_before_use() {
        QFETCH(QList<int>, sizes);
        const Network net(std::vector<int>(sizes.begin(), sizes.end()), 1);
        const QString path = out.filePath(QString("shape-%1.dpm").arg(QTest::currentDataTag()));
        save_model(path.toStdString(), net, {});
        QImage digit(28, 28, QImage::Format_Grayscale8);
        digit.fill(0);
        const QString png = out.filePath("digit.png");
        QVERIFY(digit.save(png));
        const QString holds = QString("maps %1 inputs to %2 classes").arg(sizes.front()).arg(sizes.back());
        for (const QStringList& args : {QStringList{"eval", "--model", path, "--data", data.path()},
                                        QStringList{"predict", "--model", path, png}}) {
            const Run r = cli(args);
            QCOMPARE(r.exit_code, 1);
            QVERIFY2(r.err.contains(holds) && r.err.contains("needs 784 inputs"), qPrintable(r.err));
        }
    }

    void devices_pipes_and_folders_are_refused_at_once() {
        const QString fifo = out.filePath("pipe");
        QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
        for (const QString& path : {QString("/dev/zero"), fifo, out.path()}) {
            QElapsedTimer clock;
            clock.start();
            const Run r = cli({"eval", "--model", path, "--data", data.path()}, 10000);
            QCOMPARE(r.exit_code, 1);
            QVERIFY2(r.err.contains("not a file") || r.err.contains("a folder"), qPrintable(r.err));
            QVERIFY(clock.elapsed() < 5000);
        }
        // A data folder whose training images are a pipe: refused, not waited on.
        QTemporaryDir piped;
        for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                 "t10k-labels-idx1-ubyte"})
            QVERIFY(::mkfifo(piped.filePath(name).toLocal8Bit().constData(), 0600) == 0);
        const Run t = cli({"train", "--data", piped.path(), "--out", out.filePath("never.dpm")}, 10000);
        QCOMPARE(t.exit_code, 1);
        QVERIFY2(t.err.contains("a device or a pipe"), qPrintable(t.err));
        // And the app's own reader of drawings.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, read_stroke_file("/dev/zero"));
    }

    void corrupt_model_is_refused() {
        const QString path = out.filePath("corrupt.dpm");
        testing::write_file(path, {'D', 'I', 'G', 'I', 'T', 'P', 'A', 'D', 1, 0}, false);
        const Run r = cli({"eval", "--model", path, "--data", data.path()});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("truncated"), qPrintable(r.err));
    }

    void predict_reads_drawn_images() {
        // Dark ink on white, much larger than 28×28: goes through preprocessing.
        QImage one(200, 200, QImage::Format_RGB32);
        one.fill(Qt::white);
        QPainter p(&one);
        p.setPen(QPen(Qt::black, 14, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(100, 30, 100, 170);
        p.end();
        const QString png = out.filePath("one.png");
        QVERIFY(one.save(png));
        QImage empty(50, 50, QImage::Format_RGB32);
        empty.fill(Qt::white);
        const QString blank = out.filePath("blank.png");
        QVERIFY(empty.save(blank));
        const Run r = cli({"predict", "--model", DIGITPAD_SOURCE_DIR "/resources/models/default.dpm", png, blank});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QRegularExpression("one\\.png: 1 ( [01]\\.\\d{4}){10}")), qPrintable(r.out));
        QVERIFY2(r.out.contains("blank.png: no digit"), qPrintable(r.out));
    }

    void predict_uses_the_built_in_model_without_model() {
        QImage one(100, 100, QImage::Format_RGB32);
        one.fill(Qt::white);
        QPainter p(&one);
        p.setPen(QPen(Qt::black, 8, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(50, 15, 50, 85);
        p.end();
        QVERIFY(one.save(out.filePath("one-again.png")));
        const Run r = cli({"predict", out.filePath("one-again.png")});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("one-again.png: 1 "), qPrintable(r.out));
    }

    void interrupt_leaves_no_file() {
        const QString model = out.filePath("interrupted.dpm");
        QProcess p;
        p.start(DIGITPAD_CLI, {"train", "--data", data.path(), "--epochs", "100000", "--hidden", "64", "--out", model});
        QByteArray printed;  // the column header is printed when training begins
        QTRY_VERIFY_WITH_TIMEOUT((printed += p.readAllStandardOutput()).contains("samples/s"), 60000);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(QString(p.readAllStandardError()).contains("interrupted"));
        QVERIFY(!QFile::exists(model));
    }

    void version_names_the_git_revision() {
        const Run r = cli({"--version"});
        QCOMPARE(r.exit_code, 0);
        const QString revision = source_revision();
        const QString expected = revision.isEmpty() ? "(no git revision)" : "(git " + revision;
        QVERIFY2(r.out.startsWith("digitpad-cli 0.") && r.out.contains(expected), qPrintable(r.out + " lacks " + expected));
    }

    // export then import gives back the model exported; wrong formats and graphs are refused.
    void export_and_import_onnx() {
        const QString dpm = out.filePath("small.dpm"), onnx = out.filePath("small.onnx"), back = out.filePath("back.dpm");
        const Network net({784, 16, 10}, 5);
        save_model(dpm.toStdString(), net, {"synthetic", 1, 0.5, "2026-12-03T00:00:00Z", 5, "sgd"});
        const Run e = cli({"export", "--model", dpm, "--format", "onnx", "--out", onnx});
        QVERIFY2(e.exit_code == 0, qPrintable(e.err));
        QVERIFY(e.out.contains("784-16-10"));
        const Run i = cli({"import", "--format", "onnx", onnx, "--out", back});
        QVERIFY2(i.exit_code == 0, qPrintable(i.err));
        const Model m = load_model(back.toStdString());
        QVERIFY(testing::same_parameters(m.network, net));
        QCOMPARE(m.info.recipe, std::string("sgd"));
        QVERIFY(!e.out.contains("deskew"));
        // A deskewing model: the export says what a reader of the graph must do, and the
        // imported model deskews as the original did.
        Network deskewing = net;
        deskewing.set_deskew(0.5);
        save_model(dpm.toStdString(), deskewing, {"synthetic", 1, 0.5, "2026-12-03T00:00:00Z", 5, "sgd deskew=0.5"});
        const Run d = cli({"export", "--model", dpm, "--format", "onnx", "--out", onnx});
        QVERIFY2(d.exit_code == 0 && d.out.contains("deskew each input first by 50% of its slant"), qPrintable(d.out + d.err));
        QVERIFY(cli({"import", "--format", "onnx", onnx, "--out", back}).exit_code == 0);
        QCOMPARE(load_model(back.toStdString()).network.deskew(), 0.5);
        save_model(dpm.toStdString(), net, {"synthetic", 1, 0.5, "2026-12-03T00:00:00Z", 5, "sgd"});

        const Run wrong = cli({"export", "--model", dpm, "--format", "tflite", "--out", out.filePath("x.tflite")});
        QCOMPARE(wrong.exit_code, 1);
        QVERIFY2(wrong.err.contains("tflite"), qPrintable(wrong.err));
        const Run not_onnx = cli({"import", "--format", "onnx", dpm, "--out", out.filePath("y.dpm")});
        QVERIFY(not_onnx.exit_code != 0);
        QVERIFY2(not_onnx.err.contains("ONNX"), qPrintable(not_onnx.err));
        QVERIFY(!QFileInfo::exists(out.filePath("y.dpm")));
        QVERIFY(QFile::copy(dpm, out.filePath("disguised.onnx")));
        const Run disguised = cli({"import", "--format", "onnx", out.filePath("disguised.onnx"), "--out", out.filePath("y.dpm")});
        QVERIFY(disguised.exit_code != 0);
        QVERIFY2(disguised.err.contains("not an ONNX model"), qPrintable(disguised.err));
        QVERIFY(!QFileInfo::exists(out.filePath("y.dpm")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
