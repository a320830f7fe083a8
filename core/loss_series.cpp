#include "loss_series.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace digitpad {

void LossSeries::clear() {
    losses_.clear();
    smoothed_.clear();
}

void LossSeries::append(std::size_t first, std::span<const float> losses) {
    losses_.resize(first);
    losses_.insert(losses_.end(), losses.begin(), losses.end());
    smooth_from(std::min(first, smoothed_.size()));
}

void LossSeries::set_smoothing(double weight) {
    smoothing_ = std::clamp(weight, 0.0, 0.999);
    smooth_from(0);
}

void LossSeries::smooth_from(std::size_t from) {
    smoothed_.resize(losses_.size());
    double ema = 0, weight_power = 1;
    if (from > 0) {  // the average so far, undebiased
        weight_power = std::pow(smoothing_, static_cast<double>(from));
        ema = smoothed_[from - 1] * (1 - weight_power);
    }
    for (std::size_t i = from; i < losses_.size(); ++i) {
        const double x = std::isfinite(losses_[i]) ? losses_[i] : (i > 0 ? smoothed_[i - 1] : 0.0);
        ema = smoothing_ * ema + (1 - smoothing_) * x;
        weight_power *= smoothing_;
        smoothed_[i] = weight_power < 1 ? ema / (1 - weight_power) : x;
    }
}

LossSeries::Decimated LossSeries::decimate(std::size_t buckets) const {
    Decimated d;
    const std::size_t n = losses_.size();
    buckets = std::min(n, buckets);
    d.raw.reserve(2 * buckets);
    d.smooth.reserve(buckets);
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    auto finite = [&](std::size_t i) { return std::isfinite(losses_[i]); };
    for (std::size_t b = 0; b < buckets; ++b) {
        const std::size_t begin = b * n / buckets, end = (b + 1) * n / buckets;
        std::size_t imin = begin, imax = begin;
        for (std::size_t i = begin; i < end; ++i) {
            if (!finite(i)) continue;
            if (!finite(imin) || losses_[i] < losses_[imin]) imin = i;
            if (!finite(imax) || losses_[i] > losses_[imax]) imax = i;
        }
        for (std::size_t i : {std::min(imin, imax), std::max(imin, imax)}) {
            if (!finite(i)) continue;
            d.raw.push_back({static_cast<double>(i + 1), losses_[i]});
            lo = std::min(lo, static_cast<double>(losses_[i]));
            hi = std::max(hi, static_cast<double>(losses_[i]));
            if (imin == imax) break;
        }
        d.smooth.push_back({static_cast<double>(end), smoothed_[end - 1]});
    }
    if (!d.raw.empty()) d.lowest = lo, d.highest = hi;
    return d;
}

}  // namespace digitpad
