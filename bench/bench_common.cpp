#include "bench.h"

#include "engine/kernels.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

namespace digitpad::bench {

namespace {

// The CPU this runs on and the vector width the kernels were built for, e.g. "AMD EPYC 7B13
// (family 25, model 1); AVX2 kernels: 8 floats a register, 16 registers". Every table names it.
std::string machine() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line, name = "unknown CPU", family, model;
    auto value = [&] { return line.substr(line.find(':') + 2); };
    while (std::getline(cpuinfo, line) && line.find("model name") != 0) {
        if (line.find("cpu family") == 0) family = value();
        if (line.find("model\t") == 0) model = value();
    }
    if (line.find("model name") == 0) name = value();
    char text[256];
    const Kernels& k = kernels();
    std::snprintf(text, sizeof text, "%s (family %s, model %s); %s kernels: %d floats a register, %d registers",
                  name.c_str(), family.c_str(), model.c_str(), k.instruction_set, k.lanes, k.registers);
    return text;
}

}  // namespace

void table(const char* title) {
    static const std::string cpu = machine();
    std::printf("\n== %s ==\n   on %s\n", title, cpu.c_str());
}

Dataset synthetic(std::size_t n) {
    std::mt19937_64 rng(1);
    Dataset d;
    d.name = "synthetic";
    for (std::size_t i = 0; i < n * kImagePixels; ++i) d.images.push_back(static_cast<std::uint8_t>(rng()));
    for (std::size_t i = 0; i < n; ++i) d.labels.push_back(static_cast<std::uint8_t>(rng() % 10));
    return d;
}

pid_t start_competitor(bool memory_bound) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        if (memory_bound) {
            std::vector<std::uint64_t> buffer(std::size_t{32} << 20, 1);  // 256 MB
            for (std::uint64_t k = 0;; ++k)
                for (std::size_t i = 0; i < buffer.size(); i += 8) buffer[i] += k;
        }
        for (std::uint64_t k = 0;; ++k) sink = static_cast<float>(k);
    }
    return pid;
}

void stop_competitor(pid_t pid) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

}  // namespace digitpad::bench
