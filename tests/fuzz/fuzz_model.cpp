// The model reader on any bytes. Built twice: as they come (the signature, the sizes and the
// CRC stand first in the way), and with FIX_CRC, the checksum recomputed so that the parser
// behind it, the metadata and the parameters, is reached.
#include "model_bytes.h"
#include "model_file.h"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> bytes(data, data + size);
#ifdef FIX_CRC
    digitpad::testing::fix_crc(bytes);
#endif
    try {
        const digitpad::Model model = digitpad::parse_model(bytes);
        // What was read can be written and read again, to the same network and facts.
        const digitpad::Model again = digitpad::parse_model(digitpad::serialize_model(model.network, model.info));
        if (again.network.sizes() != model.network.sizes() || again.info.epochs != model.info.epochs ||
            again.info.seed != model.info.seed || again.info.recipe != model.info.recipe)
            __builtin_trap();
    } catch (const digitpad::ModelFileError&) {
    }
    return 0;
}
