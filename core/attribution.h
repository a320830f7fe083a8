// What in a drawing makes the network's answer: for one image, the first hidden layer's
// activations out_1 (which units fire), and each pixel's contribution to a class's logit z_c,
// gradient × input: x_i · ∂z_c/∂x_i. The gradient is the paper's back-propagation run from the
// logit instead of the loss: δ_m = ∂z_c/∂net_m = e_c, δ_{n} = (δ_{n+1}·W_{n+1}ᵀ) ⊗ r'(net_n),
// and ∂z_c/∂x = δ_1 · W_1ᵀ. In a ReLU network the contributions sum to z_c less the biases'
// part, so they split the logit among the pixels.
#pragma once

#include "network.h"

#include <span>
#include <vector>

namespace digitpad {

struct Attribution {
    int cls = 0;                      // the class explained
    std::vector<float> logits;        // net_m
    std::vector<float> hidden;        // out_1 (empty when the network has no hidden layer)
    std::vector<float> gradient;      // ∂z_c/∂x, one per input
    std::vector<float> contribution;  // x ⊗ ∂z_c/∂x
};

Attribution attribute(const Network& net, std::span<const float> image, int cls);

}  // namespace digitpad
