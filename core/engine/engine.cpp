#include "engine.h"

#include "kernels.h"
#include "output_layer.h"
#include "threads.h"

#include <algorithm>
#include <cassert>
#ifdef _OPENMP
#include <omp.h>
#endif

namespace digitpad {

namespace {

// f(first, count) for each of compute_shares() shares of `units` hidden units, the shares
// shared out among the threads. The kernels' tiles start at a share's first unit, so what they
// compute depends on the shares alone: the same on any threads up to the cores.
template <typename F>
void on_unit_shares(Eigen::Index units, F f) {
    const int S = compute_shares();
    on_shares(S, [&](int s0, int s1) {
        for (int s = s0; s < s1; ++s) f(units * s / S, units * (s + 1) / S - units * s / S);
    });
}

// The lists of in's nonzeros by rows (for layer_over_nonzeros) and by columns (for
// update_over_nonzeros), shared out among the threads.
void index_rows_of(const Matrix& in, SparseInput& index) {
    index.resize(in.rows(), in.cols());
    on_shares(index.row_groups(), [&](Eigen::Index first, Eigen::Index last) { index.index_rows(in, first, last); });
}

void index_columns_of(const Matrix& in, SparseInput& index) {
    assert(index.rows() == in.rows() && index.cols() == in.cols());
    on_shares(index.column_groups(), [&](Eigen::Index first, Eigen::Index last) { index.index_columns(in, first, last); });
}

// out = in·W + b (then r when `relu`) over in's nonzeros, by shares of the units.
void layer_over_nonzeros(const SparseInput& in, const DenseLayer<float>& L, bool relu, Matrix& out) {
    out.resize(in.rows(), L.W.cols());
    on_unit_shares(L.W.cols(), [&](Eigen::Index first, Eigen::Index n) { sparse_product(in, L.W, L.b, first, n, relu, out); });
}

// target ← α·target + β·inᵀ·delta over in's nonzeros (α = 0: overwritten, resized), by shares
// of the units.
void update_over_nonzeros(const SparseInput& in, const Matrix& delta, float alpha, float beta, Matrix& target) {
    if (alpha == 0) target.resize(in.cols(), delta.cols());
    on_unit_shares(delta.cols(), [&](Eigen::Index first, Eigen::Index n) {
        sparse_update(in, delta, alpha, beta, first, n, target);
    });
}

}  // namespace

Engine::Engine(Kernel preferred) : preferred_(preferred) {
    if (preferred_ == Kernel::bf16) bf16_ = std::make_unique<Bf16Products>();
}

void Engine::choose_kernel(const Matrix& X) {
    kernel_ = preferred_ == Kernel::bf16 ? Kernel::bf16 : Kernel::dense;
    if (preferred_ != Kernel::sparse) return;
    index_rows_of(X, index_);
    if (index_.sparse_rows()) kernel_ = Kernel::sparse;
}

void Engine::first_layer_forward(const DenseLayer<float>& L, const Matrix& X, bool relu, Matrix& net) {
    if (kernel_ == Kernel::bf16) {
        bf16_->forward(X, L.W, L.b, relu, net);
        return;
    }
    layer_over_nonzeros(index_, L, relu, net);
}

bool Engine::first_layer_update(const Matrix& X, float alpha, float beta, Matrix& target) {
    const Matrix& delta = act_.delta[0];
    if (kernel_ == Kernel::bf16) {
        bf16_->update(X, delta, alpha, beta, target);
        return true;
    }
    if (kernel_ != Kernel::sparse) return false;
    index_columns_of(X, index_);
    if (!index_.sparse_columns()) return false;
    update_over_nonzeros(index_, delta, alpha, beta, target);
    return true;
}

void Engine::forward(const Network& net, const Matrix& X, Dropout dropout) {
    assert(X.cols() == net.input_size());
    const std::size_t m = net.layer_count();
    net.begin_forward(act_, dropout);
    choose_kernel(X);
    if (kernel_ == Kernel::dense) {
        net.forward_layer(0, X, act_, dropout);
    } else {
        first_layer_forward(net.layer(0), X, m > 1, m > 1 ? act_.out[0] : act_.net_last);
        if (m > 1) net.drop_out(0, act_, dropout);
    }
    for (std::size_t j = 1; j < m; ++j) {
        if (by_hidden_kernels(net, j)) {
            hidden_layer_forward(net.layer(j), j);
            continue;
        }
        if (!by_output_kernels(net, j)) {
            net.forward_layer(j, act_.out[j - 1], act_, dropout);
            continue;
        }
        // net_m = out_{m−1}·W_m + b_m by the kernel that runs along the hidden units, the
        // samples shared out among the threads (each sample's sums are its own).
        const DenseLayer<float>& L = net.layer(j);
        const Matrix& in = act_.out[j - 1];
        Matrix& out = act_.net_last;
        WT_ = L.W.transpose();
        out.resize(X.rows(), L.W.cols());
        on_shares(X.rows(), [&](Eigen::Index first, Eigen::Index last) {
            output_share(in.middleRows(first, last - first), 0, WT_, out.middleRows(first, last - first));
        });
        out.rowwise() += L.b;
    }
}

bool Engine::by_output_kernels(const Network& net, std::size_t n) const {
    return n > 0 && n + 1 == net.layer_count() && net.output_size() <= kMaxClasses && act_.keep_scale == 1.0f;
}

bool Engine::hidden_layers_take_kernels() {
    // Eigen's products run on the SIMD registers it was compiled for, the kernels on the CPU's.
    return kernels().lanes > Eigen::internal::packet_traits<float>::size;
}

bool Engine::by_hidden_kernels(const Network& net, std::size_t n) const {
    return n > 0 && n + 1 < net.layer_count() && act_.keep_scale == 1.0f && hidden_layers_take_kernels();
}

void Engine::hidden_layer_forward(const DenseLayer<float>& L, std::size_t n) {
    if (hidden_index_.size() < n + 1) hidden_index_.resize(n + 1);
    index_rows_of(act_.out[n - 1], hidden_index_[n]);
    layer_over_nonzeros(hidden_index_[n], L, true, act_.out[n]);
}

void Engine::back_layer(const Network& net, std::size_t n, const Matrix& X, float alpha, float beta, Matrix& target) {
    const Matrix& in = n == 0 ? X : act_.out[n - 1];
    const Matrix& delta = act_.delta[n];
    if (by_output_kernels(net, n)) {
        // δ_{m−1} = (δ_m·W_mᵀ) ⊗ r'(net_{m−1}) and W_m's rows, by shares of the hidden units;
        // W_mᵀ is the forward pass's (W_m has not changed since).
        Matrix& delta_prev = act_.delta[n - 1];
        assert(WT_.rows() == net.layer(n).W.cols() && WT_.cols() == net.layer(n).W.rows());
        if (alpha == 0) target.setZero(in.cols(), delta.cols());
        delta_prev.resize(in.rows(), in.cols());
        on_unit_shares(in.cols(), [&](Eigen::Index first, Eigen::Index count) {
            hidden_delta(delta, WT_.middleCols(first, count), in, first, delta_prev);
            output_update(in, delta, alpha, beta, first, count, target);
        });
        return;
    }
    if (by_hidden_kernels(net, n)) {
        // The same δ by the same kernel, then the update over the input's nonzeros (the samples
        // where each four units are on), as the first layer's.
        Matrix& delta_prev = act_.delta[n - 1];
        hidden_WT_ = net.layer(n).W.transpose();
        delta_prev.resize(in.rows(), in.cols());
        on_unit_shares(in.cols(), [&](Eigen::Index first, Eigen::Index count) {
            hidden_delta(delta, hidden_WT_.middleCols(first, count), in, first, delta_prev);
        });
        index_columns_of(in, hidden_index_[n]);
        update_over_nonzeros(hidden_index_[n], delta, alpha, beta, target);
        return;
    }
    if (n > 0) net.propagate_delta(n, act_);  // δ_{n−1} needs W_n as it was in the forward pass
    if (n == 0 && first_layer_update(X, alpha, beta, target)) return;
    if (alpha == 0)
        weight_gradient(in, delta, beta, target);
    else
        descend_weights(in, delta, -beta, alpha, target);
}

float Engine::forward_loss(const Network& net, const Matrix& X, std::span<const std::uint8_t> y, Dropout dropout) {
    forward(net, X, dropout);
    return net.loss(y, act_);
}

void Engine::backward(const Network& net, const Matrix& X, Gradients<float>& grad) {
    const std::size_t m = net.layer_count();
    assert(act_.delta.size() == m && act_.delta.back().rows() == X.rows());
    grad.dW.resize(m);
    grad.db.resize(m);
    const float inv_B = 1.0f / static_cast<float>(X.rows());
    for (std::size_t n = m; n-- > 0;) {
        bias_gradient(act_.delta[n], inv_B, grad.db[n]);
        back_layer(net, n, X, 0.0f, inv_B, grad.dW[n]);
    }
}

float Engine::sgd_step(Network& net, const Matrix& X, std::span<const std::uint8_t> y, float eta, float lambda,
                       Dropout dropout, int threads, int shares) {
#ifdef _OPENMP
    if (net.layer_count() == 2 && !dropout.on() && net.output_size() <= kMaxClasses)
        return split_step(net, X, y, eta, lambda, threads, shares);
#else
    (void)threads, (void)shares;
#endif
    const float loss = forward_loss(net, X, y, dropout);
    const float step = eta / static_cast<float>(X.rows()), decay = 1.0f - eta * lambda;
    for (std::size_t n = net.layer_count(); n-- > 0;) {
        DenseLayer<float>& L = net.layer(n);
        back_layer(net, n, X, decay, -step, L.W);
        descend_bias(act_.delta[n], step, L.b);
    }
    return loss;
}

std::vector<float> Engine::logits(const Network& net, std::span<const float> image) {
    assert(static_cast<int>(image.size()) == net.input_size());
    std::vector<float> x(image.begin(), image.end()), out, value;
    std::vector<int> index;
    for (std::size_t j = 0; j < net.layer_count(); ++j) {
        // The layer's nonzero inputs (about a fifth of a drawing's pixels, half of the hidden units).
        index.clear();
        value.clear();
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i] != 0.0f) {
                index.push_back(static_cast<int>(i));
                value.push_back(x[i]);
            }
        const DenseLayer<float>& L = net.layer(j);
        out.resize(static_cast<std::size_t>(L.W.cols()));
        kernels().weighted_rows(index.data(), value.data(), static_cast<Eigen::Index>(index.size()),
                                {L.W.data(), L.W.cols()}, L.b.data(), L.W.cols(), out.data());
        if (j + 1 < net.layer_count())
            for (float& v : out) v = std::max(v, 0.0f);  // r
        x.swap(out);
    }
    return x;
}

