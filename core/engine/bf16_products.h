// The two products with the first layer, X·W₁ and Xᵀ·δ₁, in reduced precision: X, W₁ and δ₁ are
// rounded to BF16 (float's 8-bit exponent with an 8-bit mantissa) and multiplied by oneDNN on the
// CPU's BF16 units (AVX512-BF16 dot products, or AMX tiles), summing in FP32. W₁ itself stays in
// FP32 (the master weights): each forward pass rounds a copy, each update adds to W₁ in FP32.
// They are 98% of a training step's multiplications in the paper's 784-800-10 network.
#pragma once

#include "matrix.h"

#include <memory>

namespace digitpad {

// True when this build has oneDNN and the CPU multiplies BF16 natively. Without both there is
// no BF16 path: software emulation would be slower than FP32.
bool bf16_available();

class Bf16Products {
public:
    Bf16Products();  // throws std::runtime_error when !bf16_available()
    ~Bf16Products();
    Bf16Products(const Bf16Products&) = delete;
    Bf16Products& operator=(const Bf16Products&) = delete;

    // out = X·W + b (B × n₁) for X (B × n₀), with r = max(0, ·) applied when `relu`.
    void forward(const Matrix& X, const Matrix& W, const RowVector& b, bool relu, Matrix& out);

    // W ← α·W + Xᵀ·(β·δ) for δ (B × n₁), summed in FP32 into W. α = 0 overwrites W (a
    // gradient), resized to n₀ × n₁.
    void update(const Matrix& X, const Matrix& delta, float alpha, float beta, Matrix& W);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace digitpad
