// What every benchmark measures with, without Qt: clocks, percentiles and the training rate of
// the paper's network. digitpad-bench and digitpad-speed (speed.cpp) both build on it.
#pragma once

#include "dataset.h"
#include "trainer.h"

#include <chrono>
#include <vector>

namespace digitpad::bench {

using Clock = std::chrono::steady_clock;

extern volatile float sink;  // results stored here are not optimised away
double seconds_since(Clock::time_point t);
double percentile(std::vector<double> v, double p);

// Training samples per second of the paper's network with SGD, over `batches` batches.
double train_rate(const Dataset& data, int batch, int threads, int batches,
                  TrainingConfig::Precision precision = TrainingConfig::Precision::fp32);

}  // namespace digitpad::bench
