#include "trainer.h"

#include <chrono>
#include <cmath>
#include <thread>

namespace digitpad {

Trainer::Trainer(Network& net, Optimizer& optimizer, TrainingConfig config)
    : net_(net), optimizer_(optimizer), config_(config) {}

float Trainer::step(const Matrix& X, std::span<const std::uint8_t> y) {
    const float loss = net_.forward_loss(X, y, act_);
    net_.backward(X, act_, grad_);
    optimizer_.step(net_, grad_);
    return loss;
}

TrainingOutcome Trainer::run(const Dataset& train, const Dataset* test, TrainingControl* control) {
    using Clock = std::chrono::steady_clock;
    BatchSampler sampler(train.size(), config_.batch_size, config_.seed);
    Matrix X;
    std::vector<std::uint8_t> y;
    auto should_stop = [&] {
        if (!control) return false;
        while (control->pause.load() && !control->stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return control->stop.load();
    };
    for (int epoch = 1; epoch <= config_.epochs; ++epoch) {
        sampler.shuffle();
        const auto start = Clock::now();
        double loss_sum = 0;
        std::size_t seen = 0;
        for (std::size_t k = 0; k < sampler.batch_count(); ++k) {
            if (should_stop()) return TrainingOutcome::stopped;
            gather_batch(train, sampler.batch(k), X, y);
            const float loss = step(X, y);
            if (!std::isfinite(loss)) return TrainingOutcome::diverged;
            loss_sum += static_cast<double>(loss) * static_cast<double>(y.size());
            seen += y.size();
            if (on_batch) on_batch({epoch, k + 1, sampler.batch_count(), loss});
        }
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
