#include "optimizer.h"

#include "threads.h"

#include "engine/kernels.h"

#include <cmath>
#include <stdexcept>

namespace digitpad {
namespace {

// Zero-filled state of the same shapes as the gradients, made on first use.
void ensure_state(Gradients<float>& state, const Gradients<float>& like) {
    if (state.dW.size() == like.dW.size()) return;
    state.dW.clear();
    state.db.clear();
    for (std::size_t j = 0; j < like.dW.size(); ++j) {
        state.dW.push_back(Matrix::Zero(like.dW[j].rows(), like.dW[j].cols()));
        state.db.push_back(RowVector::Zero(like.db[j].cols()));
    }
}

// One rule per function; A is a weight matrix or a bias row vector. λ is 0 for biases.
template <typename A>
void sgd_update(A& a, const A& g, float eta, float lambda) {
    if (lambda != 0.0f) a *= 1.0f - eta * lambda;
    a.noalias() -= eta * g;
}

// range(begin, end) over [0, n), split into one contiguous range per compute thread. The rules
// are element-wise and memory-bound (each reads and writes the whole network's worth of
// parameters and state), so each is one pass over its arrays, shared between the cores.
template <typename F>
void on_ranges(Eigen::Index n, F range) {
    if (n >= (1 << 14)) on_shares(n, range);
    else range(0, n);
}

// Momentum's and Adam's passes are the kernels' (engine/kernels.h: compiled for the CPU's widest
// vectors), each one pass over the arrays with g + λa, the gradient with the L2 term, formed
// inside it, never stored.
template <typename A>
void momentum_update(A& a, const A& g, A& v, float eta, float mu, bool nesterov, float lambda) {
    float* pa = a.data();
    float* pv = v.data();
    const float* pg = g.data();
    on_ranges(a.size(), [&](Eigen::Index begin, Eigen::Index end) {
        kernels().momentum_step(pa + begin, pg + begin, pv + begin, end - begin, eta, mu, nesterov, lambda);
    });
}

template <typename A>
void adam_update(A& a, const A& g, A& m, A& v, float step, float beta1, float beta2, float eps_hat, float lambda) {
    float* pa = a.data();
    float* pm = m.data();
    float* pv = v.data();
    const float* pg = g.data();
    on_ranges(a.size(), [&](Eigen::Index begin, Eigen::Index end) {
        kernels().adam_step(pa + begin, pg + begin, pm + begin, pv + begin, end - begin, step, beta1, beta2, eps_hat,
                            lambda);
    });
}

}  // namespace

void Sgd::update(const Gradients<float>& grad, Network& net) {
    for (std::size_t j = 0; j < net.layer_count(); ++j) {
        sgd_update(net.layer(j).W, grad.dW[j], eta, weight_decay);
        sgd_update(net.layer(j).b, grad.db[j], eta, 0.0f);
    }
}

void Momentum::update(const Gradients<float>& grad, Network& net) {
    ensure_state(v_, grad);
    for (std::size_t j = 0; j < net.layer_count(); ++j) {
        momentum_update(net.layer(j).W, grad.dW[j], v_.dW[j], eta, mu, nesterov, weight_decay);
        momentum_update(net.layer(j).b, grad.db[j], v_.db[j], eta, mu, nesterov, 0.0f);
    }
}

void Adam::update(const Gradients<float>& grad, Network& net) {
    ensure_state(m_, grad);
    ensure_state(v_, grad);
    ++t_;
    // m̂ = m / c1 and v̂ = v / c2 folded into the step: η m̂/(√v̂ + ε) = (η √c2 / c1) m/(√v + ε √c2).
    const float c1 = 1.0f - std::pow(beta1, static_cast<float>(t_));
    const float c2 = 1.0f - std::pow(beta2, static_cast<float>(t_));
    const float step = eta * std::sqrt(c2) / c1;
    const float eps_hat = epsilon * std::sqrt(c2);
    for (std::size_t j = 0; j < net.layer_count(); ++j) {
        adam_update(net.layer(j).W, grad.dW[j], m_.dW[j], v_.dW[j], step, beta1, beta2, eps_hat, weight_decay);
        adam_update(net.layer(j).b, grad.db[j], m_.db[j], v_.db[j], step, beta1, beta2, eps_hat, 0.0f);
    }
}

std::unique_ptr<Optimizer> make_optimizer(const std::string& name, float eta, float weight_decay) {
    std::unique_ptr<Optimizer> opt;
    if (name == "sgd") {
        opt = std::make_unique<Sgd>();
    } else if (name == "momentum" || name == "nesterov") {
        auto m = std::make_unique<Momentum>();
        m->nesterov = name == "nesterov";
        opt = std::move(m);
    } else if (name == "adam") {
        opt = std::make_unique<Adam>();
    } else {
        throw std::invalid_argument("unknown optimizer '" + name + "' (use sgd, momentum, nesterov or adam)");
    }
    opt->eta = eta;
    opt->weight_decay = weight_decay;
    return opt;
}

}  // namespace digitpad
