// digitpad-bench's parts: what every table shares (bench.cpp runs them in order).
#pragma once

#include "measure.h"
#include "model_file.h"

#include <QString>

#include <string>
#include <sys/types.h>
#include <vector>

namespace digitpad::bench {

// What the command line chose, the training data and the built-in model.
struct Setup {
    bool quick = false;
    std::vector<int> thread_counts, batch_sizes;
    QString dataDir;
    bool mnist = false;  // the data is MNIST (else synthetic, and the app's rows are skipped)
    Dataset train;
    Model model;
};

// The tables, each printed under its title and the machine it ran on.
void training_throughput(const Setup& s);
void busy_core(const Setup& s);
void inference(const Setup& s);
double core_trainer_rate(const Setup& s);  // samples/s of the bare trainer, 3 epochs of batch 32
void training_in_the_app(const Setup& s, double core_rate);
void training_with_the_views(const Setup& s);  // the views inside the network open and closed
void teaching_in_the_app(const Setup& s);
void memory(const Setup& s);
void portable_and_native(const Setup& s);

void table(const char* title);
Dataset synthetic(std::size_t n);
// A competing program for the busy-core rows, started as a child process: a plain busy loop,
// or a memory-bound one streaming over 256 MB. Stopped by stop_competitor.
pid_t start_competitor(bool memory_bound);
void stop_competitor(pid_t pid);

}  // namespace digitpad::bench
