// The fast engine: the paper's passes (network.h) on float networks, with the first layer's
// two products, X·W_1 and the update with Xᵀ·δ_1 (98% of a step's multiplications in the
// paper's 784-800-10 network), formed by one of three kernels, chosen once per batch:
//   - bf16:   in BF16 on the CPU's BF16 units through oneDNN (bf16_products.h), when asked for;
//   - sparse: over the input's nonzeros (sparse_input.h), when the batch is mostly zeros;
//   - dense:  Eigen's products, as in the paper's code.
// The output layer's products (up to kMaxClasses classes, fed by a hidden layer, no dropout)
// are output_layer.h's. A layer between two hidden layers (no dropout) takes the same kernels
// where they are wider than the SIMD Eigen was compiled for (a portable build: SSE2): the
// products over its input's nonzeros and δ's propagation by output_layer.h's hidden_delta;
// elsewhere, and for every other layer, the paper's own code. For gradient descent on the
// paper's two-layer network, sgd_step splits the hidden units among the threads. tests/core/test_engine.cpp checks every kernel, on 1, 2 and 3 threads, against the
// paper's network in double.
#pragma once

#include "bf16_products.h"
#include "network.h"
#include "sparse_input.h"

#include <memory>
#include <span>
#include <vector>

namespace digitpad {

class Engine {
public:
    enum class Kernel { dense, sparse, bf16 };

    // The kernel the engine prefers: bf16 always (throws std::runtime_error when
    // !bf16_available()); sparse where the batch is sparse enough to pay, else dense; dense always.
    explicit Engine(Kernel preferred = Kernel::sparse);

    // As BasicNetwork::forward and forward_loss.
    void forward(const Network& net, const Matrix& X, Dropout dropout = {});
    float forward_loss(const Network& net, const Matrix& X, std::span<const std::uint8_t> y, Dropout dropout = {});
    // After forward_loss on X with the same, unchanged net: as BasicNetwork::backward.
    void backward(const Network& net, const Matrix& X, Gradients<float>& grad);

    // One step of the paper's gradient descent with weight decay λ on the batch: forward_loss,
    // then back-propagation with each layer's W_n ← (1 − ηλ)·W_n − (η/B)·out_{n−1}ᵀ·δ_n done as
    // soon as δ_{n−1} is formed from W_n, so no gradient is stored. For the paper's two-layer
    // network without dropout the hidden units are cut into max(shares, threads) shares shared
    // out among `threads` threads (split_step); the result depends on the shares alone. Returns
    // the batch loss.
    float sgd_step(Network& net, const Matrix& X, std::span<const std::uint8_t> y, float eta, float lambda,
                   Dropout dropout, int threads, int shares);

    // One image through the network, as BasicNetwork::logits (the same sums, skipping the zero
    // inputs, in another order), each layer by the kernels' weighted_rows: how a drawing is read.
    static std::vector<float> logits(const Network& net, std::span<const float> image);

    // Whether a layer between two hidden layers takes the kernels (with the kernel set in use).
    static bool hidden_layers_take_kernels();

    const Activations<float>& activations() const { return act_; }
    Kernel kernel() const { return kernel_; }  // the first layer's, in the last batch

private:
    // Whether layer n's products go through the output layer's kernels (output_layer.h): the
    // last layer, fed by a hidden layer, with at most kMaxClasses outputs; else Eigen's.
    bool by_output_kernels(const Network& net, std::size_t n) const;
    // Whether layer n, fed by a hidden layer and feeding one, takes the kernels (see the top).
    bool by_hidden_kernels(const Network& net, std::size_t n) const;
    // Indexes X's rows where the sparse kernel is preferred; sets kernel_.
    void choose_kernel(const Matrix& X);
    // net = X·W_1 + b_1 (then r when `relu`) by kernel_.
    void first_layer_forward(const DenseLayer<float>& L, const Matrix& X, bool relu, Matrix& net);
    // target ← α·target + β·Xᵀ·δ_1 by kernel_ (α = 0: target is overwritten, resized); false,
    // and nothing done, when the dense product is to be used.
    bool first_layer_update(const Matrix& X, float alpha, float beta, Matrix& target);
    // net_n = out_{n−1}·W_n + b_n, then r, by the kernels (by_hidden_kernels).
    void hidden_layer_forward(const DenseLayer<float>& L, std::size_t n);
    // Back-propagation through layer n after the forward pass: δ_{n−1} from W_n as it is (for
    // n > 0), then target ← α·target + β·out_{n−1}ᵀ·δ_n (out_{−1} = X; α = 0: overwritten,
    // resized). Gradients take α = 0, β = 1/B; gradient descent α = 1 − ηλ, β = −η/B on W_n.
    void back_layer(const Network& net, std::size_t n, const Matrix& X, float alpha, float beta, Matrix& target);
    float split_step(Network& net, const Matrix& X, std::span<const std::uint8_t> y, float eta, float lambda,
                     int threads, int shares);

    Kernel preferred_;
    Kernel kernel_ = Kernel::dense;
    Activations<float> act_;
    SparseInput index_;                 // the batch's nonzeros, for the sparse kernel
    std::vector<SparseInput> hidden_index_;  // by_hidden_kernels: layer n's input's nonzeros, at n
    Matrix hidden_WT_;                  // back_layer: a hidden layer's W, transposed
    std::unique_ptr<Bf16Products> bf16_;
    std::vector<Matrix> partial_net_;   // split_step: each share's part of net_2
    std::vector<Matrix> share_WT_;      // split_step: each share's rows of W_2, transposed
    Matrix WT_;                         // forward, read by backward: the output layer's W, transposed
};

}  // namespace digitpad
