// Writing a file so that readers see either the old content or the new, never a mix.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>

namespace digitpad {

class SaveError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Writes `bytes` to a temporary file beside `path`, flushes it to disk, then renames it
// over `path`. On any failure the temporary file is removed, `path` is untouched, and
// SaveError says why (for example "No space left on device").
void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace digitpad
