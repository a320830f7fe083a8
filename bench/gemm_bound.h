// The GEMM bounds of digitpad-bench: a GEMM alone on the five products of one training step of
// the 784-800-10 network (X·W₁, H·W₂, Hᵀ·δ₂, δ₂·W₂ᵀ, Xᵀ·δ₁), with nothing else of the step.
#pragma once

// The five products' multiply-adds ×2 for one sample (forward and backward, no input gradient).
constexpr double kStepFlopPerSample = 2.0 * (784.0 * 800 * 2 + 800.0 * 10 * 3);

// GFLOP/s at batch B: Eigen's GEMM on Eigen's threads (set_compute_threads), over `repeats` steps.
double eigen_gemm_gflops(int B, int repeats);

// GFLOP/s at batch B of oneDNN's matmul on `threads` threads, in FP32 or with BF16 operands
// (FP32 results); 0 where the build has no oneDNN, or for BF16 where the CPU has no BF16 arithmetic.
double onednn_gemm_gflops(int B, bool bf16, int threads, int repeats);
