#include "trainer.h"

#include "deskew.h"
#include "model_file.h"
#include "thread_chooser.h"
#include "threads.h"

#include <chrono>
#include <cmath>
#include <numbers>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace digitpad {

std::uint64_t training_memory_bytes(const std::vector<int>& sizes, std::size_t batch, int state_copies) {
    std::uint64_t parameters = 0, units = 0, first_layer = 0;
    for (std::size_t j = 0; j + 1 < sizes.size(); ++j) {
        const std::uint64_t w = std::uint64_t(sizes[j]) * std::uint64_t(sizes[j + 1]);
        parameters += w + std::uint64_t(sizes[j + 1]);
        if (j == 0) first_layer = w;
    }
    for (int n : sizes) units += std::uint64_t(n);
    const std::uint64_t floats = parameters * (2 + std::uint64_t(state_copies)) + first_layer + 3 * batch * units;
    return floats * sizeof(float);
}

int optimizer_state_copies(const std::string& optimizer) {
    if (optimizer == "adam") return 2;
    if (optimizer == "momentum" || optimizer == "nesterov") return 1;
    return 0;
}

std::uint64_t physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? std::uint64_t(pages) * std::uint64_t(page) : 0;
}

std::optional<std::string> cannot_train(const std::vector<int>& sizes, std::size_t batch, const std::string& optimizer) {
    if (auto why = unsavable_shape(sizes)) return why;
    const std::uint64_t need = training_memory_bytes(sizes, batch, optimizer_state_copies(optimizer));
    const std::uint64_t have = physical_memory_bytes();
    auto gb = [](std::uint64_t bytes) {
        std::ostringstream s;
        s.precision(bytes < (std::uint64_t{10} << 30) ? 2 : 0);
        s << std::fixed << double(bytes) / double(1u << 30) << " GB";
        return s.str();
    };
    // Three quarters of the memory: the system, the data sets and the app need the rest.
    if (have > 0 && need > have / 4 * 3)
        return "training this network needs about " + gb(need) + " of memory; this machine has " + gb(have);
    return std::nullopt;
}

std::optional<TrainingConfig::Schedule> parse_schedule(const std::string& name) {
    if (name == "constant") return TrainingConfig::Schedule::constant;
    if (name == "step") return TrainingConfig::Schedule::step;
    if (name == "cosine") return TrainingConfig::Schedule::cosine;
    return std::nullopt;
}

std::string schedule_name(TrainingConfig::Schedule schedule) {
    switch (schedule) {
    case TrainingConfig::Schedule::step: return "step";
    case TrainingConfig::Schedule::cosine: return "cosine";
    case TrainingConfig::Schedule::constant: break;
    }
    return "constant";
}

double schedule_factor(const TrainingConfig& config, double progress) {
    const double epochs_done = progress * config.epochs;
    double factor = 1.0;
    if (config.schedule == TrainingConfig::Schedule::cosine) factor = 0.5 * (1 + std::cos(std::numbers::pi * progress));
    if (config.schedule == TrainingConfig::Schedule::step) factor = progress < 0.5 ? 1.0 : progress < 0.75 ? 0.1 : 0.01;
    if (epochs_done < config.warmup_epochs) factor *= 0.1 + 0.9 * epochs_done / config.warmup_epochs;
    return factor;
}

Trainer::Trainer(Network& net, Optimizer& optimizer, TrainingConfig config)
    : net_(net),
      optimizer_(optimizer),
      config_(config),
      engine_(config.precision == TrainingConfig::Precision::bf16 ? Engine::Kernel::bf16 : Engine::Kernel::sparse),
      dropout_rng_(config.seed ^ 0xD209u) {}

float Trainer::step(const Matrix& X, std::span<const std::uint8_t> y) {
    const Dropout dropout{config_.dropout, &dropout_rng_};
    // The paper's rule is fused into back-propagation; the others update from the gradients.
    if (dynamic_cast<const Sgd*>(&optimizer_))
        return engine_.sgd_step(net_, X, y, optimizer_.eta, optimizer_.weight_decay, dropout, compute_threads(),
                                compute_shares());
    const float loss = engine_.forward_loss(net_, X, y, dropout);
    engine_.backward(net_, X, grad_);
    optimizer_.update(grad_, net_);
    return loss;
}

