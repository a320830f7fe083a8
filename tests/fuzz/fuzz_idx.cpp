// The IDX reader on any bytes, as the image file beside a valid label file and as the label
// file beside a valid image file. Built twice: raw, and with GZIP, the bytes compressed
// first, so that the reader behind zlib (and its size checks) meets them.
#include "dataset.h"
#include "fuzz_input.h"

#include <zlib.h>

#include <cstdint>
#include <vector>

namespace {

std::vector<std::uint8_t> as_stored(const std::uint8_t* data, std::size_t size) {
#ifdef GZIP
    uLongf packed = compressBound(static_cast<uLong>(size)) + 32;
    std::vector<std::uint8_t> out(packed);
    z_stream z{};
    deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // the gzip wrapper
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = static_cast<uInt>(size);
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
#else
    return {data, data + size};
#endif
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto valid_images = [] {
        digitpad::Dataset one;
        one.images.assign(digitpad::kImagePixels, 9);
        one.labels = {3};
        const auto images = digitpad::fuzzing::scratch_file("valid-images");
        const auto labels = digitpad::fuzzing::scratch_file("valid-labels");
        digitpad::save_idx(one, images, labels);
        return std::pair{images, labels};
    }();
    const auto stored = as_stored(data, size);
    const auto input = digitpad::fuzzing::write_input(stored);
    for (int as_labels = 0; as_labels < 2; ++as_labels) {
        try {
            const digitpad::Dataset d = as_labels ? digitpad::load_idx(valid_images.first, input)
                                                  : digitpad::load_idx(input, valid_images.second);
            if (d.images.size() != d.size() * digitpad::kImagePixels) __builtin_trap();
            for (std::uint8_t label : d.labels)
                if (label >= digitpad::kClasses) __builtin_trap();
        } catch (const digitpad::IdxError&) {
        }
    }
    return 0;
}
