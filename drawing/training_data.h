// What a training run learns from: MNIST-style scans and, beside them, drawings rendered
// through the canvas's drawing path (a stroke file's drawings, and the scans' own tracings),
// each source a share of every batch (DataRecipe, recipe.h). The CLI and the training panel
// both build it here.
#pragma once

#include "mixture.h"
#include "recipe.h"
#include "stroke_dataset.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace digitpad {

// The steps of making the drawing sources, in order, as TrainingData reports them.
enum class Preparing { drawings, tracing, traced };

class TrainingData {
public:
    // Renders the drawing sources (on all cores; `cancel`, when set, stops it early and throws),
    // telling `progress` how far each step is. Throws std::runtime_error with a message for a
    // person: an unreadable stroke file, one without labelled drawings.
    TrainingData(Dataset scans, const DataRecipe& recipe, std::uint64_t seed, const std::atomic<bool>* cancel = nullptr,
                 const std::function<void(Preparing, double done)>& progress = {});

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
