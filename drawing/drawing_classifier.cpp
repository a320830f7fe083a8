#include "drawing_classifier.h"

#include "deskew.h"
#include "engine/engine.h"
#include "loss.h"

#include <algorithm>

namespace digitpad {

int Classification::digit() const { return best_digit(probabilities); }

std::optional<DigitImage> network_input(const Drawing& drawing, const DrawingPathOptions& options) {
    if (drawing.isEmpty()) return std::nullopt;
    return preprocess(grey_drawing(fit_to_canvas(drawing), kRenderSide, options.pen_width));
}

Classification read_input(const Network& network, const DigitImage& drawn) {
    DigitImage input = drawn;
    deskew(input, network.deskew(), network.deskew_trim());
    // One pass: the probabilities and the energy both come from the logits.
    const std::vector<float> net = Engine::logits(network, input);
    Matrix net_m = Eigen::Map<const RowVector>(net.data(), static_cast<Eigen::Index>(net.size())), s;
    softmax_forward(net_m, s);
    Classification c{input, {}, energy(net)};
    std::copy_n(s.data(), std::min<std::size_t>(net.size(), c.probabilities.size()), c.probabilities.begin());
    return c;
}

Probabilities predict_digit(const Network& network, const DigitImage& input) {
    return read_input(network, input).probabilities;
}

std::optional<Classification> classify(const Network& network, const Drawing& drawing,
                                       const DrawingPathOptions& options) {
    const auto input = network_input(drawing, options);
    if (!input) return std::nullopt;
    return read_input(network, *input);
}

bool sure(const Classification& c, const Familiarity& familiarity) {
    return c.probabilities[static_cast<std::size_t>(c.digit())] >= kSureEnough && familiarity.familiar(c.energy);
}

bool too_small_to_read(const Drawing& canvas_drawing) {
    const QRectF box = bounds(canvas_drawing);
    return !canvas_drawing.isEmpty() && std::max(box.width(), box.height()) < kMinDrawnExtent;
}

}  // namespace digitpad
