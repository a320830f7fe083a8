#include "network.h"

#include "loss.h"
#include "output_layer.h"
#include "threads.h"

#include <cassert>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <cmath>
#include <random>
#include <stdexcept>
#include <type_traits>

namespace digitpad {

template <typename Scalar>
BasicNetwork<Scalar>::BasicNetwork(std::vector<int> sizes, std::uint64_t seed) : sizes_(std::move(sizes)) {
    if (sizes_.size() < 2)
        throw std::invalid_argument("a network needs an input size and at least one layer");
    for (int n : sizes_)
        if (n <= 0) throw std::invalid_argument("every layer needs at least one neuron");
    std::mt19937_64 rng(seed);
    for (std::size_t j = 1; j < sizes_.size(); ++j) {
        DenseLayer<Scalar> layer;
        layer.W.resize(sizes_[j - 1], sizes_[j]);
        layer.b = RowVectorT<Scalar>::Zero(sizes_[j]);
        std::normal_distribution<double> he(0.0, std::sqrt(2.0 / sizes_[j - 1]));
        for (Eigen::Index k = 0; k < layer.W.size(); ++k) layer.W.data()[k] = static_cast<Scalar>(he(rng));
        layers_.push_back(std::move(layer));
    }
}

template <typename Scalar>
std::size_t BasicNetwork<Scalar>::parameter_count() const {
    std::size_t n = 0;
    for (const auto& l : layers_) n += static_cast<std::size_t>(l.W.size() + l.b.size());
    return n;
}

template <typename Scalar>
void BasicNetwork<Scalar>::forward(const MatrixT<Scalar>& input, Activations<Scalar>& act, Dropout dropout) const {
    assert(input.cols() == input_size());
    const std::size_t m = layers_.size();
    act.out.resize(m);
    const bool drop = dropout.rate > 0 && dropout.rng;
    act.keep_scale = drop ? Scalar(1) / (Scalar(1) - static_cast<Scalar>(dropout.rate)) : Scalar(1);
    act.sparse_input = false;
    bool first_done = false;  // the first layer's product is formed here, not by Eigen below
    if constexpr (std::is_same_v<Scalar, float>) {
        const DenseLayer<Scalar>& L = layers_[0];
        Matrix& net = m > 1 ? act.out[0] : act.net_last;
        if (act.bf16) {
            act.bf16->forward(input, L.W, L.b, m > 1, net);
            first_done = true;
        } else {
            // The first layer skips the input's zeros where that pays (sparse_input.h).
            SparseInput& index = act.input_index;
            index.resize(input.rows(), input.cols());
            on_shares(index.row_groups(), [&](Eigen::Index first, Eigen::Index last) { index.index_rows(input, first, last); });
            act.sparse_input = first_done = index.sparse_rows();
            if (act.sparse_input) {
                net.resize(input.rows(), L.W.cols());
                on_shares(L.W.cols(), [&](Eigen::Index first, Eigen::Index last) {
                    sparse_product(index, L.W, L.b, first, last - first, m > 1, net);
                });
            }
        }
    }
    for (std::size_t j = 0; j < m; ++j) {
        const MatrixT<Scalar>& in = j == 0 ? input : act.out[j - 1];
        const DenseLayer<Scalar>& L = layers_[j];
        const bool done = j == 0 && first_done;
        if (j + 1 < m) {
            // out_j = r(out_{j-1} · W_j + b_j); bias and ReLU in one pass over the product.
            if (!done) {
                act.out[j].noalias() = in * L.W;
                act.out[j] = (act.out[j].rowwise() + L.b).cwiseMax(Scalar(0));
            }
            if (drop) {
                std::bernoulli_distribution keep(1.0 - dropout.rate);
                for (Eigen::Index k = 0; k < act.out[j].size(); ++k)
                    act.out[j].data()[k] = keep(*dropout.rng) ? act.out[j].data()[k] * act.keep_scale : Scalar(0);
            }
        } else if (!done) {
            act.net_last.noalias() = in * L.W;
            act.net_last.rowwise() += L.b;
        }
    }
}

template <typename Scalar>
Scalar BasicNetwork<Scalar>::forward_loss(const MatrixT<Scalar>& input, std::span<const std::uint8_t> labels,
                                          Activations<Scalar>& act, Dropout dropout) const {
    forward(input, act, dropout);
    act.delta.resize(layers_.size());
    return softmax_cross_entropy(act.net_last, labels, act.out.back(), act.delta.back());
}

template <typename Scalar>
void BasicNetwork<Scalar>::backward(const MatrixT<Scalar>& input, Activations<Scalar>& act,
                                    Gradients<Scalar>& grad) const {
    const std::size_t m = layers_.size();
    assert(act.delta.size() == m && act.delta.back().rows() == input.rows());
    grad.dW.resize(m);
    grad.db.resize(m);
    const Scalar inv_B = Scalar(1) / static_cast<Scalar>(input.rows());
    for (std::size_t n = m; n-- > 0;) {
        // δ_n is known here (δ_m = out_m − y came from the loss).
        const MatrixT<Scalar>& delta = act.delta[n];
        const MatrixT<Scalar>& out_prev = n == 0 ? input : act.out[n - 1];
        if (!(n == 0 && first_layer_update(input, act, Scalar(0), inv_B, grad.dW[0])))
            grad.dW[n].noalias() = inv_B * (out_prev.transpose() * delta);  // ∂L/∂W_n = out_{n-1}ᵀ·δ_n / B
        grad.db[n].noalias() = inv_B * delta.colwise().sum();           // ∂L/∂b_n = mean rows of δ_n
        if (n == 0) break;                                              // no gradient for the input
        propagate_delta(n, act);
    }
}

template <typename Scalar>
bool BasicNetwork<Scalar>::first_layer_update(const MatrixT<Scalar>& input, Activations<Scalar>& act, Scalar alpha,
                                              Scalar beta, MatrixT<Scalar>& target) const {
    if constexpr (std::is_same_v<Scalar, float>) {
        if (act.bf16) {
            act.bf16->update(input, act.delta[0], alpha, beta, target);
            return true;
        }
        if (!act.sparse_input) return false;  // forward found the input dense (or it is another batch size)
        SparseInput& index = act.input_index;
        assert(index.rows() == input.rows() && index.cols() == input.cols());
        on_shares(index.column_groups(), [&](Eigen::Index first, Eigen::Index last) {
            index.index_columns(input, first, last);
        });
        if (!index.sparse_columns()) return false;
        if (alpha == 0) target.resize(input.cols(), act.delta[0].cols());
        on_shares(target.cols(), [&](Eigen::Index first, Eigen::Index last) {
            sparse_update(index, act.delta[0], alpha, beta, first, last - first, target);
        });
        return true;
    } else {
        (void)input, (void)act, (void)alpha, (void)beta, (void)target;
        return false;
    }
}

template <typename Scalar>
void BasicNetwork<Scalar>::propagate_delta(std::size_t n, Activations<Scalar>& act) const {
    // In the forward pass out_{n-1} = r(net_{n-1}), so now
    // δ_{n-1} = (δ_n · W_nᵀ) ⊗ r'(net_{n-1}), with r'(net) = [out > 0]. With dropout,
    // out = r(net)·mask/(1−p): out > 0 exactly where the unit was kept and active, and the
    // kept units carry the factor 1/(1−p) (keep_scale).
    const MatrixT<Scalar>& out_prev = act.out[n - 1];
    MatrixT<Scalar>& delta_prev = act.delta[n - 1];
    delta_prev.noalias() = act.delta[n] * layers_[n].W.transpose();
    delta_prev = (out_prev.array() > Scalar(0)).select(act.keep_scale * delta_prev.array(), Scalar(0));
}

template <typename Scalar>
void BasicNetwork<Scalar>::backward_descend(const MatrixT<Scalar>& input, Activations<Scalar>& act, Scalar eta,
                                            Scalar lambda) {
    const std::size_t m = layers_.size();
    assert(act.delta.size() == m && act.delta.back().rows() == input.rows());
    const Scalar step = eta / static_cast<Scalar>(input.rows());
    for (std::size_t n = m; n-- > 0;) {
        const MatrixT<Scalar>& delta = act.delta[n];
        const MatrixT<Scalar>& out_prev = n == 0 ? input : act.out[n - 1];
        DenseLayer<Scalar>& L = layers_[n];
        if (n > 0) propagate_delta(n, act);  // δ_{n-1} needs W_n as it was in the forward pass
        if (!(n == 0 && first_layer_update(input, act, Scalar(1) - eta * lambda, -step, L.W))) {
            if (lambda != Scalar(0)) L.W *= Scalar(1) - eta * lambda;
            L.W.noalias() -= step * (out_prev.transpose() * delta);
        }
        L.b.noalias() -= step * delta.colwise().sum();
    }
}

template <typename Scalar>
Scalar BasicNetwork<Scalar>::sgd_step_split(const MatrixT<Scalar>& input, std::span<const std::uint8_t> labels,
                                            Activations<Scalar>& act, Scalar eta, Scalar lambda, int threads, int shares) {
    assert(layers_.size() == 2);
#ifndef _OPENMP
    (void)threads, (void)shares;
    const Scalar loss = forward_loss(input, labels, act);
    backward_descend(input, act, eta, lambda);
    return loss;
#else
    const Eigen::Index B = input.rows(), H = sizes_[1], C = sizes_[2];
    const int S = std::max(shares, threads);
    act.out.resize(2);
    act.delta.resize(2);
    act.out[0].resize(B, H);
    act.delta[0].resize(B, H);
    act.net_last.resize(B, C);
    act.keep_scale = 1;
    act.partial_net.resize(static_cast<std::size_t>(S));
    act.share_WT.resize(static_cast<std::size_t>(S));
    const Scalar step = eta / static_cast<Scalar>(B);
    DenseLayer<Scalar>& L1 = layers_[0];
    DenseLayer<Scalar>& L2 = layers_[1];
    Scalar loss = 0;
    // In BF16, the two products with X run on all threads through oneDNN: out_1 before the
    // region, W_1's update after it.
    bool bf16 = false;
    if constexpr (std::is_same_v<Scalar, float>) {
        bf16 = act.bf16 != nullptr;
        if (bf16) act.bf16->forward(input, L1.W, L1.b, true, act.out[0]);
    }
    constexpr bool kFloat = std::is_same_v<Scalar, float>;  // the hand-tiled products are float
    const bool tiled_output = kFloat && C <= kMaxClasses;   // the output layer's products by output_layer.h
    // Share s holds hidden units [c0, c0 + n): the arithmetic of a share is the same whichever
    // thread runs it, so the result depends on the number of shares, not of threads.
    auto units = [&](int s) { return std::pair{H * s / S, H * (s + 1) / S - H * s / S}; };
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num(), T = omp_get_num_threads();
        const int s0 = S * t / T, s1 = S * (t + 1) / T;  // this thread's shares

        // out_1 = r(X·W_1 + b_1) for these units (unless BF16 formed it); their share of net_2.
        // In float, X's zeros are skipped where that pays (sparse_input.h): the rows are indexed
        // for this product, the columns for W_1's update, while the forward pass goes on.
        bool sparse = false;
        if constexpr (kFloat) {
            if (!bf16) {
                SparseInput& index = act.input_index;
#pragma omp single
                index.resize(B, input.cols());
                index.index_rows(input, index.row_groups() * t / T, index.row_groups() * (t + 1) / T);
#pragma omp barrier
                sparse = index.sparse_rows();  // the same on every thread
            }
        }
        for (int sh = s0; sh < s1; ++sh) {
            const auto [c0, n] = units(sh);
            if constexpr (kFloat) {
                if (sparse) sparse_product(act.input_index, L1.W, L1.b, c0, n, true, act.out[0]);
            }
            if (!sparse && !bf16) {
                auto out1 = act.out[0].middleCols(c0, n);
                out1.noalias() = input * L1.W.middleCols(c0, n);
                out1 = (out1.rowwise() + L1.b.segment(c0, n)).cwiseMax(Scalar(0));
            }
            MatrixT<Scalar>& partial = act.partial_net[static_cast<std::size_t>(sh)];
            auto W2 = L2.W.middleRows(c0, n);  // n × 10
            if constexpr (kFloat) {
                if (tiled_output) {
                    MatrixT<Scalar>& W2T = act.share_WT[static_cast<std::size_t>(sh)];
                    W2T = W2.transpose();
                    partial.resize(B, C);
                    output_share(act.out[0], c0, W2T, partial);
                }
            }
            if (!tiled_output) partial.noalias() = act.out[0].middleCols(c0, n) * W2;
        }
        if constexpr (kFloat) {
            if (sparse) act.input_index.index_columns(input, act.input_index.column_groups() * t / T,
                                                      act.input_index.column_groups() * (t + 1) / T);
        }
#pragma omp barrier
#pragma omp single
        {
            act.net_last = act.partial_net[0];
            for (int k = 1; k < S; ++k) act.net_last += act.partial_net[static_cast<std::size_t>(k)];
            act.net_last.rowwise() += L2.b;
            loss = softmax_cross_entropy(act.net_last, labels, act.out[1], act.delta[1]);
            L2.b.noalias() -= step * act.delta[1].colwise().sum();
        }  // the end of `single` is a barrier: δ_2 is ready for everyone
        const MatrixT<Scalar>& delta2 = act.delta[1];
        // In the forward pass out_1 = r(net_1), so δ_1 = (δ_2·W_2ᵀ) ⊗ [out_1 > 0], then descend.
        const Scalar decay = Scalar(1) - eta * lambda;
        for (int sh = s0; sh < s1; ++sh) {
            const auto [c0, n] = units(sh);
            auto W1 = L1.W.middleCols(c0, n);  // 784 × n: this share's hidden units
            auto W2 = L2.W.middleRows(c0, n);
            auto out1 = act.out[0].middleCols(c0, n);
            auto delta1 = act.delta[0].middleCols(c0, n);
            if constexpr (kFloat) {
                if (tiled_output) {
                    hidden_delta(delta2, act.share_WT[static_cast<std::size_t>(sh)], act.out[0], c0, act.delta[0]);
                    output_update(act.out[0], delta2, decay, -step, c0, n, L2.W);
                }
            }
            if (!tiled_output) {
                delta1.noalias() = delta2 * W2.transpose();
                delta1.array() = (out1.array() > Scalar(0)).select(delta1.array(), Scalar(0));
                if (lambda != Scalar(0)) W2 *= decay;
                W2.noalias() -= step * (out1.transpose() * delta2);
            }
            bool sparse_update_W1 = false;
            if constexpr (kFloat) {
                sparse_update_W1 = sparse && act.input_index.sparse_columns();
                if (sparse_update_W1) sparse_update(act.input_index, act.delta[0], decay, -step, c0, n, L1.W);
            }
            if (!sparse_update_W1 && !bf16) {
                if (lambda != Scalar(0)) W1 *= decay;
                W1.noalias() -= step * (input.transpose() * delta1);
            }
            L1.b.segment(c0, n).noalias() -= step * delta1.colwise().sum();
        }
    }
    if constexpr (std::is_same_v<Scalar, float>) {
        if (bf16) act.bf16->update(input, act.delta[0], Scalar(1) - eta * lambda, -step, L1.W);
    }
    return loss;
#endif
}

