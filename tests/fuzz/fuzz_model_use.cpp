// Any model, then its use (#17 item 1): whatever parse_model and check_digit_model let
// through must be safe to predict with and to evaluate on a batch, as the canvas, predict,
// eval and --classify-strokes do. The checksum is fixed up so that every shape is reached.
#include "dataset.h"
#include "evaluation.h"
#include "model_bytes.h"
#include "model_file.h"
#include "preprocess.h"

#include <cstdint>
#include <optional>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> bytes(data, data + size);
    digitpad::testing::fix_crc(bytes);
    std::optional<digitpad::Model> read;
    try {
        read.emplace(digitpad::parse_model(bytes));
        digitpad::check_digit_model(read->network);
    } catch (const digitpad::ModelFileError&) {
        return 0;
    }
    digitpad::Dataset batch;
    batch.images.assign(3 * digitpad::kImagePixels, 0);
    for (std::size_t i = 0; i < batch.images.size(); i += 7) batch.images[i] = static_cast<std::uint8_t>(i);
    batch.labels = {1, 7, 9};
    const digitpad::Model& model = *read;
    const digitpad::DigitImage input{};
    const std::vector<float> p = model.network.predict(input);
    if (p.size() != digitpad::kClasses) __builtin_trap();
    const digitpad::Evaluation e = digitpad::evaluate(model.network, batch);
    if (e.samples != 3) __builtin_trap();
    return 0;
}
