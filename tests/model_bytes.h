// Model files edited byte by byte for tests and fuzzing, through the documented format
// (docs/file-formats.md): the checksum recomputed so that the parser behind it is
// reached, the metadata block replaced.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace digitpad::testing {

// Rewrites the last four bytes as the CRC-32 of everything before them.
inline void fix_crc(std::vector<std::uint8_t>& bytes) {
    if (bytes.size() < 4) return;
    const auto n = bytes.size() - 4;
    const std::uint32_t crc = static_cast<std::uint32_t>(crc32(0, bytes.data(), static_cast<uInt>(n)));
    std::memcpy(bytes.data() + n, &crc, 4);
}

// The same model with `meta` as its metadata block (a well-formed file: sizes and CRC fixed).
inline std::vector<std::uint8_t> with_metadata(const std::vector<std::uint8_t>& model, const std::string& meta) {
    auto u32 = [&](std::size_t at) {
        std::uint32_t v;
        std::memcpy(&v, model.data() + at, 4);
        return v;
    };
    const std::uint32_t layers = u32(12);
    const std::size_t meta_at = 16 + 4 * (layers + 1) + layers;  // magic, version, m, sizes, activations
    const std::uint32_t old_size = u32(meta_at);
    std::vector<std::uint8_t> out(model.begin(), model.begin() + static_cast<std::ptrdiff_t>(meta_at));
    const auto size = static_cast<std::uint32_t>(meta.size());
    out.insert(out.end(), reinterpret_cast<const std::uint8_t*>(&size), reinterpret_cast<const std::uint8_t*>(&size) + 4);
    out.insert(out.end(), meta.begin(), meta.end());
    out.insert(out.end(), model.begin() + static_cast<std::ptrdiff_t>(meta_at + 4 + old_size), model.end());
    fix_crc(out);
    return out;
}

}  // namespace digitpad::testing