template <typename Scalar>
std::vector<Scalar> BasicNetwork<Scalar>::predict(std::span<const Scalar> image) const {
    assert(static_cast<int>(image.size()) == input_size());
    // One row vector: net = out · W + b as a sum of the rows of W weighted by the entries of
    // out, skipping zeros. A drawn digit leaves ~80% of its pixels at 0 and ReLU zeroes about
    // half of the hidden units, so this does a fraction of the dense product's work.
    RowVectorT<Scalar> out = Eigen::Map<const RowVectorT<Scalar>>(image.data(), input_size());
    RowVectorT<Scalar> net;
    for (std::size_t j = 0; j < layers_.size(); ++j) {
        const DenseLayer<Scalar>& L = layers_[j];
        net = L.b;
        for (Eigen::Index i = 0; i < out.size(); ++i)
            if (out(i) != Scalar(0)) net.noalias() += out(i) * L.W.row(i);
        if (j + 1 < layers_.size()) out = net.cwiseMax(Scalar(0));
    }
    MatrixT<Scalar> net_m = net, s;
    softmax_forward(net_m, s);
    return std::vector<Scalar>(s.data(), s.data() + s.size());
}

template <typename Scalar>
bool BasicNetwork<Scalar>::all_finite() const {
    for (const auto& l : layers_)
        if (!l.W.allFinite() || !l.b.allFinite()) return false;
    return true;
}

template class BasicNetwork<float>;
template class BasicNetwork<double>;

}  // namespace digitpad
