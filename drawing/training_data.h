// What a training run learns from: MNIST-style scans and, beside them, drawings rendered
// through the canvas's drawing path (a stroke file's drawings, and the scans' own tracings),
// each source a share of every batch. The CLI and the training panel both build it here.
#pragma once

#include "mixture.h"

#include <QString>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace digitpad {

struct DataRecipe {
    QString strokes;           // a stroke file (the --classify-strokes JSON Lines format); empty: none
    int strokeCopies = 1;      // renderings of each of its drawings: one as drawn, the others distorted
    double strokeStrength = 1; // the stroke-space distortions' strength (StrokeAugmentOptions::scaled)
    int traced = 0;            // distorted renderings of each scan's tracing (0: no such source)
    // Each source's share of every batch; 0: its share of all the images.
    double scansShare = 0, strokesShare = 0, tracedShare = 0;
    bool distortDrawings = false;  // the pixel distortions (--augment) on the renderings too

    // " strokes=FILE copies=K stroke_augment=S traced=T mix=A,B,C" where drawings are used, else "".
    std::string describe() const;
};

class TrainingData {
public:
    // Renders the drawing sources (on all cores; `cancel`, when set, stops it early and throws).
    // Throws std::runtime_error with a message for a person: an unreadable stroke file, one
    // without labelled drawings.
    TrainingData(Dataset scans, const DataRecipe& recipe, std::uint64_t seed, const std::atomic<bool>* cancel = nullptr);

    std::vector<TrainingSource> sources() const;
    const Dataset& scans() const { return scans_; }
    // One line a source: "60000 scans (mnist (train)), 23 of every 64", for logs and the panel.
    std::vector<std::string> summary(std::size_t batch_size) const;
    std::size_t images() const;
    std::string name() const;  // the sources' names joined with " + ", for the model's metadata

private:
    Dataset scans_;
    std::optional<Dataset> strokes_, traced_;
    DataRecipe recipe_;
};

}  // namespace digitpad
