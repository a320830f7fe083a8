#include "gemm_bound.h"

#include "engine/bf16_products.h"
#include "matrix.h"

#include <chrono>
#include <cstring>
#include <vector>
#ifdef DIGITPAD_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif
#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

// GFLOP/s of `step`, the five products at batch B: 5 steps to warm up, then `repeats` timed.
template <typename Step>
double step_gflops(int B, int repeats, Step step) {
    for (int k = 0; k < 5; ++k) step();
    const auto start = std::chrono::steady_clock::now();
    for (int k = 0; k < repeats; ++k) step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return B * kStepFlopPerSample * repeats / seconds / 1e9;
}

}  // namespace

double eigen_gemm_gflops(int B, int repeats) {
    using digitpad::Matrix;
    const Matrix X = Matrix::Random(B, 784), W1 = Matrix::Random(784, 800), W2 = Matrix::Random(800, 10);
    Matrix H(B, 800), N2(B, 10), dW2(800, 10), D1(B, 800), dW1(784, 800);
    const Matrix D2 = Matrix::Random(B, 10);
    return step_gflops(B, repeats, [&] {
        H.noalias() = X * W1;
        N2.noalias() = H * W2;
        dW2.noalias() = H.transpose() * D2;
        D1.noalias() = D2 * W2.transpose();
        dW1.noalias() = X.transpose() * D1;
    });
}

#ifdef DIGITPAD_HAVE_DNNL

namespace {

using dnnl::memory;

// A ⋅ B → C with A (m × k), B (k × n); a transposed operand is read in place through strides.
struct Product {
    dnnl::matmul matmul;
    memory a, b, c;
};

memory::desc matrix(memory::dim rows, memory::dim cols, memory::data_type type, bool transposed) {
    return transposed ? memory::desc({rows, cols}, type, memory::dims{1, rows}) : memory::desc({rows, cols}, type, memory::dims{cols, 1});
}

Product product(const dnnl::engine& engine, memory::data_type type, memory::dim m, memory::dim k, memory::dim n,
                bool a_transposed, bool b_transposed) {
    const memory::desc a = matrix(m, k, type, a_transposed), b = matrix(k, n, type, b_transposed),
                       c = matrix(m, n, memory::data_type::f32, false);
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), engine);
    return {dnnl::matmul(pd), memory(a, engine), memory(b, engine), memory(c, engine)};
}

}  // namespace

double onednn_gemm_gflops(int B, bool bf16, int threads, int repeats) {
    if (bf16 && !digitpad::bf16_available()) return 0;
#ifdef _OPENMP
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    const auto type = bf16 ? memory::data_type::bf16 : memory::data_type::f32;
    dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    dnnl::stream stream(engine);
    std::vector<Product> step;
    step.push_back(product(engine, type, B, 784, 800, false, false));  // X·W₁
    step.push_back(product(engine, type, B, 800, 10, false, false));   // H·W₂
    step.push_back(product(engine, type, 800, B, 10, true, false));    // Hᵀ·δ₂
    step.push_back(product(engine, type, B, 10, 800, false, true));    // δ₂·W₂ᵀ
    step.push_back(product(engine, type, 784, B, 800, true, false));   // Xᵀ·δ₁
    for (Product& p : step)  // zeros: the timing does not depend on the values
        for (memory* m : {&p.a, &p.b})
            std::memset(m->get_data_handle(), 0, m->get_desc().get_size());
    return step_gflops(B, repeats, [&] {
        for (Product& p : step) p.matmul.execute(stream, {{DNNL_ARG_SRC, p.a}, {DNNL_ARG_WEIGHTS, p.b}, {DNNL_ARG_DST, p.c}});
        stream.wait();
    });
}

#else

double onednn_gemm_gflops(int, bool, int, int) { return 0; }

#endif
