// Training data from several sources in every batch: MNIST's scans beside drawings rendered
// through the canvas's path, each source a fixed share of each batch.
#pragma once

#include "augment.h"
#include "dataset.h"

#include <vector>

namespace digitpad {

struct TrainingSource {
    const Dataset* data = nullptr;
    double share = 1;     // of every batch, relative to the other sources' shares
    bool distort = true;  // the pixel distortions (TrainingConfig::augment) apply to its images
};

// The batches of one epoch. One source: its images shuffled and cut into batches, the last
// one short (BatchSampler). Several: an epoch is as many full batches as all the sources'
// images fill, each batch taking its share from every source, round(B · share) images (the
// rounding's remainder going to the largest shares); each source is drawn from a shuffled
// order of its own, shuffled again whenever it runs out, so a small source repeats within
// an epoch and a large one carries over to the next.
class MixedBatches {
public:
    // Throws std::invalid_argument for no source, an empty one or a share that is not > 0.
    MixedBatches(std::vector<TrainingSource> sources, std::size_t batch_size, std::uint64_t seed);

    void shuffle();  // at the start of every epoch
    std::size_t batch_count() const { return batches_; }
    std::size_t rows_from(std::size_t source) const { return per_batch_[source]; }

    // Batch k into X (B × 784) and y; a source's images are distorted when it asks for it
    // and `augmenter` is given, each row from its own stream of `batch_seed`.
    void gather(std::size_t k, const Augmenter* augmenter, std::uint64_t batch_seed, Matrix& X,
                std::vector<std::uint8_t>& y) const;

private:
    std::vector<TrainingSource> sources_;
    std::size_t batch_size_;
    std::size_t batches_ = 0;
    std::vector<std::size_t> per_batch_;
    std::vector<BatchSampler> samplers_;                 // each source's shuffled order
    std::vector<std::size_t> cursor_;                    // how far into it the epochs have gone
    std::vector<std::vector<std::uint32_t>> epoch_rows_;  // several sources: this epoch's draw
};

}  // namespace digitpad
