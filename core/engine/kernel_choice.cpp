// Which copy of kernels.cpp runs: the widest instruction set the CPU has among those the build
// compiled (core/CMakeLists.txt defines DIGITPAD_KERNELS_<SET> for each).
#include "kernels.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <stdexcept>
#include <string>

namespace digitpad {

#define DIGITPAD_DECLARE_KERNELS(ns) \
    namespace ns {                   \
    extern const Kernels table;      \
    }
#ifdef DIGITPAD_KERNELS_NATIVE
DIGITPAD_DECLARE_KERNELS(native)
#endif
#ifdef DIGITPAD_KERNELS_AVX512
DIGITPAD_DECLARE_KERNELS(avx512)
#endif
#ifdef DIGITPAD_KERNELS_AVX2
DIGITPAD_DECLARE_KERNELS(avx2)
#endif
#ifdef DIGITPAD_KERNELS_SSE2
DIGITPAD_DECLARE_KERNELS(sse2)
#endif
#undef DIGITPAD_DECLARE_KERNELS

namespace {

// The CPU features each set was compiled with (its flags in core/CMakeLists.txt); a native
// build has neither set.
[[maybe_unused]] bool has_avx2() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

[[maybe_unused]] bool has_avx512() {
#if defined(__x86_64__) || defined(__i386__)
    return has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

struct Compiled {
    const Kernels* kernels;
    bool (*runs)();
};

const auto compiled = std::to_array<Compiled>({
#ifdef DIGITPAD_KERNELS_NATIVE
    {&native::table, [] { return true; }},  // built for the machine it runs on
#endif
#ifdef DIGITPAD_KERNELS_AVX512
    {&avx512::table, has_avx512},
#endif
#ifdef DIGITPAD_KERNELS_AVX2
    {&avx2::table, has_avx2},
#endif
#ifdef DIGITPAD_KERNELS_SSE2
    {&sse2::table, [] { return true; }},  // the x86-64 baseline
#endif
});

const std::array<const Kernels*, compiled.size()> compiled_list = [] {
    std::array<const Kernels*, compiled.size()> list{};
    std::transform(compiled.begin(), compiled.end(), list.begin(), [](const Compiled& c) { return c.kernels; });
    return list;
}();

const Kernels& widest() {
    static const Kernels* const choice = [] {
        for (const Compiled& c : compiled)
            if (c.runs()) return c.kernels;
        return compiled.back().kernels;
    }();
    return *choice;
}

std::atomic<const Kernels*> chosen{nullptr};

}  // namespace

std::span<const Kernels* const> compiled_kernels() { return compiled_list; }

const Kernels* kernels_named(std::string_view instruction_set) {
    const auto k = std::find_if(compiled_list.begin(), compiled_list.end(),
                                [&](const Kernels* set) { return instruction_set == set->instruction_set; });
    return k == compiled_list.end() ? nullptr : *k;
}

bool cpu_runs(const Kernels& k) {
    return std::any_of(compiled.begin(), compiled.end(), [&](const Compiled& c) { return c.kernels == &k && c.runs(); });
}

const Kernels& kernels() {
    const Kernels* k = chosen.load(std::memory_order_relaxed);
    return k ? *k : widest();
}

void use_kernels(const Kernels* k) {
    if (k && !cpu_runs(*k)) throw std::invalid_argument(std::string("this CPU can't run the ") + k->instruction_set + " kernels");
    chosen.store(k, std::memory_order_relaxed);
}

}  // namespace digitpad
