// Softmax s and cross-entropy L, fused as in the paper's appendix F:
// with out = s(net) and a one-hot y, dL/dnet = out − y.
#pragma once

#include "matrix.h"

#include <cstdint>
#include <span>

namespace digitpad {

// out = s(net) row by row, computed as exp(net − max) / Σ exp(net − max) so that
// logits of any size stay finite.
template <typename Scalar>
void softmax_forward(const MatrixT<Scalar>& net, MatrixT<Scalar>& out);

// Fused softmax + cross-entropy over a batch.
//   net:    B × n logits (net_m of the last layer)
//   labels: B class indices (the one-hot y, stored as the index of its 1)
//   out:    B × n, receives s(net)
//   delta:  B × n, receives δ_m = out − y
// Returns the mean loss L = −(1/B) Σ ln s(net)_y, with ln s computed as
// net_y − max − ln Σ exp(net − max), which stays finite where s underflows to 0.
template <typename Scalar>
Scalar softmax_cross_entropy(const MatrixT<Scalar>& net, std::span<const std::uint8_t> labels,
                             MatrixT<Scalar>& out, MatrixT<Scalar>& delta);

}  // namespace digitpad
