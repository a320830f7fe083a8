#include "bf16_products.h"

#include "threads.h"

#include <cassert>
#include <stdexcept>

#ifdef DIGITPAD_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <tuple>
#include <unordered_map>
#ifdef _OPENMP
#include <omp.h>
#endif

namespace digitpad {
namespace {

using dnnl::memory;
using Type = memory::data_type;

// A row-major matrix (or vector) of these dimensions.
memory::desc row_major(memory::dims dims, Type type) {
    return {dims, type, dims.size() == 1 ? memory::format_tag::a : memory::format_tag::ab};
}

// The transpose (cols × rows) of a row-major float matrix, read in place: strides (1, cols).
memory::desc transposed(Eigen::Index rows, Eigen::Index cols) { return {{cols, rows}, Type::f32, memory::dims{1, cols}}; }
memory::desc transposed(const Matrix& A) { return transposed(A.rows(), A.cols()); }

// A float matrix of ours as oneDNN memory (no copy).
memory view(const Matrix& A, const dnnl::engine& engine) {
    return {row_major({A.rows(), A.cols()}, Type::f32), engine, const_cast<float*>(A.data())};
}

// Rounds float matrices of one shape to BF16 into `to`, optionally scaled on the way.
struct Rounding {
    memory to;
    dnnl::reorder reorder;

    Rounding(const dnnl::engine& engine, const memory::desc& from, bool scaled) : to(bf16_like(from), engine) {
        dnnl::primitive_attr attr;
        if (scaled) attr.set_output_scales(0, {DNNL_RUNTIME_F32_VAL});
        reorder = dnnl::reorder(dnnl::reorder::primitive_desc(engine, from, engine, to.get_desc(), attr));
    }
    void operator()(dnnl::stream& stream, memory from, const memory* scale = nullptr) {
        std::unordered_map<int, memory> args{{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
        if (scale) args.emplace(DNNL_ARG_ATTR_OUTPUT_SCALES, *scale);
        reorder.execute(stream, args);
    }
    // The same dimensions in BF16, row-major (`from` may be a transposed view).
    static memory::desc bf16_like(const memory::desc& from) { return row_major(from.dims(), Type::bf16); }
};

}  // namespace

bool bf16_available() {
    // ONEDNN_MAX_CPU_ISA (e.g. AVX512_CORE) lowers what oneDNN reports, and so turns the path off.
    static const bool available = [] {
        const auto bf16 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core_bf16);
        return (static_cast<unsigned>(dnnl::get_effective_cpu_isa()) & bf16) == bf16;
    }();
    return available;
}

struct Bf16Products::Impl {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
    memory scale{row_major({1}, Type::f32), engine};  // β of the update

    // out = r(X·W + b): X and W rounded, then the product.
    struct Forward {
        Rounding X, W;
        dnnl::matmul product;
    };
    // W ← W + Xᵀ·(β·δ): Xᵀ and β·δ rounded, then the product added to W.
    struct Update {
        Rounding XT, delta;
        dnnl::matmul product;
    };
    using Shape = std::tuple<Eigen::Index, Eigen::Index, Eigen::Index, bool>;  // B, n₀, n₁, relu/accumulate
    std::map<Shape, Forward> forwards;
    std::map<Shape, Update> updates;

    Forward& forward(Eigen::Index B, Eigen::Index n0, Eigen::Index n1, bool relu) {
        const Shape shape{B, n0, n1, relu};
        if (auto it = forwards.find(shape); it != forwards.end()) return it->second;
        Rounding X(engine, row_major({B, n0}, Type::f32), false), W(engine, row_major({n0, n1}, Type::f32), false);
        dnnl::primitive_attr attr;
        if (relu) {
            dnnl::post_ops ops;
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
            attr.set_post_ops(ops);
        }
        const dnnl::matmul::desc desc(X.to.get_desc(), W.to.get_desc(), row_major({1, n1}, Type::f32),
                                      row_major({B, n1}, Type::f32));
        dnnl::matmul product(dnnl::matmul::primitive_desc(desc, attr, engine));
        return forwards.emplace(shape, Forward{std::move(X), std::move(W), std::move(product)}).first->second;
    }

