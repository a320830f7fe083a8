#include "atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace digitpad {
namespace {

std::atomic<SaveStep> g_injected{SaveStep::none};

// True when the injected failure is at `step` (and uses it up), with errno set as a disk would.
bool injected(SaveStep step, int error) {
    SaveStep expected = step;
    if (!g_injected.compare_exchange_strong(expected, SaveStep::none)) return false;
    errno = error;
    return true;
}

// The file a save really replaces: `path`, or where its chain of symbolic links ends.
std::filesystem::path link_target(std::filesystem::path path) {
    for (int hops = 0; hops < 40 && std::filesystem::is_symlink(path); ++hops) {
        const std::filesystem::path to = std::filesystem::read_symlink(path);
        path = to.is_absolute() ? to : path.parent_path() / to;
    }
    return path;
}

// Creates an empty temporary file beside `target`, mode 0666 less the umask like any new file.
int create_temporary(const std::filesystem::path& target, std::string& name) {
    std::random_device seed;
    std::mt19937_64 rng(seed());
    const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
    for (int attempt = 0; attempt < 100; ++attempt) {
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, ".%08llx", static_cast<unsigned long long>(rng() & 0xffffffffu));
        name = (dir / ("." + target.filename().string() + suffix)).string();
        const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    return -1;
}

}  // namespace

void fail_next_save_at(SaveStep step) { g_injected.store(step); }

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
    const std::filesystem::path target = link_target(path);
    std::string tmp;
    const int fd = create_temporary(target, tmp);
    if (fd < 0) throw SaveError("cannot save " + path.string() + ": " + std::strerror(errno));

    auto fail = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw SaveError("cannot save " + path.string() + ": " + what + ": " + std::strerror(err));
    };
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = injected(SaveStep::write, ENOSPC) ? -1 : ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = ENOSPC;
            fail("write failed");
        }
        written += static_cast<std::size_t>(n);
    }
    if (struct stat old{}; ::stat(target.c_str(), &old) == 0 && ::fchmod(fd, old.st_mode & 07777) != 0)
        fail("cannot keep the file's permissions");
    if (injected(SaveStep::flush, EIO) || ::fsync(fd) != 0) fail("flush to disk failed");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw SaveError("cannot save " + path.string() + ": close failed: " + std::strerror(err));
    }
    if (injected(SaveStep::rename, EXDEV) || ::rename(tmp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw SaveError("cannot save " + path.string() + ": rename failed: " + std::strerror(err));
    }
    // The rename is durable only once the folder is on disk too (best effort: the file is saved).
    const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace digitpad
