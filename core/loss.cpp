#include "loss.h"

#include <cassert>
#include <cmath>

namespace digitpad {

template <typename Scalar>
void softmax_forward(const MatrixT<Scalar>& net, MatrixT<Scalar>& out) {
    out.resize(net.rows(), net.cols());
    for (Eigen::Index i = 0; i < net.rows(); ++i) {
        const Scalar max = net.row(i).maxCoeff();
        out.row(i) = (net.row(i).array() - max).exp();
        out.row(i) /= out.row(i).sum();
    }
}

template <typename Scalar>
Scalar softmax_cross_entropy(const MatrixT<Scalar>& net, std::span<const std::uint8_t> labels,
                             MatrixT<Scalar>& out, MatrixT<Scalar>& delta) {
    assert(static_cast<Eigen::Index>(labels.size()) == net.rows());
    out.resize(net.rows(), net.cols());
    delta.resize(net.rows(), net.cols());
    double loss = 0;
    for (Eigen::Index i = 0; i < net.rows(); ++i) {
        const int y = labels[static_cast<std::size_t>(i)];
        assert(y < net.cols());
        const Scalar max = net.row(i).maxCoeff();
        out.row(i) = (net.row(i).array() - max).exp();
        const Scalar sum = out.row(i).sum();
        out.row(i) /= sum;
        loss -= static_cast<double>(net(i, y) - max - std::log(sum));
        delta.row(i) = out.row(i);
        delta(i, y) -= Scalar(1);  // δ = out − y
    }
    return static_cast<Scalar>(loss / static_cast<double>(net.rows()));
}

template void softmax_forward<float>(const MatrixT<float>&, MatrixT<float>&);
template void softmax_forward<double>(const MatrixT<double>&, MatrixT<double>&);
template float softmax_cross_entropy<float>(const MatrixT<float>&, std::span<const std::uint8_t>,
                                            MatrixT<float>&, MatrixT<float>&);
template double softmax_cross_entropy<double>(const MatrixT<double>&, std::span<const std::uint8_t>,
                                              MatrixT<double>&, MatrixT<double>&);

}  // namespace digitpad
