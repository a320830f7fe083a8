// A training recipe: everything that decides what a run learns, written once. The CLI parses
// its options into a Recipe, the training panel edits one, a model file records one
// (describe), and train_model runs one.
#pragma once

#include "model_file.h"
#include "network.h"
#include "trainer.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace digitpad {

// Drawings beside the scans, each source a share of every batch. The drawing layer renders
// them (drawing/training_data.h).
struct DataRecipe {
    std::string strokes;         // a stroke file (the --classify-strokes JSON Lines format); empty: none
    int stroke_copies = 1;       // renderings of each of its drawings: one as drawn, the others distorted
    double stroke_strength = 1;  // the stroke-space distortions' strength (StrokeAugmentOptions::scaled)
    int traced = 0;              // distorted renderings of each scan's tracing (0: no such source)
    // Each source's share of every batch; 0: its share of all the images.
    double scans_share = 0, strokes_share = 0, traced_share = 0;
    bool distort_drawings = false;  // the pixel distortions (augment) on the renderings too

    // " strokes=FILE copies=K stroke_augment=S traced=T mix=A,B,C" where drawings are used, else "".
    std::string describe() const;
};

// The share of its slant that deskewing takes out of every input where a recipe deskews and
// says no other (the training panel's Deskew box; docs/accuracy.md, "Deskewing"), and the
// share of the ink left out at the top and at the bottom when the slant is measured.
constexpr double kDeskew = 0.5;
constexpr double kDeskewTrim = 0.2;

struct Recipe {
    std::vector<int> sizes{784, 800, 10};
    std::string optimizer = "sgd";  // sgd, momentum, nesterov or adam
    float eta = 0.1f;               // learning rate η
    float weight_decay = 0;         // λ
    int epochs = 10;
    std::size_t batch = 128;
    std::uint64_t seed = 1;  // the initial weights, the order of the batches and their distortions
    std::optional<double> augment;  // the pixel distortions' strength (AugmentOptions::scaled); none: off
    TrainingConfig::Schedule schedule = TrainingConfig::Schedule::constant;
    double warmup_epochs = 0;
    float dropout = 0;
    TrainingConfig::Precision precision = TrainingConfig::Precision::fp32;
    int threads = 0;  // 0: Auto (TrainingConfig::auto_threads); else this many, at most the cores
    double deskew = 0;  // the share of every input's slant taken out (deskew.h), kept by the network
    double deskew_trim = kDeskewTrim;  // of the ink at each end, not counted in the slant
    DataRecipe drawings;

    // The recipe of the built-in model (docs/accuracy.md), without its stroke file, which is
    // the person's to choose.
    static Recipe built_in();

    // What stops this recipe from training here, in words a person can act on (a rate out of
    // range, an optimizer that does not exist, BF16 on a CPU without it, a network too large
    // for the file format or the memory); nullopt when it can run.
    std::optional<std::string> problem() const;

    // The trainer's part of it.
    TrainingConfig config() const;

    // The recipe as a model file records it, one line: "nesterov eta=0.05 batch=64
    // weight_decay=0 epochs=100 schedule=cosine warmup=0 dropout=0", then " augment=S" and
    // " precision=bf16" and " deskew=S deskew_trim=T" where they apply, then the drawings
    // (DataRecipe::describe).
    std::string describe() const;
};

// "800" or "512,256": the hidden layers of a digit network, 784-…-10; "none" (or nothing)
// for none (784-10). Throws std::invalid_argument with a message otherwise.
std::vector<int> parse_hidden_sizes(const std::string& text);

// What train_model reports while it runs, on the training thread.
struct TrainingListener {
    std::function<void(const BatchProgress&, const Network&)> on_batch;
    std::function<void(const EpochResult&, const Network&)> on_epoch;
};

struct TrainedModel {
    TrainingOutcome outcome = TrainingOutcome::finished;
    Network network;  // as the last step left it
    ModelInfo info;   // the data's name, the epochs done, the last test accuracy, the recipe
};

// Trains a new network of recipe.sizes from recipe.seed on `sources`, testing on `test` after
// every epoch: the one way the CLI and the app train. `data_name` goes into the model's info.
// The recipe must have no problem(); throws std::runtime_error where the trainer cannot be
// made. Sets the compute threads to the recipe's and leaves them so.
TrainedModel train_model(const Recipe& recipe, const std::vector<TrainingSource>& sources, const std::string& data_name,
                         const Dataset& test, TrainingControl* control = nullptr, const TrainingListener& listener = {});

}  // namespace digitpad
