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

// Writes `bytes` to a temporary file beside `path`, flushes it to disk, renames it over
// `path` and flushes the folder, as a careful editor does: a symbolic link is written
// through to its target (the link stays), an existing file keeps its permissions, a new one
// gets the usual 0666 less the umask. On any failure the temporary file is removed, `path`
// is untouched, and SaveError says why (for example "No space left on device").
void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

// For tests of what every save does when the disk fails: the next save fails at `step` with
// the error a real disk gives there (ENOSPC while writing, EIO while flushing, EXDEV when
// renaming), after doing everything before that step for real.
enum class SaveStep { none, write, flush, rename };
void fail_next_save_at(SaveStep step);

}  // namespace digitpad
