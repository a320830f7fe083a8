#include "cli.h"

#include "model_io.h"

#include <QFileInfo>

#include <cstdio>
#include <cstdlib>

namespace digitpad::cli {

void fail(const std::string& message) {
    std::fprintf(stderr, "digitpad-cli: %s\n", message.c_str());
    std::exit(1);
}

int to_int(const QString& text, const char* option, int min) {
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < min) fail(std::string("--") + option + " needs a whole number ≥ " + std::to_string(min) + ", not '" +
                            text.toStdString() + "'");
    return v;
}

void check_writable_destination(const QString& out) {
    const QFileInfo file(out);
    const QFileInfo folder(file.absolutePath());
    if (!folder.isDir()) fail("--out " + out.toStdString() + ": the folder " + folder.filePath().toStdString() + " does not exist");
    if (!folder.isWritable()) fail("--out " + out.toStdString() + ": the folder " + folder.filePath().toStdString() + " is not writable");
    if (file.isDir()) fail("--out " + out.toStdString() + " is a folder");
}

void print_confusion(const Evaluation& e) {
    std::printf("confusion matrix (rows: true digit, columns: predicted)\n     ");
    for (int p = 0; p < kClasses; ++p) std::printf("%6d", p);
    std::printf("\n");
    for (int t = 0; t < kClasses; ++t) {
        std::printf("%4d ", t);
        for (int p = 0; p < kClasses; ++p) std::printf("%6u", e.confusion[t][p]);
        std::printf("\n");
    }
}

Dataset load_part(const QString& dir, MnistPart part) {
    try {
        return load_mnist(dir.toStdString(), part);
    } catch (const std::exception& e) {
        fail(e.what());
    }
}

Model load_or_fail(const QString& path) {
    try {
        return read_model(path);
    } catch (const std::exception& e) {
        fail(path.toStdString() + ": " + e.what());
    }
}

}  // namespace digitpad::cli
