// The engine's hot loops (kernels.h) for one instruction set: this file is compiled once per
// set, with that set's flags and DIGITPAD_KERNELS_NS naming its namespace, and each copy
// defines that namespace's `table`. It uses nothing from a header that could be compiled
// differently in another copy (no Eigen, no standard algorithms): tests/kernel_symbols.cmake
// checks with nm that each object defines no code outside its own namespace.
#include "kernels.h"

#include "lanes.h"

namespace digitpad::DIGITPAD_KERNELS_NS {

namespace {

using kernel::Entry;
using kernel::Index;
using kernel::kGroup;
using kernel::Lists;
using kernel::Rows;
constexpr int G = static_cast<int>(kGroup);

template <typename T>
T* row(Rows<T> m, Index r) {
    return m.data + r * m.ld;
}

// Lanes across a sparse tile: as many as keep its G·V sums, V loads and one broadcast in
// registers (4 with AVX-512's 32 registers; 3 with AVX2's 16), at most 4 (wider gained nothing).
constexpr int kTileVecs = (kRegisters - 1) / (G + 1) < 4 ? (kRegisters - 1) / (G + 1) : 4;

// Four rows of V Vecs: acc[i] = Σ over entries e of e.value[i] · M(e.index, c..), where M
// (offset to column c) is W_1 for the forward product and δ_1 for the update.
template <typename Vec, int V>
struct Tile {
    static constexpr int L = static_cast<int>(sizeof(Vec) / sizeof(float));
    Vec acc[G][V] = {};

    [[gnu::always_inline]] void accumulate(const Entry* entries, int count, const float* M, Index ld) {
        for (const Entry* e = entries; e != entries + count; ++e) {
            const float* m = M + e->index * ld;
            Vec mv[V];
            for (int v = 0; v < V; ++v) mv[v] = load<Vec>(m + v * L);
            for (int i = 0; i < G; ++i) {
                const Vec x = broadcast<Vec>(e->value[i]);
                for (int v = 0; v < V; ++v) acc[i][v] += x * mv[v];
            }
        }
    }

