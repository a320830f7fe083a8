#include "drawing_classifier.h"

#include <algorithm>

namespace digitpad {

int Classification::digit() const { return best_digit(probabilities); }

std::optional<DigitImage> network_input(const Drawing& drawing, const DrawingPathOptions& options) {
    if (drawing.isEmpty()) return std::nullopt;
    return preprocess(grey_drawing(fit_to_canvas(drawing), kRenderSide, options.pen_width));
}

Probabilities predict_digit(const Network& network, const DigitImage& input) {
    const std::vector<float> p = network.predict(input);
    Probabilities out{};
    std::copy_n(p.begin(), std::min<std::size_t>(p.size(), out.size()), out.begin());
    return out;
}

std::optional<Classification> classify(const Network& network, const Drawing& drawing,
                                       const DrawingPathOptions& options) {
    const auto input = network_input(drawing, options);
    if (!input) return std::nullopt;
    return Classification{*input, predict_digit(network, *input)};
}

bool too_small_to_read(const Drawing& canvas_drawing) {
    const QRectF box = bounds(canvas_drawing);
    return !canvas_drawing.isEmpty() && std::max(box.width(), box.height()) < kMinDrawnExtent;
}

}  // namespace digitpad
