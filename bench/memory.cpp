// Memory: the peak resident size of a training run, as a separate process.
#include "bench.h"

#include "engine/bf16_products.h"

#include <QFile>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace digitpad::bench {
namespace {

// The child's own high-water mark of resident memory (VmHWM), read while it runs, once it is
// the program (before exec it is a copy of this process; wait4's ru_maxrss counts that too).
long child_peak_rss_kb(const std::vector<std::string>& argv) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        if (!freopen("/dev/null", "w", stdout)) _exit(126);
        execv(args[0], args.data());
        _exit(127);
    }
    const std::string status_file = "/proc/" + std::to_string(pid) + "/status";
    const std::string program = argv[0].substr(argv[0].rfind('/') + 1).substr(0, 15);  // as /proc shows it
    long peak_kb = 0;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::FILE* f = std::fopen(status_file.c_str(), "r")) {
            char line[256], name[64] = "";
            long kb = 0;
            while (std::fgets(line, sizeof line, f)) {
                std::sscanf(line, "Name: %63s", name);
                if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1 && program == name) peak_kb = std::max(peak_kb, kb);
            }
            std::fclose(f);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? peak_kb : -1;
}

}  // namespace

void memory(const Setup& s) {
    const bool mnist = s.mnist;
    const QString& dataDir = s.dataDir;
    if (mnist) {
        for (const char* precision : {"fp32", "bf16"}) {
            if (precision == std::string("bf16") && !bf16_available()) break;
            const long kb = child_peak_rss_kb({DIGITPAD_CLI, "train", "--data", dataDir.toStdString(), "--epochs", "1",
                                               "--precision", precision, "--out", "/tmp/digitpad-bench-model.dpm"});
            std::printf("peak RSS of `digitpad-cli train --precision %s` on the full MNIST, 1 epoch: %.1f MB\n", precision,
                        kb / 1024.0);
        }
        ::unlink("/tmp/digitpad-bench-model.dpm");
    }
}

}  // namespace digitpad::bench
