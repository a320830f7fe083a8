#include "skeleton.h"

#include <algorithm>
#include <cmath>

namespace digitpad {
namespace {

// The 8 neighbours clockwise from north: P2..P9 in Zhang and Suen's numbering.
constexpr int kDx[8] = {0, 1, 1, 1, 0, -1, -1, -1};
constexpr int kDy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};

struct Grid {
    std::vector<std::uint8_t>& px;
    int w, h;
    int at(int x, int y) const { return x < 0 || y < 0 || x >= w || y >= h ? 0 : px[static_cast<std::size_t>(y) * w + x]; }
};

double distance_to_segment(const std::array<double, 2>& p, const std::array<double, 2>& a, const std::array<double, 2>& b) {
    const double dx = b[0] - a[0], dy = b[1] - a[1];
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

void douglas_peucker(const Polyline& in, std::size_t first, std::size_t last, double tolerance, Polyline& out) {
    double worst = 0;
    std::size_t at = first;
    for (std::size_t i = first + 1; i < last; ++i) {
        const double d = distance_to_segment(in[i], in[first], in[last]);
        if (d > worst) worst = d, at = i;
    }
    if (worst > tolerance) {
        douglas_peucker(in, first, at, tolerance, out);
        douglas_peucker(in, at, last, tolerance, out);
    } else {
        out.push_back(in[last]);
    }
}

Polyline simplify(const Polyline& in, double tolerance) {
    if (in.size() < 3) return in;
    Polyline out{in.front()};
    douglas_peucker(in, 0, in.size() - 1, tolerance, out);
    return out;
}

}  // namespace

void thin(std::vector<std::uint8_t>& binary, int width, int height) {
    Grid g{binary, width, height};
    std::vector<std::size_t> remove;
    for (bool changed = true; changed;) {
        changed = false;
        for (int pass = 0; pass < 2; ++pass) {
            remove.clear();
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x) {
                    if (!g.at(x, y)) continue;
                    int p[8];
                    for (int k = 0; k < 8; ++k) p[k] = g.at(x + kDx[k], y + kDy[k]);
                    int neighbours = 0, transitions = 0;
                    for (int k = 0; k < 8; ++k) {
                        neighbours += p[k];
                        transitions += !p[k] && p[(k + 1) % 8];
                    }
                    if (neighbours < 2 || neighbours > 6 || transitions != 1) continue;
                    // P2·P4·P6 = 0 and P4·P6·P8 = 0 on the first pass; P2·P4·P8 and P2·P6·P8 on the second.
                    const bool ok = pass == 0 ? !(p[0] && p[2] && p[4]) && !(p[2] && p[4] && p[6])
                                              : !(p[0] && p[2] && p[6]) && !(p[0] && p[4] && p[6]);
                    if (ok) remove.push_back(static_cast<std::size_t>(y) * width + x);
                }
            for (std::size_t i : remove) binary[i] = 0;
            changed = changed || !remove.empty();
        }
    }
}

