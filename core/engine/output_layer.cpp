#include "output_layer.h"

#include "lanes.h"

#include <algorithm>
#include <cassert>

namespace digitpad {

namespace {

using Index = Eigen::Index;

float sum_lanes(const Lanes& v) {
    float s = 0;
    for (int i = 0; i < kLanes; ++i) s += v[i];
    return s;
}

}  // namespace

void output_share(const Matrix& out, Index c0, const Matrix& WT, Matrix& net) {
    const Index B = out.rows(), C = WT.rows(), n = WT.cols();
    assert(net.rows() == B && net.cols() == C && c0 + n <= out.cols());
    constexpr int R = 4;  // rows at a time: four independent sums per class
    for (Index s0 = 0; s0 < B; s0 += R) {
        const float* o[R];
        for (int i = 0; i < R; ++i) o[i] = out.row(std::min(s0 + i, B - 1)).data() + c0;  // past B: repeats, unused
        for (Index k = 0; k < C; ++k) {
            const float* w = WT.row(k).data();
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
            for (int i = 0; i < R && s0 + i < B; ++i) net(s0 + i, k) = sum_lanes(acc[i]) + tail[i];
        }
    }
}

void hidden_delta(const Matrix& delta, const Matrix& WT, const Matrix& out, Index c0, Matrix& delta_prev) {
    const Index B = delta.rows(), C = WT.rows(), n = WT.cols();
    assert(delta.cols() == C && out.rows() == B && delta_prev.rows() == B && c0 + n <= out.cols());
    for (Index s = 0; s < B; ++s) {
        const float* d = delta.row(s).data();
        const float* o = out.row(s).data() + c0;
        float* dp = delta_prev.row(s).data() + c0;
        for_each_tile(0, n, [&]<typename Vec, int V>(Index c) {
            constexpr int L = static_cast<int>(sizeof(Vec) / sizeof(float));
            Vec acc[V] = {};  // V independent sums
            for (Index k = 0; k < C; ++k)
                for (int v = 0; v < V; ++v) acc[v] += d[k] * load<Vec>(WT.row(k).data() + c + v * L);
            for (int v = 0; v < V; ++v) store(dp + c + v * L, load<Vec>(o + c + v * L) > Vec{} ? acc[v] : Vec{});
        });
    }
}

void output_update(const Matrix& out, const Matrix& delta, float alpha, float beta, Index c0, Index n, Matrix& W) {
    const Index B = out.rows(), C = delta.cols();
    assert(delta.rows() == B && W.cols() == C && C <= kMaxClasses && c0 + n <= out.cols() && c0 + n <= W.rows());
    for_each_tile<1>(0, n, [&]<typename Vec, int>(Index c) {
        constexpr int L = static_cast<int>(sizeof(Vec) / sizeof(float));
        Vec acc[kMaxClasses] = {};  // one independent sum per class
        for (Index s = 0; s < B; ++s) {
            const Vec o = load<Vec>(out.row(s).data() + c0 + c);
            for (Index k = 0; k < C; ++k) acc[k] += delta(s, k) * o;
        }
        for (Index k = 0; k < C; ++k)
            for (int i = 0; i < L; ++i) {
                float& w = W(c0 + c + i, k);
                if constexpr (L == 1)
                    w = alpha * w + beta * acc[k];
                else
                    w = alpha * w + beta * acc[k][i];
            }
    });
}

}  // namespace digitpad
