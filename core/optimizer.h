// Gradient-descent rules. Each one updates every parameter a of the network from its
// gradient ∇a; weight decay λ adds λ·a to ∇a (L2 regularisation) for weights, not biases.
#pragma once

#include "network.h"

#include <memory>
#include <string>

namespace digitpad {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual void step(Network& net, const Gradients<float>& grad) = 0;
    // One training step on the batch X with labels y: forward_loss, backward, step. Returns
    // the batch loss. A rule that can do better (fewer passes, no gradient buffers) overrides it.
    virtual float train_step(Network& net, const Matrix& X, std::span<const std::uint8_t> y, Activations<float>& act,
                             Gradients<float>& grad, Dropout dropout = {});
    float eta = 0.1f;           // learning rate η
    float weight_decay = 0.0f;  // λ
};

// The paper's rule: a ← a − η ∇a.
class Sgd final : public Optimizer {
public:
    void step(Network& net, const Gradients<float>& grad) override;
    // Fuses the update into back-propagation (Network::backward_descend); for the paper's
    // two-layer network on more than one thread, splits the hidden units across the threads
    // (Network::sgd_step_split).
    float train_step(Network& net, const Matrix& X, std::span<const std::uint8_t> y, Activations<float>& act,
                     Gradients<float>& grad, Dropout dropout = {}) override;
};

// Heavy-ball momentum: v ← μ v + ∇a, a ← a − η v.
// Nesterov (Sutskever et al., 2013): a ← a − η (∇a + μ v), looking ahead along v.
class Momentum final : public Optimizer {
public:
    void step(Network& net, const Gradients<float>& grad) override;
    float mu = 0.9f;
    bool nesterov = false;

private:
    Gradients<float> v_;
};

// Adam (Kingma & Ba, 2015): bias-corrected running moments m and v of ∇a,
// a ← a − η m̂ / (√v̂ + ε).
class Adam final : public Optimizer {
public:
    void step(Network& net, const Gradients<float>& grad) override;
    float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;

private:
    Gradients<float> m_, v_;
    long t_ = 0;
};

// "sgd", "momentum", "nesterov" or "adam"; throws std::invalid_argument otherwise.
std::unique_ptr<Optimizer> make_optimizer(const std::string& name, float eta, float weight_decay = 0.0f);

}  // namespace digitpad
