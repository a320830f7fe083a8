// Writes the fuzzers' seed corpora with the project's own writers: models of the right and
// of wrong shapes (serialize_model, and as ONNX graphs serialize_onnx), IDX image and label
// files (save_idx), and drawings
// (the files of tests/data are copied by tools/fuzz.sh). Usage: fuzz_seeds OUT_DIR
#include "dataset.h"
#include "model_file.h"
#include "onnx_file.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace digitpad;

namespace {

void write(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seeds OUT_DIR\n");
        return 2;
    }
    const std::filesystem::path out = argv[1];
    for (const char* corpus : {"model", "onnx", "idx"}) std::filesystem::create_directories(out / corpus);
    const std::vector<std::vector<int>> shapes{{784, 3, 10}, {784, 10}, {784, 4, 3, 10}, {4, 2}, {784, 2}, {5, 10}, {1, 1}};
    int k = 0;
    for (const auto& sizes : shapes) {
        const ModelInfo info{"seed", 2, 0.5, "2026-12-02T00:00:00Z", 7, "sgd eta=0.1 batch=64"};
        write(out / "model" / ("model-" + std::to_string(k)), serialize_model(Network(sizes, 1), info));
        write(out / "onnx" / ("onnx-" + std::to_string(k++)), serialize_onnx(Network(sizes, 1), info));
    }
    Dataset two;
    two.images.assign(2 * kImagePixels, 0);
    for (std::size_t i = 0; i < two.images.size(); i += 5) two.images[i] = 200;
    two.labels = {4, 9};
    save_idx(two, out / "idx" / "images-2", out / "idx" / "labels-2");
    save_idx(Dataset{}, out / "idx" / "images-0", out / "idx" / "labels-0");
    return 0;
}
