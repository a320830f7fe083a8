#include "stroke_augment.h"

#include <QLineF>

#include <cmath>
#include <numbers>

namespace digitpad {
namespace {

double length(const Stroke& s) {
    double sum = 0;
    for (qsizetype i = 1; i < s.size(); ++i) sum += QLineF(s[i - 1], s[i]).length();
    return sum;
}

// Cuts `amount` (> 0) of arc length from the stroke's start, or draws it on (< 0) along the
// direction the stroke starts in. A stroke is never cut below a fifth of its length.
Stroke change_start(const Stroke& s, double amount) {
    if (s.size() < 2) return s;
    const double total = length(s);
    if (total <= 0) return s;
    if (amount < 0) {
        // The direction over the first tenth of the stroke, so that a hooked start is followed.
        QPointF ahead = s.back();
        double run = 0;
        for (qsizetype i = 1; i < s.size(); ++i) {
            run += QLineF(s[i - 1], s[i]).length();
            if (run >= 0.1 * total) {
                ahead = s[i];
                break;
            }
        }
        QLineF back(ahead, s.front());
        if (back.length() <= 0) return s;
        back.setLength(back.length() - amount);
        Stroke out = s;
        out.prepend(back.p2());
        return out;
    }
    double cut = std::min(amount, 0.8 * total);
    for (qsizetype i = 1; i < s.size(); ++i) {
        const double step = QLineF(s[i - 1], s[i]).length();
        if (step >= cut) {
            Stroke out;
            out << QLineF(s[i - 1], s[i]).pointAt(step > 0 ? cut / step : 0);
            for (qsizetype j = i; j < s.size(); ++j) out << s[j];
            return out;
        }
        cut -= step;
    }
    return s;
}

Stroke reversed(const Stroke& s) { return Stroke(s.rbegin(), s.rend()); }

}  // namespace

DistortedDrawing distort_drawing(const Drawing& drawing, const StrokeAugmentOptions& o, std::mt19937_64& rng) {
    const bool any = o.rotation_degrees > 0 || o.slant > 0 || o.aspect > 0 || o.jitter > 0 || o.warp > 0 ||
                     o.pen_width > 0 || o.ends > 0 || o.join > 0;
    if (!any || drawing.isEmpty()) return {drawing, kPenWidth};
    std::uniform_real_distribution<double> u(-1.0, 1.0), unit(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    Drawing d = fit_to_canvas(drawing);

    // The ends: how the pen came onto the paper and how it left.
    if (o.ends > 0) {
        d.front() = change_start(d.front(), o.ends * u(rng) * length(d.front()));
        d.back() = reversed(change_start(reversed(d.back()), o.ends * u(rng) * length(d.back())));
    }
    // Pen lifts: a writer who does not lift the pen joins the end of one stroke to the next.
    if (o.join > 0 && d.size() > 1) {
        Drawing joined{d.front()};
        for (qsizetype i = 1; i < d.size(); ++i) {
            if (unit(rng) < o.join)
                joined.back() << d[i];
            else
                joined << d[i];
        }
        d = joined;
    }
    // One affine map about the canvas's centre: rotation, slant (a shear along x) and aspect.
    const double angle = o.rotation_degrees * std::numbers::pi / 180 * u(rng);
    const double slant = o.slant * u(rng), widen = std::exp(o.aspect * u(rng));
    const double c = std::cos(angle), s = std::sin(angle);
    // A smooth warp: two plane waves of about one cycle across the canvas in each coordinate.
    struct Wave {
        double kx, ky, phase, amplitude;
    };
    Wave waves[4];
    for (Wave& w : waves) {
        const double direction = 2 * std::numbers::pi * unit(rng), frequency = 2 * std::numbers::pi * (0.5 + unit(rng));
        w = {frequency * std::cos(direction), frequency * std::sin(direction), 2 * std::numbers::pi * unit(rng),
             o.warp * u(rng)};
    }
    for (Stroke& stroke : d)
        for (QPointF& p : stroke) {
            double x = p.x() - 0.5, y = p.y() - 0.5;
            x = widen * (x + slant * y);
            const double rx = c * x - s * y, ry = s * x + c * y;
            double dx = 0, dy = 0;
            for (int k = 0; k < 2; ++k) dx += waves[k].amplitude * std::sin(waves[k].kx * rx + waves[k].ky * ry + waves[k].phase);
            for (int k = 2; k < 4; ++k) dy += waves[k].amplitude * std::sin(waves[k].kx * rx + waves[k].ky * ry + waves[k].phase);
            p = QPointF(0.5 + rx + dx + o.jitter * normal(rng), 0.5 + ry + dy + o.jitter * normal(rng));
        }
    return {d, kPenWidth * std::exp(o.pen_width * u(rng))};
}

}  // namespace digitpad
