// The paper's feed-forward network, for any number of dense layers (appendix E).
//
// Layer j (1..m) holds W_j (n_{j-1} × n_j) and b_j (1 × n_j). For a batch of B row vectors:
//   net_j = out_{j-1} · W_j + b_j        (out_0 = input, B × n_0)
//   out_j = r(net_j) = max(0, net_j)     hidden layers
//   out_m = s(net_m)                     softmax on the output layer
// Back-propagation with δ_m = out_m − y and δ_n = (δ_{n+1} · W_{n+1}ᵀ) ⊗ r'(net_n):
//   ∂L/∂W_n = out_{n-1}ᵀ · δ_n / B,   ∂L/∂b_n = mean of the rows of δ_n.
#pragma once

#include "bf16_products.h"
#include "matrix.h"
#include "sparse_input.h"

#include <array>
#include <cstdint>
#include <memory>
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
    std::vector<MatrixT<Scalar>> partial_net;  // sgd_step_split: each share's part of net_2
    std::vector<MatrixT<Scalar>> share_WT;     // sgd_step_split (float): each share's rows of W_2, transposed
    SparseInput input_index;                   // float: the batch's nonzeros, for the first layer
    bool sparse_input = false;                 // forward's first layer used input_index
    // float: when set, the first layer's two products run in BF16 (bf16_products.h), not FP32.
    std::unique_ptr<Bf16Products> bf16;
};

// Inverted dropout on the hidden layers while training: each hidden unit is zeroed with
// probability `rate` and the survivors scaled by 1/(1−rate), so inference needs no change.
struct Dropout {
    float rate = 0;
    std::mt19937_64* rng = nullptr;
};

template <typename Scalar>
struct Gradients {
    std::vector<MatrixT<Scalar>> dW;     // dW[j-1] = ∂L/∂W_j
    std::vector<RowVectorT<Scalar>> db;  // db[j-1] = ∂L/∂b_j
};

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

    // The paper's gradient descent a ← a − η(∇a + λa) fused into back-propagation: each
    // W_n ← (1 − ηλ)·W_n − (η/B)·out_{n−1}ᵀ·δ_n is one accumulating product (δ_{n−1} is formed
    // from W_n first), so no gradient is stored and no separate update pass runs.
    void backward_descend(const MatrixT<Scalar>& input, Activations<Scalar>& act, Scalar eta, Scalar lambda = 0);

    // One SGD step of the paper's two-layer network (layer_count() == 2) with the hidden units
    // split into max(shares, threads) shares, shared out among `threads` threads. Share s owns
    // hidden units [c_s, c_{s+1}): its thread computes out_1 and its part of
    // net_2 = Σ_s out_1[:, s]·W_2[s, :] + b_2; after a barrier one thread forms s(net_2) (the
    // parts summed in the order of the shares) and δ_2; then each thread back-propagates δ_1 for
    // its shares' units and descends on their columns of W_1, entries of b_1 and rows of W_2.
    // The result depends on the number of shares alone, so a run is the same on 1 thread or
    // on 2 (Auto threads switches between them). Two barriers a step
    // instead of a fork and a join around every product; each thread's products run on one
    // core. In float, the two products with the input skip its zeros (SparseInput), or, with
    // act.bf16, run in BF16 on all threads before and after that region (bf16_products.h).
    // Without OpenMP it is forward_loss + backward_descend. Returns the batch loss.
    Scalar sgd_step_split(const MatrixT<Scalar>& input, std::span<const std::uint8_t> labels, Activations<Scalar>& act,
                          Scalar eta, Scalar lambda, int threads, int shares = 0);

    // Class probabilities of one image of n_0 values in [0, 1].
    std::vector<Scalar> predict(std::span<const Scalar> image) const;

    bool all_finite() const;

private:
    // target ← α·target + β·inputᵀ·δ_1 in BF16 when act.bf16 is set, else with the sparse
    // products when forward found the input sparse (float only); false, and nothing done, otherwise.
    bool first_layer_update(const MatrixT<Scalar>& input, Activations<Scalar>& act, Scalar alpha, Scalar beta,
                            MatrixT<Scalar>& target) const;

    // δ_{n-1} from δ_n (appendix E), for n ≥ 1; layers n-1 and n are the paper's n and n+1.
    void propagate_delta(std::size_t n, Activations<Scalar>& act) const;

    std::vector<int> sizes_;
    std::vector<DenseLayer<Scalar>> layers_;
};

using Network = BasicNetwork<float>;

// A network of another precision with the same parameters (for checking float against double).
template <typename To, typename From>
BasicNetwork<To> convert_network(const BasicNetwork<From>& from) {
    BasicNetwork<To> to(from.sizes(), 0);
    for (std::size_t j = 0; j < from.layer_count(); ++j) {
        to.layer(j).W = from.layer(j).W.template cast<To>();
        to.layer(j).b = from.layer(j).b.template cast<To>();
    }
    return to;
}

}  // namespace digitpad
