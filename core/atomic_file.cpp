#include "atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <string>
#include <unistd.h>

namespace digitpad {

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::filesystem::path hidden = path.filename();
    hidden += ".XXXXXX";
    std::string tmp = (dir / hidden).string();
    const int fd = mkstemp(tmp.data());
    if (fd < 0) throw SaveError("cannot save " + path.string() + ": " + std::strerror(errno));

    auto fail = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw SaveError("cannot save " + path.string() + ": " + what + ": " + std::strerror(err));
    };
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = ENOSPC;
            fail("write failed");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0) fail("chmod failed");
    if (::fsync(fd) != 0) fail("flush to disk failed");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw SaveError("cannot save " + path.string() + ": close failed: " + std::strerror(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw SaveError("cannot save " + path.string() + ": rename failed: " + std::strerror(err));
    }
}

}  // namespace digitpad
