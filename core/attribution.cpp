#include "attribution.h"

#include <cassert>

namespace digitpad {

Attribution attribute(const Network& net, std::span<const float> image, int cls) {
    assert(static_cast<int>(image.size()) == net.input_size() && cls >= 0 && cls < net.output_size());
    const Matrix x = Eigen::Map<const RowVector>(image.data(), net.input_size());
    Activations<float> act;
    net.forward(x, act);
    const std::size_t m = net.layer_count();
    act.delta.assign(m, Matrix());
    act.delta.back() = Matrix::Zero(1, net.output_size());
    act.delta.back()(0, cls) = 1.0f;  // δ_m = ∂z_c/∂net_m
    for (std::size_t n = m - 1; n > 0; --n) net.propagate_delta(n, act);
    const Matrix gradient = act.delta[0] * net.layer(0).W.transpose();  // ∂z_c/∂x = δ_1·W_1ᵀ
    const Matrix contribution = x.cwiseProduct(gradient);
    Attribution a;
    a.cls = cls;
    a.logits.assign(act.net_last.data(), act.net_last.data() + act.net_last.size());
    if (m > 1) a.hidden.assign(act.out[0].data(), act.out[0].data() + act.out[0].size());
    a.gradient.assign(gradient.data(), gradient.data() + gradient.size());
    a.contribution.assign(contribution.data(), contribution.data() + contribution.size());
    return a;
}

}  // namespace digitpad
