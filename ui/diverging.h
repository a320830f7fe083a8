// The colour of a signed value in [-1, 1] (a weight, a pixel's contribution): blue through white
// to red, as the views inside the network draw them.
#pragma once

#include <QColor>

#include <algorithm>
#include <cmath>

namespace digitpad {

inline QRgb diverging(float v) {
    const int fade = static_cast<int>(std::lround(255.0f * (1.0f - std::min(1.0f, std::abs(v)))));
    return v >= 0 ? qRgb(255, fade, fade) : qRgb(fade, fade, 255);
}

}  // namespace digitpad
