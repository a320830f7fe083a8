#include "measure.h"

#include "optimizer.h"
#include "threads.h"

#include <algorithm>

namespace digitpad::bench {

volatile float sink = 0;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

double train_rate(const Dataset& data, int batch, int threads, int batches, TrainingConfig::Precision precision) {
    set_compute_threads(threads);
    Network net({784, 800, 10}, 1);
    Sgd sgd;
    sgd.eta = 0.01f;
    TrainingConfig config(1, static_cast<std::size_t>(batch), 1);
    config.precision = precision;
    Trainer trainer(net, sgd, config);
    BatchSampler sampler(data.size(), static_cast<std::size_t>(batch), 1);
    sampler.shuffle();
    Matrix X;
    std::vector<std::uint8_t> y;
    for (int k = 0; k < 5; ++k) {  // warm-up: workspaces allocated, caches and threads awake
        gather_batch(data, sampler.batch(static_cast<std::size_t>(k)), X, y);
        trainer.step(X, y);
    }
    const auto start = Clock::now();
    for (int k = 0; k < batches; ++k) {
        gather_batch(data, sampler.batch(static_cast<std::size_t>(k) % sampler.batch_count()), X, y);
        trainer.step(X, y);
    }
    return batches * batch / seconds_since(start);
}

}  // namespace digitpad::bench