    // write(acc[i][v], the target at row i and lane block v, its column offset v·L) for each
    // of the G target rows that exists (nullptr past the end of the matrix).
    template <typename Write>
    [[gnu::always_inline]] void write_rows(float* const* rows, Write write) const {
        for (int i = 0; i < G; ++i)
            if (rows[i])
                for (int v = 0; v < V; ++v) write(acc[i][v], rows[i] + v * L, v * L);
    }
};

// The target rows of group g at column c: row 4g + i, or nullptr past the last.
void group_rows(Rows<float> target, Index targets, Index g, Index c, float* (&rows)[G]) {
    for (int i = 0; i < G; ++i) rows[i] = g * kGroup + i < targets ? row(target, g * kGroup + i) + c : nullptr;
}

void sparse_product(const Lists& X, Rows<const float> W, const float* b, bool relu, Rows<float> out, Index c0,
                    Index n) {
    for_each_tile<kTileVecs>(c0, n, [&]<typename Vec, int V>(Index c) {
        for (Index r = 0; r < X.groups; ++r) {
            float* rows[G];
            group_rows(out, X.targets, r, c, rows);
            Tile<Vec, V> t;
            t.accumulate(X.first + r * X.stride, X.count[r], W.data + c, W.ld);
            t.write_rows(rows, [&](Vec acc, float* at, int offset) {
                Vec net = acc + load<Vec>(b + c + offset);
                if (relu) net = net > Vec{} ? net : Vec{};
                store(at, net);
            });
        }
    });
}

void sparse_update(const Lists& X, Rows<const float> delta, float alpha, float beta, Rows<float> W, Index c0,
                   Index n) {
    for_each_tile<kTileVecs>(c0, n, [&]<typename Vec, int V>(Index c) {
        for (Index g = 0; g < X.groups; ++g) {
            if (X.count[g] == 0 && alpha == 1.0f) continue;  // nothing moves these four rows
            float* rows[G];
            group_rows(W, X.targets, g, c, rows);
            Tile<Vec, V> t;
            t.accumulate(X.first + g * X.stride, X.count[g], delta.data + c, delta.ld);
            t.write_rows(rows, [&](Vec acc, float* at, int) {
                const Vec step = beta * acc;
                store(at, alpha == 0.0f ? step : alpha * load<Vec>(at) + step);
            });
        }
    });
}

float sum_lanes(const Lanes& v) {
    float s = 0;
    for (int i = 0; i < kLanes; ++i) s += v[i];
    return s;
}

void output_share(Rows<const float> out, Index B, Index c0, Rows<const float> WT, Index C, Index n, Rows<float> net) {
    constexpr int R = 4;  // rows at a time: four independent sums per class
    for (Index s0 = 0; s0 < B; s0 += R) {
        const float* o[R];
        for (int i = 0; i < R; ++i) o[i] = row(out, s0 + i < B ? s0 + i : B - 1) + c0;  // past B: repeats, unused
        for (Index k = 0; k < C; ++k) {
            const float* w = row(WT, k);
            Lanes acc[R] = {};
            float tail[R] = {};
            for_each_tile<1>(0, n, [&]<typename Vec, int>(Index c) {
                const Vec wc = load<Vec>(w + c);
                for (int i = 0; i < R; ++i) {
                    if constexpr (sizeof(Vec) == sizeof(Lanes))
                        acc[i] += load<Lanes>(o[i] + c) * wc;
                    else
                        tail[i] += o[i][c] * wc;
                }
            });
            for (int i = 0; i < R && s0 + i < B; ++i) row(net, s0 + i)[k] = sum_lanes(acc[i]) + tail[i];
        }
    }
}

void hidden_delta(Rows<const float> delta, Index B, Rows<const float> WT, Index C, Index n, Rows<const float> out,
                  Index c0, Rows<float> delta_prev) {
    for (Index s = 0; s < B; ++s) {
        const float* d = row(delta, s);
        const float* o = row(out, s) + c0;
        float* dp = row(delta_prev, s) + c0;
        for_each_tile(0, n, [&]<typename Vec, int V>(Index c) {
            constexpr int L = static_cast<int>(sizeof(Vec) / sizeof(float));
            Vec acc[V] = {};  // V independent sums
            for (Index k = 0; k < C; ++k)
                for (int v = 0; v < V; ++v) acc[v] += d[k] * load<Vec>(row(WT, k) + c + v * L);
            for (int v = 0; v < V; ++v) store(dp + c + v * L, load<Vec>(o + c + v * L) > Vec{} ? acc[v] : Vec{});
        });
    }
}

void output_update(Rows<const float> out, Index B, Rows<const float> delta, Index C, float alpha, float beta,
                   Index c0, Index n, Rows<float> W) {
    for_each_tile<1>(0, n, [&]<typename Vec, int>(Index c) {
        constexpr int L = static_cast<int>(sizeof(Vec) / sizeof(float));
        Vec acc[kernel::kMaxClasses] = {};  // one independent sum per class
        for (Index s = 0; s < B; ++s) {
            const Vec o = load<Vec>(row(out, s) + c0 + c);
            for (Index k = 0; k < C; ++k) acc[k] += row(delta, s)[k] * o;
        }
        for (Index k = 0; k < C; ++k)
            for (int i = 0; i < L; ++i) {
                float& w = row(W, c0 + c + i)[k];
                if constexpr (L == 1)
                    w = alpha * w + beta * acc[k];
                else
                    w = alpha * w + beta * acc[k][i];
            }
    });
}

void weighted_rows(const int* index, const float* value, Index count, Rows<const float> W, const float* b, Index n,
                   float* net) {
    // Whole registers of columns in tiles, each summing over the entries in order.
    const Index whole = n / kLanes * kLanes;
    for_each_tile(0, whole, [&]<typename Vec, int V>(Index c) {
        constexpr int L = static_cast<int>(sizeof(Vec) / sizeof(float));
        Vec acc[V];
        for (int v = 0; v < V; ++v) acc[v] = load<Vec>(b + c + v * L);
        for (Index e = 0; e < count; ++e) {
            const Vec x = broadcast<Vec>(value[e]);
            const float* w = row(W, index[e]) + c;
            for (int v = 0; v < V; ++v) acc[v] += x * load<Vec>(w + v * L);
        }
        for (int v = 0; v < V; ++v) store(net + c + v * L, acc[v]);
    });
    // The last columns, fewer than a register (all ten of an output layer with AVX-512): side by
    // side, one sum each, so that no column waits on another's additions.
    float tail[kLanes];
    const int rest = static_cast<int>(n - whole);
    for (int j = 0; j < rest; ++j) tail[j] = b[whole + j];
    for (Index e = 0; e < count; ++e) {
        const float* w = row(W, index[e]) + whole;
        for (int j = 0; j < rest; ++j) tail[j] += value[e] * w[j];
    }
    for (int j = 0; j < rest; ++j) net[whole + j] = tail[j];
}

void scale_bytes(const std::uint8_t* in, Index n, float scale, float* out) {
    for (Index i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]) * scale;  // vectorised by the compiler
}

void momentum_step(float* a, const float* g, float* v, Index n, float eta, float mu, bool nesterov, float lambda) {
#ifdef _OPENMP
#pragma omp simd
#endif
    for (Index i = 0; i < n; ++i) {
        const float grad = g[i] + lambda * a[i];
        const float vi = mu * v[i] + grad;
        v[i] = vi;
        a[i] -= eta * (nesterov ? grad + mu * vi : vi);
    }
}

void adam_step(float* a, const float* g, float* m, float* v, Index n, float step, float beta1, float beta2,
               float eps_hat, float lambda) {
#ifdef _OPENMP
#pragma omp simd
#endif
    for (Index i = 0; i < n; ++i) {
        const float grad = g[i] + lambda * a[i];
        const float mi = beta1 * m[i] + (1.0f - beta1) * grad;
        const float vi = beta2 * v[i] + (1.0f - beta2) * grad * grad;
        m[i] = mi;
        v[i] = vi;
        a[i] -= step * mi / (__builtin_sqrtf(vi) + eps_hat);  // a vector √: -fno-math-errno (core/CMakeLists.txt)
    }
}

}  // namespace

void distort_digit(const std::uint8_t* image, const kernel::Distortion& d, float* out);  // distort_kernel.cpp

extern const Kernels table;
const Kernels table{kInstructionSet, kLanes,        kRegisters,    sparse_product, sparse_update, output_share,
                    hidden_delta,    output_update, weighted_rows, scale_bytes,   momentum_step,
                    adam_step,       distort_digit};

}  // namespace digitpad::DIGITPAD_KERNELS_NS