// One algorithm in three steps (upscale and thin; walk the skeleton from line ends, junctions
// and loops; lone pixels), about 95 lines: walk and degree share the visited map and the grid.
std::vector<Polyline> trace_strokes(const GreyImage& image, const SkeletonOptions& options) {
    // Upscale bilinearly, threshold, thin.
    const int s = options.upscale, w = image.width * s, h = image.height * s;
    std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h, 0);
    auto source = [&](int x, int y) {
        x = std::clamp(x, 0, image.width - 1), y = std::clamp(y, 0, image.height - 1);
        return image.pixels[static_cast<std::size_t>(y) * image.width + x] / 255.0;
    };
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double fx = (x + 0.5) / s - 0.5, fy = (y + 0.5) / s - 0.5;
            const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
            const double ax = fx - x0, ay = fy - y0;
            const double v = (1 - ay) * ((1 - ax) * source(x0, y0) + ax * source(x0 + 1, y0)) +
                             ay * ((1 - ax) * source(x0, y0 + 1) + ax * source(x0 + 1, y0 + 1));
            px[static_cast<std::size_t>(y) * w + x] = v > options.threshold;
        }
    thin(px, w, h);

    // Trace: walk from line ends first, then from junctions, then around closed loops; each
    // skeleton pixel joins the first polyline that reaches it.
    Grid g{px, w, h};
    // Branches leaving a pixel: the 0→1 transitions around it (its crossing number). Counting
    // neighbours instead would take every step of a diagonal staircase for a junction.
    auto degree = [&](int x, int y) {
        int n = 0, count = 0;
        for (int k = 0; k < 8; ++k) {
            count += g.at(x + kDx[k], y + kDy[k]);
            n += !g.at(x + kDx[k], y + kDy[k]) && g.at(x + kDx[(k + 1) % 8], y + kDy[(k + 1) % 8]);
        }
        return count == 8 ? 0 : count > 0 && n == 0 ? 1 : n;
    };
    std::vector<std::uint8_t> visited(px.size(), 0);
    auto idx = [w](int x, int y) { return static_cast<std::size_t>(y) * w + x; };
    std::vector<Polyline> strokes;
    auto walk = [&](int x, int y) {
        Polyline line{{(x + 0.5) / s - 0.5, (y + 0.5) / s - 0.5}};
        visited[idx(x, y)] = 1;
        for (;;) {
            int next = -1;
            // Prefer edge neighbours (N, E, S, W) so that diagonal shortcuts do not skip pixels.
            for (int k : {0, 2, 4, 6, 1, 3, 5, 7}) {
                const int nx = x + kDx[k], ny = y + kDy[k];
                if (g.at(nx, ny) && !visited[idx(nx, ny)]) {
                    next = k;
                    break;
                }
            }
            if (next < 0) break;
            x += kDx[next], y += kDy[next];
            visited[idx(x, y)] = 1;
            line.push_back({(x + 0.5) / s - 0.5, (y + 0.5) / s - 0.5});
            if (degree(x, y) >= 3) break;  // a junction ends this stroke; others start from it
        }
        // A walk that ends beside where it began went round a loop (a 0, the top of a 9): close it.
        const int sx = static_cast<int>(std::lround((line.front()[0] + 0.5) * s - 0.5));
        const int sy = static_cast<int>(std::lround((line.front()[1] + 0.5) * s - 0.5));
        if (line.size() > 3 && std::abs(sx - x) <= 1 && std::abs(sy - y) <= 1) line.push_back(line.front());
        if (line.size() >= 2) strokes.push_back(simplify(line, options.tolerance));
    };
    for (int round = 0; round < 3; ++round)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                if (!g.at(x, y)) continue;
                const int d = degree(x, y);
                const bool start = round == 0 ? d == 1 : round == 1 ? d >= 3 : true;
                if (!start) continue;
                // From a junction or a visited pixel, leave along each unvisited branch.
                while (true) {
                    bool any = false;
                    if (!visited[idx(x, y)]) {
                        walk(x, y);
                        any = true;
                    } else {
                        for (int k = 0; k < 8; ++k) {
                            const int nx = x + kDx[k], ny = y + kDy[k];
                            if (g.at(nx, ny) && !visited[idx(nx, ny)]) {
                                const std::size_t before = strokes.size();
                                walk(nx, ny);
                                // Attach the branch to the pixel it leaves from.
                                if (strokes.size() > before)
                                    strokes.back().insert(strokes.back().begin(), {(x + 0.5) / s - 0.5, (y + 0.5) / s - 0.5});
                                any = true;
                                break;
                            }
                        }
                    }
                    if (!any || round == 0) break;
                }
            }
    // Lone pixels (a dot) become one-point strokes.
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (g.at(x, y) && !visited[idx(x, y)] && degree(x, y) == 0)
                strokes.push_back({{(x + 0.5) / s - 0.5, (y + 0.5) / s - 0.5}});
    return strokes;
}

}  // namespace digitpad
