// The ONNX reader on any bytes (seeded with DigitPad's own graphs): protobuf's parser first,
// then the walk over the graph's nodes, tensors and shapes (core/onnx_file.cpp).
#include "model_file.h"
#include "onnx_file.h"

#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const digitpad::Model model = digitpad::parse_onnx(std::span<const std::uint8_t>(data, size));
        // What was read can be written and read again, to the same network.
        const auto bytes = digitpad::serialize_onnx(model.network, model.info);
        if (digitpad::parse_onnx(bytes).network.sizes() != model.network.sizes()) __builtin_trap();
    } catch (const digitpad::ModelFileError&) {
    }
    return 0;
}
