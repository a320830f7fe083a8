// What the loaders ask of a file before they read it: that it is a regular file. A device
// (/dev/zero) never ends and a pipe may never answer; neither is a model, a data set or a
// file of drawings.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace digitpad {

// Why `path` cannot be read as a file ("there is no such file", "it is a folder", "it is a
// device or a pipe, not a file"), or nullopt when it is a regular file.
std::optional<std::string> not_a_regular_file(const std::filesystem::path& path);

}  // namespace digitpad
