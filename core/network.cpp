#include "network.h"

#include "loss.h"

#include <cassert>
#include <cmath>
#include <stdexcept>

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
void BasicNetwork<Scalar>::begin_forward(Activations<Scalar>& act, Dropout dropout) const {
    act.out.resize(layers_.size());
    act.keep_scale = dropout.on() ? Scalar(1) / (Scalar(1) - static_cast<Scalar>(dropout.rate)) : Scalar(1);
}

template <typename Scalar>
void BasicNetwork<Scalar>::forward_layer(std::size_t j, const MatrixT<Scalar>& in, Activations<Scalar>& act,
                                         Dropout dropout) const {
    const DenseLayer<Scalar>& L = layers_[j];
    if (j + 1 < layers_.size()) {
        hidden_layer(in, L.W, L.b, act.out[j]);
        drop_out(j, act, dropout);
    } else {
        act.net_last.noalias() = in * L.W;
        act.net_last.rowwise() += L.b;
    }
}

template <typename Scalar>
void BasicNetwork<Scalar>::drop_out(std::size_t j, Activations<Scalar>& act, Dropout dropout) const {
    if (!dropout.on()) return;
    std::bernoulli_distribution keep(1.0 - dropout.rate);
    MatrixT<Scalar>& out = act.out[j];
    for (Eigen::Index k = 0; k < out.size(); ++k)
        out.data()[k] = keep(*dropout.rng) ? out.data()[k] * act.keep_scale : Scalar(0);
}

template <typename Scalar>
void BasicNetwork<Scalar>::forward(const MatrixT<Scalar>& input, Activations<Scalar>& act, Dropout dropout) const {
    assert(input.cols() == input_size());
    begin_forward(act, dropout);
    for (std::size_t j = 0; j < layers_.size(); ++j) forward_layer(j, j == 0 ? input : act.out[j - 1], act, dropout);
}

template <typename Scalar>
Scalar BasicNetwork<Scalar>::loss(std::span<const std::uint8_t> labels, Activations<Scalar>& act) const {
    act.delta.resize(layers_.size());
    return softmax_cross_entropy(act.net_last, labels, act.out.back(), act.delta.back());
}

template <typename Scalar>
Scalar BasicNetwork<Scalar>::forward_loss(const MatrixT<Scalar>& input, std::span<const std::uint8_t> labels,
                                          Activations<Scalar>& act, Dropout dropout) const {
    forward(input, act, dropout);
    return loss(labels, act);
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
        weight_gradient(n == 0 ? input : act.out[n - 1], act.delta[n], inv_B, grad.dW[n]);
        bias_gradient(act.delta[n], inv_B, grad.db[n]);
        if (n > 0) propagate_delta(n, act);  // no gradient for the input
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
std::vector<Scalar> BasicNetwork<Scalar>::logits(std::span<const Scalar> image) const {
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
    return std::vector<Scalar>(net.data(), net.data() + net.size());
}

template <typename Scalar>
std::vector<Scalar> BasicNetwork<Scalar>::predict(std::span<const Scalar> image) const {
    const std::vector<Scalar> net = logits(image);
    MatrixT<Scalar> net_m = Eigen::Map<const RowVectorT<Scalar>>(net.data(), output_size()), s;
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
