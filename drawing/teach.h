// Teaching the network a person's handwriting: the model fine-tuned on their own drawings,
// each rendered through the canvas's path as drawn and distorted in stroke space, mixed into
// every batch with rehearsal digits (scans and other people's drawings) so that it goes on
// reading everyone else's. The app's teach and `digitpad-cli teach` are this function.
#pragma once

#include "stroke_file.h"

#include "dataset.h"
#include "model_file.h"
#include "network.h"
#include "trainer.h"

#include <functional>
#include <vector>

namespace digitpad {

struct TeachOptions {
    int copies = 24;               // distorted renderings of each drawing beside the one as drawn
    // Of every batch, the person's renderings when they hold all ten digits; the rest rehearsal.
    // Drawings of fewer digits get that many tenths of it, so that the digits taught do not
    // become more likely than the others (8 drawings of a 7 at a quarter of every batch cost
    // the rest 2 points; at a fortieth, none).
    double personal_share = 0.25;
    int epochs = 2;                // passes over the rehearsal digits and the renderings together
    std::size_t batch = 64;
    float eta = 0.05f;             // plain gradient descent, a ← a − η∇a
    std::uint64_t seed = 1;        // the distortions and the batch order
};

struct Teaching {
    Network network;            // the model taught (as it was given when stopped or diverged)
    TrainingOutcome outcome = TrainingOutcome::finished;
    std::size_t drawings = 0;   // labelled drawings taught
    double seconds = 0;         // rendering and training
};

// Fine-tunes a copy of `model` on the labelled `drawings` beside `rehearsal` (on Auto
// threads). `progress` gets the share done, 0..1, on the calling thread. Throws
// std::runtime_error when no drawing has a label and ink.
Teaching teach(const Network& model, const std::vector<StrokeRecord>& drawings, const Dataset& rehearsal,
               const TeachOptions& options = {}, TrainingControl* control = nullptr,
               const std::function<void(double)>& progress = {});

// The taught model's metadata: the model's own, its recipe noting "taught on N drawings",
// created now, and its test accuracy not measured (the model's own was of another network).
ModelInfo taught_info(const ModelInfo& model, std::size_t drawings);

// How teaching does on drawings it was not taught: a trial teach without a fifth of the
// drawings (chosen by a seeded shuffle), which are then read by `model` (before) and by the
// trial model (after). Nothing is measured (drawings = 0) with fewer than 5 drawings.
struct HeldOut {
    std::size_t drawings = 0;
    double before = 0, after = 0;  // accuracy on them, 0..1
};
HeldOut held_out_accuracy(const Network& model, const std::vector<StrokeRecord>& drawings, const Dataset& rehearsal,
                          const TeachOptions& options = {}, TrainingControl* control = nullptr,
                          const std::function<void(double)>& progress = {});

// Accuracy (0..1) on the labelled drawings, read through the canvas's path as drawn.
double drawing_accuracy(const Network& network, const std::vector<StrokeRecord>& drawings);

// The digits built into the app for rehearsal and for checking that teaching kept the rest
// (resources/rehearsal: MNIST training scans and UNIPEN training drawings, as many of each
// digit from each, README "Teach it your handwriting"): `teach` to learn beside, `check`
// (kRehearsalCheck of them, never taught) to measure on.
struct Rehearsal {
    Dataset teach, check;
};
constexpr std::size_t kRehearsalCheck = 1000;
Rehearsal builtin_rehearsal();

}  // namespace digitpad
