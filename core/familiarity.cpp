#include "familiarity.h"

#include "engine/engine.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace digitpad {

double energy(std::span<const float> logits) {
    assert(!logits.empty());
    const double top = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (const float l : logits) sum += std::exp(static_cast<double>(l) - top);
    return -(top + std::log(sum));
}

Familiarity calibrate_familiarity(const Network& network, const Dataset& digits, double share) {
    if (digits.size() == 0) throw std::invalid_argument("calibrate_familiarity needs at least one digit");
    assert(share > 0 && share <= 1);
    std::vector<double> energies;
    energies.reserve(digits.size());
    std::vector<std::uint32_t> all(digits.size());
    std::iota(all.begin(), all.end(), 0u);
    Engine engine;
    Matrix X;
    std::vector<std::uint8_t> y;
    constexpr std::size_t batch = 1000;
    for (std::size_t begin = 0; begin < digits.size(); begin += batch) {
        gather_batch(digits, std::span(all).subspan(begin, std::min(batch, digits.size() - begin)), X, y);
        engine.forward(network, X);
        const Matrix& net = engine.activations().net_last;
        for (Eigen::Index r = 0; r < net.rows(); ++r) {
            const RowVector row = net.row(r);
            energies.push_back(energy({row.data(), static_cast<std::size_t>(row.size())}));
        }
    }
    // The k-th smallest energy with k = ⌈share · n⌉: at least that share is at or under it.
    const auto k = static_cast<std::size_t>(std::ceil(share * static_cast<double>(energies.size()) - 1e-9));
    const auto at = energies.begin() + static_cast<std::ptrdiff_t>(std::clamp<std::size_t>(k, 1, energies.size()) - 1);
    std::nth_element(energies.begin(), at, energies.end());
    return Familiarity{*at};
}

}  // namespace digitpad
