#include "skeleton.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace digitpad {
namespace {

// The 8 neighbours clockwise from north: P2..P9 in Zhang and Suen's numbering.
constexpr int kDx[8] = {0, 1, 1, 1, 0, -1, -1, -1};
constexpr int kDy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};

// A binary image with a border of zeros one pixel wide, so that any pixel's eight neighbours
// are read without bounds checks: at(x, y) for −1 ≤ x ≤ w, −1 ≤ y ≤ h.
struct Grid {
    int w, h, stride;
    std::vector<std::uint8_t> px;
    Grid(int w, int h) : w(w), h(h), stride(w + 2), px(static_cast<std::size_t>(w + 2) * static_cast<std::size_t>(h + 2), 0) {}
    std::size_t index(int x, int y) const { return static_cast<std::size_t>(y + 1) * static_cast<std::size_t>(stride) + static_cast<std::size_t>(x + 1); }
    std::uint8_t& at(int x, int y) { return px[index(x, y)]; }
    int at(int x, int y) const { return px[index(x, y)]; }
    // The eight neighbours as bits, bit k for neighbour k (P2..P9, clockwise from north).
    unsigned neighbours(int x, int y) const {
        const std::uint8_t* p = &px[index(x, y)];
        const std::ptrdiff_t s = stride;
        const std::uint8_t n[8] = {p[-s], p[-s + 1], p[1], p[s + 1], p[s], p[s - 1], p[-1], p[-s - 1]};
        unsigned code = 0;
        for (int k = 0; k < 8; ++k) code |= unsigned(n[k] != 0) << k;
        return code;
    }
};

// Neighbours and 0→1 transitions going round, for each of the 256 neighbourhoods.
struct Neighbourhood {
    int count, transitions;
};
constexpr std::array<Neighbourhood, 256> kNeighbourhoods = [] {
    std::array<Neighbourhood, 256> table{};
    for (unsigned code = 0; code < 256; ++code) {
        auto p = [code](int k) { return int(code >> (k % 8) & 1u); };
        for (int k = 0; k < 8; ++k) {
            table[code].count += p(k);
            table[code].transitions += !p(k) && p(k + 1);
        }
    }
    return table;
}();

// Zhang and Suen's test, for each pass and neighbourhood: whether the pixel goes.
constexpr std::array<std::array<bool, 256>, 2> kRemoved = [] {
    std::array<std::array<bool, 256>, 2> table{};
    for (unsigned code = 0; code < 256; ++code) {
        auto p = [code](int k) { return (code >> k & 1u) != 0; };
        const Neighbourhood n = kNeighbourhoods[code];
        if (n.count < 2 || n.count > 6 || n.transitions != 1) continue;
        // P2·P4·P6 = 0 and P4·P6·P8 = 0 on the first pass; P2·P4·P8 and P2·P6·P8 on the second.
        table[0][code] = !(p(0) && p(2) && p(4)) && !(p(2) && p(4) && p(6));
        table[1][code] = !(p(0) && p(2) && p(6)) && !(p(0) && p(4) && p(6));
    }
    return table;
}();

// The same for a pixel and its neighbours as a 3×3 window of bits, column by column from the
// left, each column's rows from the top: bit 3c + r for column c, row r. A row is scanned by
// sliding the window one column at a time.
constexpr std::array<std::array<bool, 512>, 2> kRemovedWindow = [] {
    std::array<std::array<bool, 512>, 2> table{};
    // Window bit of neighbour k (P2..P9 clockwise from north): N, NE, E, SE, S, SW, W, NW.
    constexpr int bit[8] = {3, 6, 7, 8, 5, 2, 1, 0};
    for (unsigned window = 0; window < 512; ++window) {
        if (!(window >> 4 & 1u)) continue;  // the pixel itself is ink
        unsigned code = 0;
        for (int k = 0; k < 8; ++k) code |= (window >> bit[k] & 1u) << k;
        table[0][window] = kRemoved[0][code];
        table[1][window] = kRemoved[1][code];
    }
    return table;
}();

// The bounding box of the ink, [x0, x1] × [y0, y1]; x1 < x0 when there is none.
struct Box {
    int x0, x1, y0, y1;
};
Box ink_box(const Grid& g) {
    Box b{g.w, -1, g.h, -1};
    for (int y = 0; y < g.h; ++y)
        for (int x = 0; x < g.w; ++x)
            if (g.at(x, y)) b = {std::min(b.x0, x), std::max(b.x1, x), std::min(b.y0, y), std::max(b.y1, y)};
    return b;
}

