#include "preprocess.h"

#include <algorithm>
#include <cmath>

namespace digitpad {
namespace {

// Resamples along one axis: `count` lines of `n` samples with stride `step` between samples
// and `line_step` between lines, into lines of `dn` samples. Output sample k averages input
// samples [k·n/dn, (k+1)·n/dn), each weighted by how much of it lies inside.
void resample_axis(const float* src, int n, int count, int step, int line_step, float* dst, int dn, int dst_step,
                   int dst_line_step) {
    const double scale = static_cast<double>(n) / dn;  // input samples per output sample
    std::vector<double> overlap;
    for (int k = 0; k < dn; ++k) {
        const double begin = k * scale, end = (k + 1) * scale;
        const int first = static_cast<int>(std::floor(begin));
        const int last = std::min(n - 1, static_cast<int>(std::ceil(end)) - 1);
        overlap.clear();
        for (int i = first; i <= last; ++i) overlap.push_back(std::min(end, i + 1.0) - std::max(begin, static_cast<double>(i)));
        for (int line = 0; line < count; ++line) {
            const float* in = src + line * line_step + first * step;
            double sum = 0;
            for (std::size_t j = 0; j < overlap.size(); ++j) sum += overlap[j] * in[static_cast<std::ptrdiff_t>(j) * step];
            dst[line * dst_line_step + k * dst_step] = static_cast<float>(sum / scale);
        }
    }
}

// v / 255 for every byte v, in double and in float: an image's ink without a division a pixel.
struct ByteShares {
    std::array<double, 256> d;
    std::array<float, 256> f;
};
const ByteShares kShares = [] {
    ByteShares s{};
    for (int v = 0; v < 256; ++v) s.d[static_cast<std::size_t>(v)] = v / 255.0, s.f[static_cast<std::size_t>(v)] = static_cast<float>(v) / 255.0f;
    return s;
}();

}  // namespace

std::vector<float> resample_area(const std::vector<float>& src, int w, int h, int dw, int dh) {
    std::vector<float> rows_done(static_cast<std::size_t>(dw) * h);
    resample_axis(src.data(), w, h, 1, w, rows_done.data(), dw, 1, dw);
    std::vector<float> out(static_cast<std::size_t>(dw) * dh);
    resample_axis(rows_done.data(), h, dw, dw, 1, out.data(), dh, dw, 1);
    return out;
}

std::array<double, 2> centre_of_mass(const float* pixels, int w, int h) {
    double mass = 0, x = 0, y = 0;
    for (int j = 0; j < h; ++j)
        for (int i = 0; i < w; ++i) {
            const double v = pixels[j * w + i];
            mass += v;
            x += v * i;
            y += v * j;
        }
    if (mass <= 0) return {(w - 1) / 2.0, (h - 1) / 2.0};
    return {x / mass, y / mass};
}

int otsu_threshold(const std::array<std::uint64_t, 256>& histogram) {
    double total = 0, sum = 0;
    for (int v = 0; v < 256; ++v) total += double(histogram[v]), sum += double(v) * double(histogram[v]);
    double below = 0, below_sum = 0, best = -1;
    int threshold = 128;
    for (int t = 1; t < 256; ++t) {  // classes [0, t) and [t, 256)
        below += double(histogram[t - 1]);
        below_sum += double(t - 1) * double(histogram[t - 1]);
        const double above = total - below;
        if (below == 0 || above == 0) continue;
        const double mean_below = below_sum / below, mean_above = (sum - below_sum) / above;
        const double between = below * above * (mean_above - mean_below) * (mean_above - mean_below);
        if (between > best) best = between, threshold = t;
    }
    return threshold;
}

GreyImage remove_background(const GreyImage& image) {
    std::array<std::uint64_t, 256> histogram{};
    for (std::uint8_t v : image.pixels) ++histogram[v];
    const int t = otsu_threshold(histogram);
    // The paper's level is its class's mean; the ink's the 99th percentile of its class (full
    // ink; the mean would count the antialiased edges). A drawing (paper 0, ink 255) stays as it
    // is, and so does an image without a second class.
    double paper = 0, paper_n = 0, ink_n = 0;
    for (int v = 0; v < t; ++v) paper += double(v) * double(histogram[v]), paper_n += double(histogram[v]);
    for (int v = t; v < 256; ++v) ink_n += double(histogram[v]);
    paper = paper_n ? paper / paper_n : 0;
    double ink = 255, seen = 0;
    for (int v = t; v < 256; ++v)
        if ((seen += double(histogram[v])) >= 0.99 * ink_n) {
            ink = v;
            break;
        }
    if (ink - paper < 32) return image;
    GreyImage out = image;
    for (std::uint8_t& v : out.pixels)
        v = static_cast<std::uint8_t>(std::lround(std::clamp((v - paper) / (ink - paper), 0.0, 1.0) * 255));
    return out;
}

std::optional<DigitImage> preprocess(const GreyImage& image, const PreprocessOptions& options) {
    // The ink's bounding box and total amount.
    int x0 = image.width, y0 = image.height, x1 = -1, y1 = -1;
    double ink = 0;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const std::uint8_t v = image.pixels[static_cast<std::size_t>(y) * image.width + x];
            if (v == 0) continue;
            ink += kShares.d[v];
            x0 = std::min(x0, x), x1 = std::max(x1, x);
            y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
    if (x1 < 0 || ink < options.min_ink_fraction * image.width * image.height) return std::nullopt;

    // Crop, then scale the longer side to `box` pixels, keeping the aspect ratio.
    const int w = x1 - x0 + 1, h = y1 - y0 + 1;
    std::vector<float> crop(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            crop[static_cast<std::size_t>(y) * w + x] = kShares.f[image.pixels[static_cast<std::size_t>(y + y0) * image.width + (x + x0)]];
    const double scale = static_cast<double>(options.box) / std::max(w, h);
    const int sw = std::clamp(static_cast<int>(std::lround(w * scale)), 1, options.box);
    const int sh = std::clamp(static_cast<int>(std::lround(h * scale)), 1, options.box);
    const std::vector<float> scaled = resample_area(crop, w, h, sw, sh);

    // Paste into 28×28 so that the centre of mass lands on the centre pixel (14, 14).
    const auto [cx, cy] = centre_of_mass(scaled.data(), sw, sh);
    const int ox = static_cast<int>(std::lround(14.0 - cx)), oy = static_cast<int>(std::lround(14.0 - cy));
    DigitImage out{};
    for (int y = 0; y < sh; ++y)
        for (int x = 0; x < sw; ++x) {
            const int tx = x + ox, ty = y + oy;
            if (tx < 0 || ty < 0 || tx >= 28 || ty >= 28) continue;
            out[static_cast<std::size_t>(ty) * 28 + tx] = std::clamp(scaled[static_cast<std::size_t>(y) * sw + x], 0.0f, 1.0f);
        }
    return out;
}

}  // namespace digitpad