TrainingOutcome Trainer::run(const Dataset& train, const Dataset* test, TrainingControl* control) {
    return run(std::vector<TrainingSource>{{&train, 1.0, true}}, test, control);
}

// The run from the first epoch to the last: each epoch's batches with η's schedule, the
// divergence check, pause and stop between batches, Auto threads, then the epoch's test. Long
// (about 65 lines) because these share the run's clock and counters; each step is one call.
TrainingOutcome Trainer::run(const std::vector<TrainingSource>& train, const Dataset* test, TrainingControl* control) {
    using Clock = std::chrono::steady_clock;
    flush_denormals_to_zero();
    MixedBatches sampler(train, config_.batch_size, config_.seed);
    Matrix X;
    std::vector<std::uint8_t> y;
    // With augmentation every batch is distorted afresh, on the compute threads, before its step.
    std::optional<Augmenter> augmenter;
    int epoch = 0;
    float base_eta = optimizer_.eta;  // changed only by a live η (TrainingControl::eta)
    struct RestoreEta {  // the optimizer leaves with the η it came with
        Optimizer& o;
        float eta;
        ~RestoreEta() { o.eta = eta; }
    } restore{optimizer_, base_eta};
    if (config_.augment) augmenter.emplace(*config_.augment, config_.seed);
    // Auto threads picks the count per batch between compute_threads() and one; the count set
    // before the run comes back after it.
    const int threads = compute_threads();
    std::optional<ThreadChooser> chooser;
    if (config_.auto_threads) chooser.emplace(threads);
    struct RestoreThreads {
        int threads;
        ~RestoreThreads() { set_compute_threads(threads); }
    } restore_threads{threads};
    // Between batches: waits while paused, unless a Step or Step Epoch lets the next batch run.
    auto should_stop = [&] {
        if (!control) return false;
        while (control->pause.load() && !control->stop.load() && !control->to_epoch_end.load()) {
            int steps = control->steps.load();
            if (steps > 0 && control->steps.compare_exchange_strong(steps, steps - 1)) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (const float eta = control->eta.exchange(0.0f); eta > 0) base_eta = eta;
        return control->stop.load();
    };
    for (epoch = 1; epoch <= config_.epochs; ++epoch) {
        sampler.shuffle();
        const auto start = Clock::now();
        double loss_sum = 0;
        std::size_t seen = 0;
        for (std::size_t k = 0; k < sampler.batch_count(); ++k) {
            if (should_stop()) return TrainingOutcome::stopped;
            const auto batch_start = Clock::now();
            if (chooser) set_compute_threads(chooser->threads());
            const std::uint64_t batch_seed =
                config_.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(epoch) * 1000003u + k;
            sampler.gather(k, augmenter ? &*augmenter : nullptr, batch_seed, X, y);
            deskew_rows(X, net_.deskew(), net_.deskew_trim());  // after the distortions: the network learns what it will read
            const double progress = (static_cast<double>(epoch - 1) * static_cast<double>(sampler.batch_count()) + static_cast<double>(k)) /
                                    (static_cast<double>(config_.epochs) * static_cast<double>(sampler.batch_count()));
            optimizer_.eta = static_cast<float>(base_eta * schedule_factor(config_, progress));
            const float loss = step(X, y);
            if (chooser)
                chooser->record(std::chrono::duration<double>(Clock::now() - batch_start).count(), static_cast<int>(y.size()));
            if (!std::isfinite(loss) || loss > kDivergedLoss) return TrainingOutcome::diverged;
            loss_sum += static_cast<double>(loss) * static_cast<double>(y.size());
            seen += y.size();
            if (on_batch) on_batch({epoch, k + 1, sampler.batch_count(), loss});
        }
        if (control) control->to_epoch_end.store(false);
        if (!net_.all_finite()) return TrainingOutcome::diverged;
        EpochResult result;
        result.epoch = epoch;
        result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        result.train_loss = seen ? loss_sum / static_cast<double>(seen) : 0.0;
        result.samples_per_second = result.seconds > 0 ? static_cast<double>(seen) / result.seconds : 0.0;
        if (test) {
            result.has_test = true;
            result.test = evaluate(net_, *test);
        }
        if (on_epoch) on_epoch(result);
    }
    return TrainingOutcome::finished;
}

}  // namespace digitpad