void thin(Grid& g) {
    // Thinning only removes ink, so only the ink's bounding box is scanned.
    const auto [x0, x1, y0, y1] = ink_box(g);
    std::vector<std::size_t> remove;
    for (bool changed = x1 >= 0; changed;) {
        changed = false;
        for (int pass = 0; pass < 2; ++pass) {
            const std::array<bool, 512>& removed = kRemovedWindow[static_cast<std::size_t>(pass)];
            remove.clear();
            for (int y = y0; y <= y1; ++y) {
                const std::uint8_t* up = &g.px[g.index(0, y - 1)];
                const std::uint8_t* mid = &g.px[g.index(0, y)];
                const std::uint8_t* down = &g.px[g.index(0, y + 1)];
                auto column = [&](int x) { return unsigned(up[x]) | unsigned(mid[x]) << 1 | unsigned(down[x]) << 2; };
                unsigned window = column(x0 - 1) << 3 | column(x0) << 6;
                for (int x = x0; x <= x1; ++x) {
                    window = window >> 3 | column(x + 1) << 6;
                    if (removed[window]) remove.push_back(g.index(x, y));
                }
            }
            for (std::size_t i : remove) g.px[i] = 0;
            changed = changed || !remove.empty();
        }
    }
}

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
    Grid g(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) g.at(x, y) = binary[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)] != 0;
    thin(g);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) binary[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)] = g.at(x, y);
}

// One algorithm in three steps (upscale and thin; walk the skeleton from line ends, junctions
// and loops; lone pixels), about 95 lines: walk and degree share the visited map and the grid.
std::vector<Polyline> trace_strokes(const GreyImage& image, const SkeletonOptions& options) {
    // Upscale bilinearly, threshold, thin. Output column x reads input columns x0(x), x0(x) + 1
    // with weight ax(x) (clamped at the edges), and the same for the rows.
    const int s = options.upscale, w = image.width * s, h = image.height * s;
    struct Tap {
        int first, second;
        double weight;
    };
    auto taps = [s](int n, int size) {
        std::vector<Tap> t(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            const double f = (i + 0.5) / s - 0.5;
            const int i0 = static_cast<int>(std::floor(f));
            t[static_cast<std::size_t>(i)] = {std::clamp(i0, 0, size - 1), std::clamp(i0 + 1, 0, size - 1), f - i0};
        }
        return t;
    };
    const std::vector<Tap> across = taps(w, image.width), down = taps(h, image.height);
    std::vector<double> ink(image.pixels.size());
    for (std::size_t i = 0; i < ink.size(); ++i) ink[i] = image.pixels[i] / 255.0;
    auto source = [&](int x, int y) { return ink[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)]; };
    Grid g(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const Tap tx = across[static_cast<std::size_t>(x)], ty = down[static_cast<std::size_t>(y)];
            const double ax = tx.weight, ay = ty.weight;
            const double v = (1 - ay) * ((1 - ax) * source(tx.first, ty.first) + ax * source(tx.second, ty.first)) +
                             ay * ((1 - ax) * source(tx.first, ty.second) + ax * source(tx.second, ty.second));
            g.at(x, y) = v > options.threshold;
        }
    thin(g);

    // Trace: walk from line ends first, then from junctions, then around closed loops; each
    // skeleton pixel joins the first polyline that reaches it.
    // Branches leaving a pixel: the 0→1 transitions around it (its crossing number). Counting
    // neighbours instead would take every step of a diagonal staircase for a junction.
    auto degree = [&](int x, int y) {
        const Neighbourhood n = kNeighbourhoods[g.neighbours(x, y)];
        return n.count == 8 ? 0 : n.count > 0 && n.transitions == 0 ? 1 : n.transitions;
    };
    std::vector<std::uint8_t> visited(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0);
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
    // Every scan below visits the skeleton's pixels in raster order.
    const auto [x0, x1, y0, y1] = ink_box(g);
    for (int round = 0; round < 3; ++round)
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x) {
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
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
            if (g.at(x, y) && !visited[idx(x, y)] && degree(x, y) == 0)
                strokes.push_back({{(x + 0.5) / s - 0.5, (y + 0.5) / s - 0.5}});
    return strokes;
}

}  // namespace digitpad
