// The training loop: epochs of shuffled mini-batches, each a forward pass, back-propagation
// and one optimizer step; an evaluation after every epoch; progress to whoever listens.
#pragma once

#include "augment.h"
#include "dataset.h"
#include "engine/engine.h"
#include "evaluation.h"
#include "mixture.h"
#include "network.h"
#include "optimizer.h"

#include <atomic>
#include <functional>
#include <optional>

namespace digitpad {

struct TrainingConfig {
    TrainingConfig(int epochs = 10, std::size_t batch_size = 128, std::uint64_t seed = 1)
        : epochs(epochs), batch_size(batch_size), seed(seed) {}
    int epochs;
    std::size_t batch_size;
    std::uint64_t seed;  // the order of the batches and their distortions
    std::optional<AugmentOptions> augment;  // distort every training batch afresh
    // η over the run: constant; step (×0.1 at half the run, ×0.01 from three quarters); or
    // cosine decay from η to 0. Linear warm-up from η/10 over the first warmup_epochs.
    enum class Schedule { constant, step, cosine } schedule = Schedule::constant;
    double warmup_epochs = 0;
    float dropout = 0;  // inverted dropout rate on hidden layers while training
    // The first layer's products in FP32, or in BF16 with FP32 sums and weights
    // (bf16_products.h; only where bf16_available()).
    enum class Precision { fp32, bf16 } precision = Precision::fp32;
    // Auto threads: each batch on all cores or on one, whichever the measurements find faster
    // (thread_chooser.h); off: on compute_threads(). SGD's step gives the same model either way;
    // the other rules' products sum in another order on another thread count.
    bool auto_threads = false;
};

// The memory training a network of these layer sizes needs, in bytes: its parameters with
// their gradients, the optimizer's state (`state_copies` per parameter: 0 for SGD, 1 for
// momentum and Nesterov, 2 for Adam) and the engine's copy of the first layer, and the
// activations, deltas and inputs of one batch.
std::uint64_t training_memory_bytes(const std::vector<int>& sizes, std::size_t batch, int state_copies);
int optimizer_state_copies(const std::string& optimizer);
std::uint64_t physical_memory_bytes();

// Why a network of these sizes cannot be trained here (a model file could not hold it, or it
// needs more memory than the machine has, with both figures), or nullopt. Every way to
// start training asks this first.
std::optional<std::string> cannot_train(const std::vector<int>& sizes, std::size_t batch, const std::string& optimizer);

// "constant", "step" or "cosine"; nullopt for anything else.
std::optional<TrainingConfig::Schedule> parse_schedule(const std::string& name);
std::string schedule_name(TrainingConfig::Schedule schedule);

// The factor the schedule applies to η when `progress` (0..1) of the run's batches are done.
double schedule_factor(const TrainingConfig& config, double progress);

// Set from any thread; the loop looks at them between batches.
// How another thread steers a run; the trainer reads it between batches.
struct TrainingControl {
    std::atomic<bool> stop{false};
    std::atomic<bool> pause{false};
    // While paused: batches that may still run (Step adds one), and whether the rest of the
    // epoch may (Step Epoch; cleared at the epoch's end). The run stays paused after them.
    std::atomic<int> steps{0};
    std::atomic<bool> to_epoch_end{false};
    // Live η: when above 0, the base η the schedule scales from, from the next batch on (taken
    // and reset to 0 by the trainer).
    std::atomic<float> eta{0};
};

struct BatchProgress {
    int epoch = 0;            // 1-based
    std::size_t batch = 0;    // 1-based within the epoch
    std::size_t batches = 0;  // per epoch
    float loss = 0;           // mean cross-entropy of this batch
};

struct EpochResult {
    int epoch = 0;
    double train_loss = 0;  // mean of the epoch's batch losses
    bool has_test = false;
    Evaluation test;
    double seconds = 0;             // training time of the epoch, evaluation excluded
    double samples_per_second = 0;
};

// Diverged: a batch's loss NaN, infinite or above kDivergedLoss, or a weight not finite. A
// guess at random costs ln 10 ≈ 2.3 a digit; a mean of 1000 means the right digit got
// e⁻¹⁰⁰⁰ on average, which no run that is learning reaches (an η of 10⁶ gets 10²⁷ and stays
// finite: the stable softmax never overflows).
constexpr float kDivergedLoss = 1000.0f;
enum class TrainingOutcome { finished, stopped, diverged };

class Trainer {
public:
    // Throws std::runtime_error when config.precision is bf16 and !bf16_available().
    Trainer(Network& net, Optimizer& optimizer, TrainingConfig config);

    std::function<void(const BatchProgress&)> on_batch;  // called on the training thread
    std::function<void(const EpochResult&)> on_epoch;

    // Trains on `train`, evaluating on `test` (may be null) after each epoch. Returns early
    // when control->stop is set (after the current batch) or when the loss or the parameters
    // stop being finite; the network then holds the parameters of the last step taken.
    TrainingOutcome run(const Dataset& train, const Dataset* test, TrainingControl* control = nullptr);
    // The same on several sources, each a share of every batch (mixture.h).
    TrainingOutcome run(const std::vector<TrainingSource>& train, const Dataset* test, TrainingControl* control = nullptr);

    // One gradient-descent step on the batch X (B × 784) with labels y; returns the batch loss.
    float step(const Matrix& X, std::span<const std::uint8_t> y);

private:
    Network& net_;
    Optimizer& optimizer_;
    TrainingConfig config_;
    Engine engine_;
    Gradients<float> grad_;
    std::mt19937_64 dropout_rng_;
};

}  // namespace digitpad
