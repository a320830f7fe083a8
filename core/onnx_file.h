// ONNX: the network as a standard graph that other tools run (ONNX Runtime, PyTorch), and
// such a graph back as a DigitPad model (format in docs/file-formats.md, "ONNX").
//
// The graph is the paper's forward pass, one operator per formula: for each layer j,
//   MatMul(out_{j-1}, W_j) → Add(·, b_j) = net_j → Relu = out_j, and Softmax on net_m;
// the input `input` is float32 [N, 784] in [0, 1] (preprocess.h), the output `probabilities`
// float32 [N, 10]. The model's metadata (model_file.h) travels as metadata properties.
#pragma once

#include "model_file.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace digitpad {

// The ONNX opset the exported graph declares (Softmax's axis became per-axis at 13).
constexpr int kOnnxOpset = 13;

std::vector<std::uint8_t> serialize_onnx(const Network& net, const ModelInfo& info);

// Reads a graph of dense layers: MatMul + Add or Gemm (as PyTorch exports nn.Linear), Relu
// between them, Softmax at the end, float32 weights inside the file. Anything else throws
// ModelFileError naming the node, tensor or shape it can't take. The network's sizes are
// checked as a model file's are (unsavable_shape); whether it reads digits is the caller's
// check (check_digit_model).
Model parse_onnx(std::span<const std::uint8_t> bytes);

// Atomic, as save_model (throws SaveError). Reading is the app's read_model (model_io.h).
void save_onnx(const std::filesystem::path& path, const Network& net, const ModelInfo& info);

}  // namespace digitpad
