// The paper's feed-forward network, for any number of dense layers (appendix E).
//
// Layer j (1..m) holds W_j (n_{j-1} × n_j) and b_j (1 × n_j). For a batch of B row vectors:
//   net_j = out_{j-1} · W_j + b_j        (out_0 = input, B × n_0)
//   out_j = r(net_j) = max(0, net_j)     hidden layers
//   out_m = s(net_m)                     softmax on the output layer
// Back-propagation with δ_m = out_m − y and δ_n = (δ_{n+1} · W_{n+1}ᵀ) ⊗ r'(net_n):
//   ∂L/∂W_n = out_{n-1}ᵀ · δ_n / B,   ∂L/∂b_n = mean of the rows of δ_n.
// Gradient descent with weight decay λ: a ← a − η(∇a + λa) for weights, a ← a − η∇a for biases.
//
// This file is the paper and only the paper, in Eigen, to be read beside the PDF. The fast
// engine (engine/engine.h) forms the first layer's products its own way, reuses the steps
// below for the rest, and is checked against this code in double (tests/core/test_engine.cpp).
#pragma once

#include "matrix.h"

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace digitpad {

template <typename Scalar>
struct DenseLayer {
    MatrixT<Scalar> W;     // n_{j-1} × n_j
    RowVectorT<Scalar> b;  // 1 × n_j
};

// Everything one forward/backward pass writes, kept between batches so that
// training allocates nothing once the batch size is fixed.
template <typename Scalar>
struct Activations {
    // out[j-1] is out_j, B × n_j. Hidden layers keep only out_j = r(net_j): r'(net_j) is
    // [out_j > 0], so net_j is not needed again. The last layer keeps its logits net_m.
    std::vector<MatrixT<Scalar>> out;
    MatrixT<Scalar> net_last;            // B × n_m
    std::vector<MatrixT<Scalar>> delta;  // delta[j-1] is δ_j, B × n_j
    Scalar keep_scale = 1;                // 1/(1−p) when the pass used dropout, else 1
};

// Inverted dropout on the hidden layers while training: each hidden unit is zeroed with
// probability `rate` and the survivors scaled by 1/(1−rate), so inference needs no change.
struct Dropout {
    float rate = 0;
    std::mt19937_64* rng = nullptr;
    bool on() const { return rate > 0 && rng; }
};

template <typename Scalar>
struct Gradients {
    std::vector<MatrixT<Scalar>> dW;     // dW[j-1] = ∂L/∂W_j
    std::vector<RowVectorT<Scalar>> db;  // db[j-1] = ∂L/∂b_j
};

// The formulas of one layer n, each written once. out_prev is out_{n-1} (the input for the
// first layer), delta is δ_n; W, b, dW and delta may be blocks of the same columns (the
// engine's shares of the hidden units). inv_B = 1/B, step = η/B, decay = 1 − ηλ.

// out_n = r(out_{n-1} · W_n + b_n) on a hidden layer; bias and ReLU in one pass over the product.
template <typename In, typename W, typename B, typename Out>
void hidden_layer(const In& in, const W& w, const B& b, Out&& out) {
    out.noalias() = in * w;
    out = (out.rowwise() + b).cwiseMax(typename W::Scalar(0));
}

// ∂L/∂W_n = out_{n-1}ᵀ · δ_n / B
template <typename Scalar, typename Out, typename Delta, typename DW>
void weight_gradient(const Out& out_prev, const Delta& delta, Scalar inv_B, DW&& dW) {
    dW.noalias() = inv_B * (out_prev.transpose() * delta);
}

// ∂L/∂b_n = mean of the rows of δ_n
template <typename Scalar, typename Delta, typename DB>
void bias_gradient(const Delta& delta, Scalar inv_B, DB&& db) {
    db.noalias() = inv_B * delta.colwise().sum();
}

// W_n ← W_n − η(∂L/∂W_n + λ·W_n) = (1 − ηλ)·W_n − (η/B)·out_{n-1}ᵀ·δ_n
template <typename Scalar, typename Out, typename Delta, typename W>
void descend_weights(const Out& out_prev, const Delta& delta, Scalar step, Scalar decay, W&& w) {
    if (decay != Scalar(1)) w *= decay;
    w.noalias() -= step * (out_prev.transpose() * delta);
}

// b_n ← b_n − η·∂L/∂b_n
template <typename Scalar, typename Delta, typename B>
void descend_bias(const Delta& delta, Scalar step, B&& b) {
    b.noalias() -= step * delta.colwise().sum();
}

template <typename Scalar>
class BasicNetwork {
public:
    // sizes = {n_0, n_1, ..., n_m}; the paper's network is {784, 800, 10}.
    // Weights are drawn from He's normal distribution N(0, 2/n_{j-1}), biases are 0.
    explicit BasicNetwork(std::vector<int> sizes = {784, 800, 10}, std::uint64_t seed = 1);

    const std::vector<int>& sizes() const { return sizes_; }
    int input_size() const { return sizes_.front(); }
    int output_size() const { return sizes_.back(); }
    std::size_t layer_count() const { return layers_.size(); }
    std::size_t parameter_count() const;

    DenseLayer<Scalar>& layer(std::size_t j) { return layers_[j]; }  // j = 0 is the paper's layer 1
    const DenseLayer<Scalar>& layer(std::size_t j) const { return layers_[j]; }

    // Fills act.out and act.net_last for the B × n_0 batch `input`; act.out.back() = s(net_m).
    void forward(const MatrixT<Scalar>& input, Activations<Scalar>& act, Dropout dropout = {}) const;

    // Mean cross-entropy of the batch against `labels`; runs forward, then sets
    // act.delta.back() = δ_m = out_m − y.
    Scalar forward_loss(const MatrixT<Scalar>& input, std::span<const std::uint8_t> labels,
                        Activations<Scalar>& act, Dropout dropout = {}) const;

    // After forward_loss on the same input: δ_n for every layer and the gradients.
    // No gradient is formed for the input itself.
    void backward(const MatrixT<Scalar>& input, Activations<Scalar>& act, Gradients<Scalar>& grad) const;

    // The logits net_m of one image of n_0 values in [0, 1], and its class probabilities s(net_m).
    std::vector<Scalar> logits(std::span<const Scalar> image) const;
    std::vector<Scalar> predict(std::span<const Scalar> image) const;

    bool all_finite() const;

    // How its inputs were prepared in training: the share of their slant taken out (deskew.h),
    // 0 for inputs as they are, and the share of the ink left out at the top and at the bottom
    // when the slant was measured (0 where nothing is deskewed: there is no slant to measure).
    // Every reader deskews by them before the first layer; the model file keeps them with the
    // weights.
    double deskew() const { return deskew_; }
    double deskew_trim() const { return deskew_trim_; }
    void set_deskew(double strength, double trim = 0) { deskew_ = strength, deskew_trim_ = strength != 0 ? trim : 0; }

    // The passes' steps, of which forward, forward_loss and backward are made.
    // Sizes act.out for a pass and sets act.keep_scale.
    void begin_forward(Activations<Scalar>& act, Dropout dropout) const;
    // Layer j (0-based) on `in` = out_{j}: out_{j+1} = r(net) on a hidden layer (then dropped
    // out), the logits net_m on the last.
    void forward_layer(std::size_t j, const MatrixT<Scalar>& in, Activations<Scalar>& act, Dropout dropout) const;
    // Dropout on hidden layer j's out, once it is formed.
    void drop_out(std::size_t j, Activations<Scalar>& act, Dropout dropout) const;
    // out_m = s(net_m), δ_m = out_m − y; returns the batch's mean cross-entropy.
    Scalar loss(std::span<const std::uint8_t> labels, Activations<Scalar>& act) const;
    // δ_{n-1} from δ_n, for n ≥ 1 (0-based layers n-1 and n are the paper's n and n+1).
    void propagate_delta(std::size_t n, Activations<Scalar>& act) const;

private:
    std::vector<int> sizes_;
    std::vector<DenseLayer<Scalar>> layers_;
    double deskew_ = 0, deskew_trim_ = 0;
};

using Network = BasicNetwork<float>;

// A network of another precision with the same parameters (for checking float against double).
template <typename To, typename From>
BasicNetwork<To> convert_network(const BasicNetwork<From>& from) {
    BasicNetwork<To> to(from.sizes(), 0);
    to.set_deskew(from.deskew(), from.deskew_trim());
    for (std::size_t j = 0; j < from.layer_count(); ++j) {
        to.layer(j).W = from.layer(j).W.template cast<To>();
        to.layer(j).b = from.layer(j).b.template cast<To>();
    }
    return to;
}

}  // namespace digitpad