    Update& update(Eigen::Index B, Eigen::Index n0, Eigen::Index n1, bool accumulate) {
        const Shape shape{B, n0, n1, accumulate};
        if (auto it = updates.find(shape); it != updates.end()) return it->second;
        Rounding XT(engine, transposed(B, n0), false);
        Rounding delta(engine, row_major({B, n1}, Type::f32), true);
        dnnl::primitive_attr attr;
        if (accumulate) {
            dnnl::post_ops ops;
            ops.append_sum(1.0f);
            attr.set_post_ops(ops);
        }
        const dnnl::matmul::desc desc(XT.to.get_desc(), delta.to.get_desc(), row_major({n0, n1}, Type::f32));
        dnnl::matmul product(dnnl::matmul::primitive_desc(desc, attr, engine));
        return updates.emplace(shape, Update{std::move(XT), std::move(delta), std::move(product)}).first->second;
    }

    // oneDNN's OpenMP regions take the calling thread's thread count.
    static void use_compute_threads() {
#ifdef _OPENMP
        omp_set_num_threads(compute_threads());
#endif
    }
};

Bf16Products::Bf16Products() {
    if (!bf16_available()) throw std::runtime_error("this CPU has no BF16 arithmetic (AVX512-BF16 or AMX)");
    impl_ = std::make_unique<Impl>();
}

Bf16Products::~Bf16Products() = default;

void Bf16Products::forward(const Matrix& X, const Matrix& W, const RowVector& b, bool relu, Matrix& out) {
    Impl& d = *impl_;
    const Eigen::Index B = X.rows(), n0 = X.cols(), n1 = W.cols();
    assert(W.rows() == n0 && b.cols() == n1);
    Impl::use_compute_threads();
    Impl::Forward& f = d.forward(B, n0, n1, relu);
    out.resize(B, n1);
    f.X(d.stream, view(X, d.engine));
    f.W(d.stream, view(W, d.engine));
    const memory bias(row_major({1, n1}, Type::f32), d.engine, const_cast<float*>(b.data()));
    f.product.execute(d.stream, {{DNNL_ARG_SRC, f.X.to},
                                 {DNNL_ARG_WEIGHTS, f.W.to},
                                 {DNNL_ARG_BIAS, bias},
                                 {DNNL_ARG_DST, view(out, d.engine)}});
    d.stream.wait();
}

void Bf16Products::update(const Matrix& X, const Matrix& delta, float alpha, float beta, Matrix& W) {
    Impl& d = *impl_;
    const Eigen::Index B = X.rows(), n0 = X.cols(), n1 = delta.cols();
    assert(delta.rows() == B);
    Impl::use_compute_threads();
    if (alpha == 0.0f) W.resize(n0, n1);
    else if (alpha != 1.0f) W *= alpha;
    assert(W.rows() == n0 && W.cols() == n1);
    Impl::Update& u = d.update(B, n0, n1, alpha != 0.0f);
    u.XT(d.stream, memory(transposed(X), d.engine, const_cast<float*>(X.data())));
    *static_cast<float*>(d.scale.get_data_handle()) = beta;
    u.delta(d.stream, view(delta, d.engine), &d.scale);
    u.product.execute(d.stream, {{DNNL_ARG_SRC, u.XT.to}, {DNNL_ARG_WEIGHTS, u.delta.to}, {DNNL_ARG_DST, view(W, d.engine)}});
    d.stream.wait();
}

}  // namespace digitpad

#else  // no oneDNN in this build

namespace digitpad {

bool bf16_available() { return false; }

struct Bf16Products::Impl {};

Bf16Products::Bf16Products() { throw std::runtime_error("this build of DigitPad has no BF16 path (built without oneDNN)"); }
Bf16Products::~Bf16Products() = default;
void Bf16Products::forward(const Matrix&, const Matrix&, const RowVector&, bool, Matrix&) {}
void Bf16Products::update(const Matrix&, const Matrix&, float, float, Matrix&) {}

}  // namespace digitpad

#endif
