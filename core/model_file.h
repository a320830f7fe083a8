// The model file: a small header, the parameters as raw float32, a CRC-32 (format in docs/file-formats.md).
#pragma once

#include "network.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace digitpad {

constexpr std::uint32_t kModelFormatVersion = 1;
// What a model file can hold: up to 64 layers of weights, each layer up to 65,536 units.
constexpr std::uint32_t kMaxLayers = 64;
constexpr std::uint32_t kMaxLayerSize = 1u << 16;

// What a person wants to know about where a model came from.
struct ModelInfo {
    std::string dataset;         // e.g. "mnist (train)"
    std::uint32_t epochs = 0;
    double test_accuracy = -1;   // in [0, 1]; negative when never measured
    std::string created;         // ISO 8601 date and time, UTC
    std::uint64_t seed = 0;
    std::string recipe;          // optimizer, η, batch, ... as free text
};

struct Model {
    Network network;
    ModelInfo info;
};

class ModelFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The metadata as the model file holds it: one "key=value" line for each field of ModelInfo,
// and "deskew=S" and "deskew-trim=T" for a network that deskews its inputs (Network::deskew;
// absent: 0, and for the trim the slant of every row, as files before it was written). Parsing
// checks every value (throws ModelFileError) and ignores keys it doesn't know.
struct Metadata {
    ModelInfo info;
    double deskew = 0, deskew_trim = 0;
};
std::string metadata_text(const ModelInfo& info, const Network& net);
Metadata parse_metadata(const std::string& text);
// Throws ModelFileError when a parameter is NaN or infinite: every reader of a model file
// (parse_model, parse_onnx) checks it before the model is used.
void check_finite(const Network& net);

std::vector<std::uint8_t> serialize_model(const Network& net, const ModelInfo& info);
// Throws ModelFileError with a reason a person can act on; never trusts a size field
// before checking it against the bytes that are really there.
Model parse_model(std::span<const std::uint8_t> bytes);

// Atomic: a failed save leaves any previous file at `path` intact (throws SaveError).
void save_model(const std::filesystem::path& path, const Network& net, const ModelInfo& info);
Model load_model(const std::filesystem::path& path);

// What every consumer of a model (eval, predict, the canvas, --classify-strokes, training)
// needs of it: 28×28 images in [0, 1] in, ten digits out. A well-formed file can hold any
// layer sizes; checked here before use, the kernels never meet one of the wrong shape.
// Throws ModelFileError naming what the model holds and what is needed.
void check_digit_model(const Network& net);

// Why a network of these layer sizes (input first) could not be saved in a model file, or
// nullopt: checked before training, so that no run ends in a file the loader refuses.
std::optional<std::string> unsavable_shape(const std::vector<int>& sizes);

std::string now_iso8601();

}  // namespace digitpad
