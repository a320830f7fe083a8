// DigitPad's ONNX files checked by the tools that read them, not by DigitPad: ONNX Runtime
// (onnxruntime-node, tools/get-onnxruntime.sh) runs the exported built-in model on 1,000 MNIST
// test digits and must give DigitPad's own predict, digit for digit and within 1e-5; ONNX's
// checker (python3-onnx) passes on the file; and a graph PyTorch exports (python3-torch) is
// imported and reads as PyTorch does. Each skips with a message where its tool is absent.
#include "dataset.h"
#include "model_io.h"
#include "onnx_file.h"
#include "teach.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <numeric>

using namespace digitpad;

namespace {

constexpr std::size_t kDigits = 1000;

// 1,000 digits as the graph's input rows (values in [0, 1]): MNIST test where ../shared has
// it, else the app's built-in check digits (MNIST training scans and UNIPEN drawings).
Matrix thousand_digits(std::string& name) {
    const Dataset data = has_mnist(DIGITPAD_MNIST_DIR) ? load_mnist(DIGITPAD_MNIST_DIR, MnistPart::test)
                                                        : builtin_rehearsal().check;
    name = data.name;
    std::vector<std::uint32_t> indices(std::min(kDigits, data.size()));
    std::iota(indices.begin(), indices.end(), 0u);
    Matrix X;
    std::vector<std::uint8_t> labels;
    gather_batch(data, indices, X, labels);
    return X;
}

void write_floats(const QString& path, const float* data, std::size_t count) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(float)));
    QVERIFY(out.good());
}

Matrix read_rows(const QString& path, Eigen::Index rows, Eigen::Index cols) {
    Matrix m(rows, cols);
    std::ifstream in(path.toStdString(), std::ios::binary | std::ios::ate);
    if (static_cast<std::size_t>(in.tellg()) != m.size() * sizeof(float)) return {};
    in.seekg(0);
    in.read(reinterpret_cast<char*>(m.data()), static_cast<std::streamsize>(m.size() * sizeof(float)));
    return m;
}

// Runs a program to its end; its output (both streams) in `output`.
bool run(const QString& program, const QStringList& args, QString& output,
         const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool finished = p.waitForFinished(120'000);
    output = QString::fromUtf8(p.readAll()).trimmed();
    return finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// Debian's python3 first: python3-onnx and python3-torch are installed for it.
QString debian_python() {
    const QString p = QStandardPaths::findExecutable("python3", {"/usr/bin"});
    return p.isEmpty() ? QStandardPaths::findExecutable("python3") : p;
}

bool python_has(const QString& module) {
    QString out;
    return !debian_python().isEmpty() && run(debian_python(), {"-c", "import " + module}, out);
}

QString script(const char* name) { return QStringLiteral(DIGITPAD_SOURCE_DIR "/tests/onnx/") + name; }

// Every row's digit the same and every probability within `tolerance`.
void compare_predictions(const Network& net, const Matrix& X, const Matrix& theirs, float tolerance) {
    QCOMPARE(theirs.rows(), X.rows());
    float worst = 0;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        const std::vector<float> ours = net.predict(std::span<const float>(X.row(i).data(), kImagePixels));
        const auto row = theirs.row(i);
        const auto our_digit = std::max_element(ours.begin(), ours.end()) - ours.begin();
        Eigen::Index their_digit;
        row.maxCoeff(&their_digit);
        if (our_digit != their_digit)
            QFAIL(qPrintable(QString("row %1: DigitPad reads %2, the other tool %3").arg(i).arg(our_digit).arg(their_digit)));
        for (int k = 0; k < 10; ++k) worst = std::max(worst, std::abs(ours[static_cast<std::size_t>(k)] - row(k)));
    }
    qInfo("%d rows: the same digit in every one, largest probability difference %.2g", static_cast<int>(X.rows()),
          static_cast<double>(worst));
    QVERIFY2(worst <= tolerance, qPrintable(QString("a probability differs by %1").arg(worst)));
}

}  // namespace

class TestOnnxConsumers : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    Model builtin_;
    QString exported_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        builtin_ = read_model(kDefaultModelPath);
        exported_ = dir_.filePath("builtin.onnx");
        save_onnx(exported_.toStdString(), builtin_.network, builtin_.info);
    }

    void onnx_runtime_reads_what_digitpad_reads() {
        const QString runtime = QStringLiteral(DIGITPAD_ONNXRUNTIME_DIR "/node_modules/onnxruntime-node");
        if (QStandardPaths::findExecutable("node").isEmpty()) QSKIP("node is not installed (Debian's nodejs, with npm)");
        if (!QFileInfo::exists(runtime + "/package.json"))
            QSKIP("onnxruntime-node is not installed at " DIGITPAD_ONNXRUNTIME_DIR " (tools/get-onnxruntime.sh)");
        std::string name;
        const Matrix X = thousand_digits(name);
        qInfo("%d digits of %s", static_cast<int>(X.rows()), name.c_str());
        write_floats(dir_.filePath("input.f32"), X.data(), static_cast<std::size_t>(X.size()));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("NODE_PATH", QStringLiteral(DIGITPAD_ONNXRUNTIME_DIR "/node_modules"));
        QString output;
        QVERIFY2(run("node", {script("run_onnxruntime.js"), exported_, dir_.filePath("input.f32"), dir_.filePath("output.f32")},
                     output, env),
                 qPrintable(output));
        qInfo("%s", qPrintable(output));
        compare_predictions(builtin_.network, X, read_rows(dir_.filePath("output.f32"), X.rows(), 10), 1e-5f);
    }

    void onnx_checker_passes() {
        if (!python_has("onnx")) QSKIP("python3-onnx is not installed (tools/setup.sh --test installs it)");
        QString output;
        QVERIFY2(run(debian_python(), {script("check_model.py"), exported_}, output), qPrintable(output));
        QVERIFY2(output.contains("onnx.checker: ok"), qPrintable(output));
    }

    // The acceptance's "a graph PyTorch made": exported by torch.onnx.export itself (Gemm
    // nodes, weights stored [out, in]), imported, and read as PyTorch reads it.
    void a_graph_pytorch_exported_is_imported() {
        if (!python_has("torch")) QSKIP("python3-torch is not installed: the PyTorch-made graph is not checked");
        std::string name;
        const Matrix X = thousand_digits(name).topRows(200);
        write_floats(dir_.filePath("torch-input.f32"), X.data(), static_cast<std::size_t>(X.size()));
        const QString graph = dir_.filePath("torch.onnx");
        QString output;
        QVERIFY2(run(debian_python(), {script("torch_export.py"), graph, dir_.filePath("torch-input.f32"),
                                       dir_.filePath("torch-output.f32")},
                     output),
                 qPrintable(output));
        qInfo("%s", qPrintable(output));
        const Model imported = read_model(graph);
        QCOMPARE(imported.network.sizes(), (std::vector<int>{784, 64, 32, 10}));
        compare_predictions(imported.network, X, read_rows(dir_.filePath("torch-output.f32"), X.rows(), 10), 1e-5f);
    }
};

QTEST_GUILESS_MAIN(TestOnnxConsumers)
#include "test_onnx_consumers.moc"
