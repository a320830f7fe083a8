// What the fuzz targets share: the fuzzer's bytes as a file, since the loaders read paths.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <unistd.h>

namespace digitpad::fuzzing {

// A file of this process in the temporary folder, rewritten with every input.
inline std::filesystem::path write_input(std::span<const std::uint8_t> bytes, const char* name = "input") {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("digitpad-fuzz-" + std::to_string(::getpid()) + "-" + name);
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    }
    return path;
}

}  // namespace digitpad::fuzzing
