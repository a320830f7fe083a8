// Labelled 28×28 grey images, kept as bytes (MNIST's 60,000 training images are 47 MB;
// a float copy would be 188 MB), read from IDX files and served as shuffled mini-batches.
#pragma once

#include "matrix.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace digitpad {

constexpr int kImageSide = 28;
constexpr int kImagePixels = kImageSide * kImageSide;
constexpr int kClasses = 10;

struct Dataset {
    std::vector<std::uint8_t> images;  // size() × 784, row-major, 0 = background, 255 = ink
    std::vector<std::uint8_t> labels;  // size() labels in 0..9
    std::string name;                  // where it came from, for reports and model metadata

    std::size_t size() const { return labels.size(); }
    std::span<const std::uint8_t> image(std::size_t i) const {
        return {images.data() + i * kImagePixels, kImagePixels};
    }
};

class IdxError : public std::runtime_error {
public:
    enum class Kind { cannot_open, bad_magic, bad_dimensions, truncated, trailing_data, count_mismatch, bad_label };
    IdxError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

// Reads an IDX image file (magic 0x00000803, N × 28 × 28) and an IDX label file
// (magic 0x00000801, N labels), each gzip-compressed or raw. Throws IdxError.
Dataset load_idx(const std::filesystem::path& images_file, const std::filesystem::path& labels_file);

// The four MNIST files in `dir`, under their usual names (.gz or not, "-idx3-" or ".idx3-").
enum class MnistPart { train, test };
Dataset load_mnist(const std::filesystem::path& dir, MnistPart part);
bool has_mnist(const std::filesystem::path& dir);

// Writes the images and labels as raw IDX files (atomically, each).
void save_idx(const Dataset& data, const std::filesystem::path& images_file, const std::filesystem::path& labels_file);

// The first `count` images (or fewer), for quick runs.
Dataset take(const Dataset& data, std::size_t count);

// The last `count` images (or fewer).
Dataset last(const Dataset& data, std::size_t count);

// Splits off `holdout` images chosen by a seeded shuffle: {rest, held out}.
std::pair<Dataset, Dataset> split_holdout(const Dataset& data, std::size_t holdout, std::uint64_t seed);

// Seeded shuffled mini-batches: a new permutation every epoch; the last batch may be short.
class BatchSampler {
public:
    BatchSampler(std::size_t samples, std::size_t batch_size, std::uint64_t seed);
    void shuffle();  // call at the start of every epoch
    std::size_t batch_count() const { return (order_.size() + batch_size_ - 1) / batch_size_; }
    std::span<const std::uint32_t> batch(std::size_t k) const;

private:
    std::vector<std::uint32_t> order_;
    std::size_t batch_size_;
    std::uint64_t state_;
};

// Copies the chosen images into X (B × 784, pixel/255) and their labels into y.
void gather_batch(const Dataset& data, std::span<const std::uint32_t> indices, Matrix& X,
                  std::vector<std::uint8_t>& y);

// The same into rows first_row… of X and y, which already have room for them.
void gather_rows(const Dataset& data, std::span<const std::uint32_t> indices, Matrix& X,
                 std::vector<std::uint8_t>& y, std::size_t first_row);

}  // namespace digitpad
