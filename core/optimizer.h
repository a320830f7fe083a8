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
    // a ← the rule's update of a, for every parameter, from grad = ∇a (tiny-dnn's update(dW, W)).
    virtual void update(const Gradients<float>& grad, Network& net) = 0;
    float eta = 0.1f;           // learning rate η
    float weight_decay = 0.0f;  // λ
};

// The paper's rule: a ← a − η ∇a. The trainer does it fused into back-propagation
// (Engine::sgd_step); this is the rule as written, which the engine is checked against.
class Sgd final : public Optimizer {
public:
    void update(const Gradients<float>& grad, Network& net) override;
};

// Heavy-ball momentum: v ← μ v + ∇a, a ← a − η v.
// Nesterov (Sutskever et al., 2013): a ← a − η (∇a + μ v), looking ahead along v.
class Momentum final : public Optimizer {
public:
    void update(const Gradients<float>& grad, Network& net) override;
    float mu = 0.9f;
    bool nesterov = false;

private:
    Gradients<float> v_;
};

// Adam (Kingma & Ba, 2015): bias-corrected running moments m and v of ∇a,
// a ← a − η m̂ / (√v̂ + ε).
class Adam final : public Optimizer {
public:
    void update(const Gradients<float>& grad, Network& net) override;
    float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;

private:
    Gradients<float> m_, v_;
    long t_ = 0;
};

// "sgd", "momentum", "nesterov" or "adam"; throws std::invalid_argument otherwise.
std::unique_ptr<Optimizer> make_optimizer(const std::string& name, float eta, float weight_decay = 0.0f);

}  // namespace digitpad
