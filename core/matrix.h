// The paper's row-vector convention: a batch is a B×n row-major matrix, one sample per row.
#pragma once

#include <Eigen/Core>

namespace digitpad {

template <typename Scalar>
using MatrixT = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename Scalar>
using RowVectorT = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;

using Matrix = MatrixT<float>;
using RowVector = RowVectorT<float>;

}  // namespace digitpad
