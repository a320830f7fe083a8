#include "familiarity.h"

#include "deskew.h"
#include "engine/engine.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

namespace digitpad {

double energy(std::span<const float> logits) {
    assert(!logits.empty());
    const double top = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (const float l : logits) sum += std::exp(static_cast<double>(l) - top);
    return -(top + std::log(sum));
}

Familiarity calibrate_familiarity(const Network& network, const Dataset& digits, double share,
                                  const std::atomic<bool>* cancel) {
    if (digits.size() == 0) throw std::invalid_argument("calibrate_familiarity needs at least one digit");
    assert(share > 0 && share <= 1);
    // One image at a time through Engine::logits, as a drawing is read: the same arithmetic as the
    // reading the line is for, and no thread but the caller's.
    std::vector<double> energies;
    energies.reserve(digits.size());
    std::vector<float> image(kImagePixels);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (cancel && cancel->load(std::memory_order_relaxed)) return {};
        const auto bytes = digits.image(i);
        std::transform(bytes.begin(), bytes.end(), image.begin(), [](std::uint8_t v) { return v / 255.0f; });
        deskew(image, network.deskew(), network.deskew_trim());
        energies.push_back(energy(Engine::logits(network, image)));
    }
    // The k-th smallest energy with k = ⌈share · n⌉: at least that share is at or under it.
    const auto k = static_cast<std::size_t>(std::ceil(share * static_cast<double>(energies.size()) - 1e-9));
    const auto at = energies.begin() + static_cast<std::ptrdiff_t>(std::clamp<std::size_t>(k, 1, energies.size()) - 1);
    std::nth_element(energies.begin(), at, energies.end());
    return Familiarity{*at};
}

}  // namespace digitpad
