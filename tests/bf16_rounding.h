// Rounding to BF16 as the CPU's BF16 units do, for references of the BF16 kernels.
#pragma once

#include "matrix.h"

#include <bit>
#include <cstdint>

namespace digitpad::testing {

// x to the nearest BF16 (ties to even): the top 16 bits of the float after rounding the rest.
inline float to_bf16(float x) {
    std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return std::bit_cast<float>(bits & 0xFFFF0000u);
}

// A's entries rounded to BF16, in double.
template <typename A>
MatrixT<double> rounded(const A& a) {
    return a.template cast<float>().unaryExpr([](float x) { return to_bf16(x); }).template cast<double>();
}

}  // namespace digitpad::testing
