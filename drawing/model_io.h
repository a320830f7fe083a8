// Models from files and from the app's embedded resources, through the core's model format.
#pragma once

#include "model_file.h"

#include <QString>

namespace digitpad {

// The model shipped inside the app (resources/models/default.dpm).
inline const QString kDefaultModelPath = QStringLiteral(":/models/default.dpm");

// Reads a digit model (check_digit_model) from a file or a Qt resource path: a DigitPad model,
// or an ONNX graph (onnx_file.h) where the name ends in .onnx. Throws ModelFileError naming
// the reason.
Model read_model(const QString& path);
// Saves, atomically, as read_model reads: ONNX where the name ends in .onnx, else a DigitPad
// model (save_model, save_onnx). Throws SaveError.
void write_model(const QString& path, const Network& network, const ModelInfo& info);
bool is_onnx_path(const QString& path);

// "784-800-10"
QString layer_sizes_text(const Network& network);

}  // namespace digitpad
