// One SIMD register of floats: sixteen with AVX-512, eight with AVX, four otherwise (what
// the file including it is compiled for), written with GCC's vector extension so that
// hand-tiled loops keep their tiles in registers. Only kernels.cpp includes it, once per
// instruction set, each time in that set's own namespace (DIGITPAD_KERNELS_NS): no function
// compiled for one set can stand in for another's at link time. Compiled with
// -ffp-contract=fast so that a·b + c is one FMA.
#pragma once

#include <cstddef>
#include <cstring>

#ifndef DIGITPAD_KERNELS_NS
#error "lanes.h is for kernels.cpp, compiled once per instruction set with DIGITPAD_KERNELS_NS"
#endif

namespace digitpad::DIGITPAD_KERNELS_NS {

#if defined(__AVX512F__)
using Lanes = float __attribute__((vector_size(64)));
#elif defined(__AVX__)
using Lanes = float __attribute__((vector_size(32)));
#else
using Lanes = float __attribute__((vector_size(16)));
#endif
constexpr int kLanes = static_cast<int>(sizeof(Lanes) / sizeof(float));

// Vector registers the build's instruction set names: 32 with AVX-512, 16 with AVX and SSE.
// A tile whose sums, loads and broadcast need more spills them to the stack every step.
#if defined(__AVX512F__)
constexpr int kRegisters = 32;
#else
constexpr int kRegisters = 16;
#endif

// The instruction set this copy of the kernels is compiled for, as Kernels names it.
#if defined(__AVX512F__)
constexpr const char* kInstructionSet = "AVX-512";
#elif defined(__AVX2__)
constexpr const char* kInstructionSet = "AVX2";
#elif defined(__AVX__)
constexpr const char* kInstructionSet = "AVX";
#else
constexpr const char* kInstructionSet = "SSE2";
#endif

// s in every lane. (Not Vec{} + s: 0 + s is not s for s = -0, so GCC keeps a scalar add.)
template <typename Vec>
inline Vec broadcast(float s) {
    return s - Vec{};
}

// Unaligned load and store of a Lanes, or of a single float when Vec is float.
template <typename Vec>
inline Vec load(const float* p) {
    Vec v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

template <typename Vec>
inline void store(float* p, const Vec& v) {
    std::memcpy(p, &v, sizeof v);
}

// Width in floats of a tile of V Vecs.
template <typename Vec, int V>
constexpr std::ptrdiff_t tile_width = V * static_cast<std::ptrdiff_t>(sizeof(Vec) / sizeof(float));

// Calls tile.template operator()<Vec, V>(c) over the columns [c0, c0 + n): tiles of
// Widest Lanes (4: 64 floats with AVX-512) while they fit, then of 1 Lanes, then single floats.
template <int Widest = 4, typename Tile>
void for_each_tile(std::ptrdiff_t c0, std::ptrdiff_t n, Tile tile) {
    const std::ptrdiff_t end = c0 + n;
    std::ptrdiff_t c = c0;
    if constexpr (Widest > 1)
        for (; c + tile_width<Lanes, Widest> <= end; c += tile_width<Lanes, Widest>)
            tile.template operator()<Lanes, Widest>(c);
    for (; c + tile_width<Lanes, 1> <= end; c += tile_width<Lanes, 1>) tile.template operator()<Lanes, 1>(c);
    for (; c < end; ++c) tile.template operator()<float, 1>(c);
}

}  // namespace digitpad::DIGITPAD_KERNELS_NS
