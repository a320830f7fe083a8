// What the fuzz targets share: the fuzzer's bytes as a file, since the loaders read paths.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <system_error>
#include <unistd.h>

namespace digitpad::fuzzing {

// A file of this process in the temporary folder, removed when the process exits.
inline std::filesystem::path scratch_file(const char* name) {
    struct Removed {
        std::set<std::filesystem::path> paths;
        ~Removed() {
            std::error_code ignored;
            for (const auto& p : paths) std::filesystem::remove(p, ignored);
        }
    };
    static Removed files;
    const auto path = std::filesystem::temp_directory_path() / ("digitpad-fuzz-" + std::to_string(::getpid()) + "-" + name);
    files.paths.insert(path);
    return path;
}

// The fuzzer's bytes in a scratch file, rewritten with every input.
inline std::filesystem::path write_input(std::span<const std::uint8_t> bytes, const char* name = "input") {
    const std::filesystem::path path = scratch_file(name);
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    }
    return path;
}

}  // namespace digitpad::fuzzing
