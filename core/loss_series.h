// The batch losses of a training run as a chart shows them: every loss kept, TensorBoard's
// smoothing (an exponential moving average, debiased), and a decimated copy small enough to
// draw however long the run. No Qt: the chart widget (ui/loss_chart.*) draws what this gives.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace digitpad {

class LossSeries {
public:
    void clear();
    // The losses of batches first, first + 1, ... (0-based, across epochs). Reports arrive in
    // order; one starting past the end leaves the batches between at 0 (a lost report).
    void append(std::size_t first, std::span<const float> losses);

    // The smoothing weight w in [0, 0.999]: ema_i = w·ema_{i−1} + (1−w)·x_i from ema_{−1} = 0,
    // shown as ema_i / (1 − w^{i+1}) so that the first points are not pulled towards 0. A loss
    // that is not finite carries the previous smoothed value on.
    void set_smoothing(double weight);
    double smoothing() const { return smoothing_; }

    std::size_t size() const { return losses_.size(); }
    const std::vector<float>& losses() const { return losses_; }
    const std::vector<double>& smoothed() const { return smoothed_; }

    struct Point {
        double batch;  // 1-based
        double loss;
    };
    struct Decimated {
        std::vector<Point> raw;     // each bucket's lowest and highest finite loss, in batch order
        std::vector<Point> smooth;  // each bucket's last smoothed value
        double lowest = 0, highest = 0;  // of the raw points (0, 0 when there are none)
    };
    // The batches split into at most `buckets` buckets of consecutive batches: a spike stays
    // visible in the raw line, and at most 2·buckets points are drawn.
    Decimated decimate(std::size_t buckets) const;

private:
    void smooth_from(std::size_t from);

    std::vector<float> losses_;
    std::vector<double> smoothed_;
    double smoothing_ = 0.9;
};

}  // namespace digitpad
