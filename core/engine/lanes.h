// One SIMD register of floats: sixteen with AVX-512, eight with AVX, four otherwise (what
// the build targets, -march=native by default), written with GCC's vector extension so that
// hand-tiled loops keep their tiles in registers. Files using it are compiled with
// -ffp-contract=fast so that a·b + c is one FMA.
#pragma once

#include <Eigen/Core>

#include <cstring>

namespace digitpad {

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

// The instruction set the kernels were compiled for, as benchmarks print it.
#if defined(__AVX512F__)
constexpr const char* kInstructionSet = "AVX-512";
#elif defined(__AVX2__)
constexpr const char* kInstructionSet = "AVX2";
#elif defined(__AVX__)
constexpr const char* kInstructionSet = "AVX";
#else
constexpr const char* kInstructionSet = "SSE";
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
constexpr Eigen::Index tile_width = V * static_cast<Eigen::Index>(sizeof(Vec) / sizeof(float));

// Calls tile.template operator()<Vec, V>(c) over the columns [c0, c0 + n): tiles of
// Widest Lanes (4: 64 floats with AVX-512) while they fit, then of 1 Lanes, then single floats.
template <int Widest = 4, typename Tile>
void for_each_tile(Eigen::Index c0, Eigen::Index n, Tile tile) {
    const Eigen::Index end = c0 + n;
    Eigen::Index c = c0;
    if constexpr (Widest > 1)
        for (; c + tile_width<Lanes, Widest> <= end; c += tile_width<Lanes, Widest>)
            tile.template operator()<Lanes, Widest>(c);
    for (; c + tile_width<Lanes, 1> <= end; c += tile_width<Lanes, 1>) tile.template operator()<Lanes, 1>(c);
    for (; c < end; ++c) tile.template operator()<float, 1>(c);
}

}  // namespace digitpad
