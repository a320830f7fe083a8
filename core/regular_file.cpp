#include "regular_file.h"

namespace digitpad {

std::optional<std::string> not_a_regular_file(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);  // follows symbolic links
    if (ec || !std::filesystem::exists(status)) return "there is no such file";
    if (std::filesystem::is_directory(status)) return "it is a folder, not a file";
    if (!std::filesystem::is_regular_file(status)) return "it is a device or a pipe, not a file";
    return std::nullopt;
}

}  // namespace digitpad
