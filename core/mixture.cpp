#include "mixture.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace digitpad {

MixedBatches::MixedBatches(std::vector<TrainingSource> sources, std::size_t batch_size, std::uint64_t seed)
    : sources_(std::move(sources)), batch_size_(std::max<std::size_t>(1, batch_size)) {
    if (sources_.empty()) throw std::invalid_argument("no training data");
    for (const TrainingSource& s : sources_) {
        if (!s.data || s.data->size() == 0) throw std::invalid_argument("a training source holds no images");
        if (!(s.share > 0)) throw std::invalid_argument("every training source needs a share > 0");
    }
    if (sources_.size() == 1) {
        samplers_.emplace_back(sources_[0].data->size(), batch_size_, seed);
        per_batch_ = {batch_size_};
        batches_ = samplers_[0].batch_count();
        return;
    }
    const double total_share = std::accumulate(sources_.begin(), sources_.end(), 0.0,
                                               [](double a, const TrainingSource& s) { return a + s.share; });
    std::size_t images = 0, given = 0;
    std::vector<double> exact;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        images += sources_[i].data->size();
        exact.push_back(static_cast<double>(batch_size_) * sources_[i].share / total_share);
        per_batch_.push_back(static_cast<std::size_t>(exact.back()));
        given += per_batch_.back();
        // Different seeds per source, so that two sources of equal size are not drawn in step.
        samplers_.emplace_back(sources_[i].data->size(), sources_[i].data->size(), seed + 7919 * (i + 1));
        cursor_.push_back(sources_[i].data->size());  // shuffled before its first use
    }
    std::vector<std::size_t> by_remainder(sources_.size());
    std::iota(by_remainder.begin(), by_remainder.end(), std::size_t{0});
    std::stable_sort(by_remainder.begin(), by_remainder.end(), [&](std::size_t a, std::size_t b) {
        return exact[a] - static_cast<double>(per_batch_[a]) > exact[b] - static_cast<double>(per_batch_[b]);
    });
    for (std::size_t j = 0; given < batch_size_; ++j, ++given) ++per_batch_[by_remainder[j % by_remainder.size()]];
    batches_ = (images + batch_size_ - 1) / batch_size_;
    epoch_rows_.resize(sources_.size());
}

void MixedBatches::shuffle() {
    if (sources_.size() == 1) {
        samplers_[0].shuffle();
        return;
    }
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        std::vector<std::uint32_t>& rows = epoch_rows_[i];
        rows.clear();
        while (rows.size() < per_batch_[i] * batches_) {
            if (cursor_[i] == sources_[i].data->size()) {
                samplers_[i].shuffle();
                cursor_[i] = 0;
            }
            const auto order = samplers_[i].batch(0);
            const std::size_t take = std::min(order.size() - cursor_[i], per_batch_[i] * batches_ - rows.size());
            rows.insert(rows.end(), order.begin() + static_cast<std::ptrdiff_t>(cursor_[i]),
                        order.begin() + static_cast<std::ptrdiff_t>(cursor_[i] + take));
            cursor_[i] += take;
        }
    }
}

void MixedBatches::gather(std::size_t k, const Augmenter* augmenter, std::uint64_t batch_seed, Matrix& X,
                          std::vector<std::uint8_t>& y) const {
    if (sources_.size() == 1) {
        const TrainingSource& s = sources_[0];
        if (augmenter && s.distort)
            gather_augmented_batch(*s.data, samplers_[0].batch(k), *augmenter, batch_seed, X, y);
        else
            gather_batch(*s.data, samplers_[0].batch(k), X, y);
        return;
    }
    X.resize(static_cast<Eigen::Index>(batch_size_), kImagePixels);
    y.resize(batch_size_);
    std::size_t row = 0;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        const std::span<const std::uint32_t> indices(epoch_rows_[i].data() + k * per_batch_[i], per_batch_[i]);
        if (augmenter && sources_[i].distort)
            gather_augmented_rows(*sources_[i].data, indices, *augmenter, batch_seed, X, y, row);
        else
            gather_rows(*sources_[i].data, indices, X, y, row);
        row += per_batch_[i];
    }
}

}  // namespace digitpad