// Share s holds hidden units [c_s, c_{s+1}). Its thread computes out_1 and its part of
// net_2 = Σ_s out_1[:, s]·W_2[s, :] + b_2; after a barrier one thread forms s(net_2) (the
// parts summed in the order of the shares) and δ_2; then each thread back-propagates δ_1 for
// its shares' units and descends on their columns of W_1, entries of b_1 and rows of W_2. The
// arithmetic of a share is the same whichever thread runs it, so a run is the same on 1 thread
// or on 2 (Auto threads switches between them). Two barriers a step instead of a fork and a
// join around every product; each thread's products run on one core. The BF16 kernel's two
// products run on all threads through oneDNN, before and after the region. The region is kept
// whole (about 75 lines): its steps share the barriers and the shares.
float Engine::split_step(Network& net, const Matrix& X, std::span<const std::uint8_t> y, float eta, float lambda,
                         int threads, int shares) {
#ifdef _OPENMP
    const Eigen::Index B = X.rows(), H = net.sizes()[1], C = net.sizes()[2];
    const int S = std::max(shares, threads);
    act_.out.resize(2);
    act_.delta.resize(2);
    act_.out[0].resize(B, H);
    act_.delta[0].resize(B, H);
    act_.net_last.resize(B, C);
    act_.keep_scale = 1;
    partial_net_.resize(static_cast<std::size_t>(S));
    share_WT_.resize(static_cast<std::size_t>(S));
    const float step = eta / static_cast<float>(B), decay = 1.0f - eta * lambda;
    DenseLayer<float>& L1 = net.layer(0);
    DenseLayer<float>& L2 = net.layer(1);
    float loss = 0;
    kernel_ = preferred_ == Kernel::bf16 ? Kernel::bf16 : Kernel::dense;
    if (kernel_ == Kernel::bf16) bf16_->forward(X, L1.W, L1.b, true, act_.out[0]);
    const bool index = preferred_ == Kernel::sparse;
    if (index) index_.resize(B, X.cols());
    auto units = [&](int s) { return std::pair{H * s / S, H * (s + 1) / S - H * s / S}; };
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num(), T = omp_get_num_threads();
        const int s0 = S * t / T, s1 = S * (t + 1) / T;  // this thread's shares
        // The rows are indexed for the forward product, the columns for W_1's update while
        // the forward pass goes on.
        Kernel kernel = kernel_;
        if (index) {
            index_.index_rows(X, index_.row_groups() * t / T, index_.row_groups() * (t + 1) / T);
#pragma omp barrier
            if (index_.sparse_rows()) kernel = Kernel::sparse;  // the same on every thread
        }
        for (int sh = s0; sh < s1; ++sh) {
            const auto [c0, n] = units(sh);
            if (kernel == Kernel::sparse) sparse_product(index_, L1.W, L1.b, c0, n, true, act_.out[0]);
            if (kernel == Kernel::dense) hidden_layer(X, L1.W.middleCols(c0, n), L1.b.segment(c0, n), act_.out[0].middleCols(c0, n));
            Matrix& W2T = share_WT_[static_cast<std::size_t>(sh)];
            W2T = L2.W.middleRows(c0, n).transpose();
            Matrix& partial = partial_net_[static_cast<std::size_t>(sh)];
            partial.resize(B, C);
            output_share(act_.out[0], c0, W2T, partial);
        }
        if (kernel == Kernel::sparse)
            index_.index_columns(X, index_.column_groups() * t / T, index_.column_groups() * (t + 1) / T);
#pragma omp barrier
#pragma omp single
        {
            kernel_ = kernel;
            act_.net_last = partial_net_[0];
            for (int k = 1; k < S; ++k) act_.net_last += partial_net_[static_cast<std::size_t>(k)];
            act_.net_last.rowwise() += L2.b;
            loss = net.loss(y, act_);
            descend_bias(act_.delta[1], step, L2.b);
        }  // the end of `single` is a barrier: δ_2 is ready for everyone
        const Matrix& delta2 = act_.delta[1];
        for (int sh = s0; sh < s1; ++sh) {
            const auto [c0, n] = units(sh);
            // δ_1 = (δ_2·W_2ᵀ) ⊗ r'(net_1) for these units, then descend.
            hidden_delta(delta2, share_WT_[static_cast<std::size_t>(sh)], act_.out[0], c0, act_.delta[0]);
            output_update(act_.out[0], delta2, decay, -step, c0, n, L2.W);
            auto delta1 = act_.delta[0].middleCols(c0, n);
            if (kernel == Kernel::sparse && index_.sparse_columns())
                sparse_update(index_, act_.delta[0], decay, -step, c0, n, L1.W);
            else if (kernel != Kernel::bf16)
                descend_weights(X, delta1, step, decay, L1.W.middleCols(c0, n));
            descend_bias(delta1, step, L1.b.segment(c0, n));
        }
    }
    if (kernel_ == Kernel::bf16) bf16_->update(X, act_.delta[0], decay, -step, L1.W);
    return loss;
#else
    (void)net, (void)X, (void)y, (void)eta, (void)lambda, (void)threads, (void)shares;
    return 0;
#endif
}

}  // namespace digitpad
