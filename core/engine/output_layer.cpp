#include "output_layer.h"

#include <cassert>

namespace digitpad {

void output_share(const ConstBlock& out, Eigen::Index c0, const Matrix& WT, Block net) {
    assert(net.rows() == out.rows() && net.cols() == WT.rows() && c0 + WT.cols() <= out.cols());
    kernels().output_share({out.data(), out.outerStride()}, out.rows(), c0, {WT.data(), WT.cols()}, WT.rows(), WT.cols(),
                           {net.data(), net.outerStride()});
}

void hidden_delta(const Matrix& delta, const ConstBlock& WT, const Matrix& out, Eigen::Index c0, Matrix& delta_prev) {
    assert(delta.cols() == WT.rows() && out.rows() == delta.rows() && delta_prev.rows() == delta.rows() &&
           c0 + WT.cols() <= out.cols());
    kernels().hidden_delta({delta.data(), delta.cols()}, delta.rows(), {WT.data(), WT.outerStride()}, WT.rows(),
                           WT.cols(), {out.data(), out.cols()}, c0, {delta_prev.data(), delta_prev.cols()});
}

void output_update(const Matrix& out, const Matrix& delta, float alpha, float beta, Eigen::Index c0, Eigen::Index n,
                   Matrix& W) {
    assert(delta.rows() == out.rows() && W.cols() == delta.cols() && delta.cols() <= kMaxClasses &&
           c0 + n <= out.cols() && c0 + n <= W.rows());
    kernels().output_update({out.data(), out.cols()}, out.rows(), {delta.data(), delta.cols()}, delta.cols(), alpha,
                            beta, c0, n, {W.data(), W.cols()});
}

}  // namespace digitpad
