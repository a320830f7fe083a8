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

// One of our float matrices as oneDNN sees it: the description is fixed when a plan is made,
// the data pointer set at each call (no copy, nothing allocated).
memory operand(const memory::desc& desc, const dnnl::engine& engine) { return {desc, engine, DNNL_MEMORY_NONE}; }
void bind(memory& m, const float* data) { m.set_data_handle(const_cast<float*>(data)); }

// Rounds float matrices of one shape to BF16 into `to`, scaled on the way by `scale` if given.
struct Rounding {
    memory from, to;
    dnnl::reorder reorder;
    std::unordered_map<int, memory> args;

    Rounding(const dnnl::engine& engine, const memory::desc& from_desc, const memory* scale = nullptr)
        : from(operand(from_desc, engine)), to(row_major(from_desc.dims(), Type::bf16), engine) {
        dnnl::primitive_attr attr;
        if (scale) attr.set_output_scales(0, {DNNL_RUNTIME_F32_VAL});
        reorder = dnnl::reorder(dnnl::reorder::primitive_desc(engine, from_desc, engine, to.get_desc(), attr));
        args = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
        if (scale) args.emplace(DNNL_ARG_ATTR_OUTPUT_SCALES, *scale);
    }
    void operator()(dnnl::stream& stream, const float* data) {
        bind(from, data);
        reorder.execute(stream, args);
    }
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
        memory b, out;
        dnnl::matmul product;
        std::unordered_map<int, memory> args;
    };
    // W ← W + Xᵀ·(β·δ): Xᵀ and β·δ rounded, then the product added to W.
    struct Update {
        Rounding XT, delta;
        memory W;
        dnnl::matmul product;
        std::unordered_map<int, memory> args;
    };
    using Shape = std::tuple<Eigen::Index, Eigen::Index, Eigen::Index, bool>;  // B, n₀, n₁, relu/accumulate
    std::map<Shape, Forward> forwards;
    std::map<Shape, Update> updates;

    Forward& forward(Eigen::Index B, Eigen::Index n0, Eigen::Index n1, bool relu) {
        const Shape shape{B, n0, n1, relu};
        if (auto it = forwards.find(shape); it != forwards.end()) return it->second;
        Forward f{Rounding(engine, row_major({B, n0}, Type::f32)), Rounding(engine, row_major({n0, n1}, Type::f32)),
                  operand(row_major({1, n1}, Type::f32), engine), operand(row_major({B, n1}, Type::f32), engine), {}, {}};
        dnnl::primitive_attr attr;
        if (relu) {
            dnnl::post_ops ops;
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
            attr.set_post_ops(ops);
        }
        const dnnl::matmul::desc desc(f.X.to.get_desc(), f.W.to.get_desc(), f.b.get_desc(), f.out.get_desc());
        f.product = dnnl::matmul(dnnl::matmul::primitive_desc(desc, attr, engine));
        f.args = {{DNNL_ARG_SRC, f.X.to}, {DNNL_ARG_WEIGHTS, f.W.to}, {DNNL_ARG_BIAS, f.b}, {DNNL_ARG_DST, f.out}};
        return forwards.emplace(shape, std::move(f)).first->second;
    }

    Update& update(Eigen::Index B, Eigen::Index n0, Eigen::Index n1, bool accumulate) {
        const Shape shape{B, n0, n1, accumulate};
        if (auto it = updates.find(shape); it != updates.end()) return it->second;
        Update u{Rounding(engine, transposed(B, n0)), Rounding(engine, row_major({B, n1}, Type::f32), &scale),
                 operand(row_major({n0, n1}, Type::f32), engine), {}, {}};
        dnnl::primitive_attr attr;
        if (accumulate) {
            dnnl::post_ops ops;
            ops.append_sum(1.0f);
            attr.set_post_ops(ops);
        }
        const dnnl::matmul::desc desc(u.XT.to.get_desc(), u.delta.to.get_desc(), u.W.get_desc());
        u.product = dnnl::matmul(dnnl::matmul::primitive_desc(desc, attr, engine));
        u.args = {{DNNL_ARG_SRC, u.XT.to}, {DNNL_ARG_WEIGHTS, u.delta.to}, {DNNL_ARG_DST, u.W}};
        return updates.emplace(shape, std::move(u)).first->second;
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
    f.X(d.stream, X.data());
    f.W(d.stream, W.data());
    bind(f.b, b.data());
    bind(f.out, out.data());
    f.product.execute(d.stream, f.args);
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
    u.XT(d.stream, X.data());
    *static_cast<float*>(d.scale.get_data_handle()) = beta;
    u.delta(d.stream, delta.data());
    bind(u.W, W.data());
    u.product.execute(d.stream, u.args);
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
