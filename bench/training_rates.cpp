// Training speed: the paper's network with SGD, against the GEMM bound of its products, and
// with another program holding a core.
#include "bench.h"

#include "engine/sparse_input.h"
#include "gemm_bound.h"
#include "optimizer.h"
#include "threads.h"
#include "trainer.h"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace digitpad::bench {
namespace {

// Samples/s of the core trainer as `digitpad-cli train` runs it: SGD, batch 32, on `data`, with
// Auto threads or a fixed count; the last of `epochs` epochs (the first pays for warming up).
double trainer_rate(const Dataset& data, bool auto_threads, int threads, int epochs = 2) {
    set_compute_threads(threads);
    Network net({784, 800, 10}, 1);
    Sgd sgd;
    sgd.eta = 0.1f;
    TrainingConfig config(epochs, 32, 1);
    config.auto_threads = auto_threads;
    Trainer trainer(net, sgd, config);
    double rate = 0;
    trainer.on_epoch = [&](const EpochResult& r) { rate = r.samples_per_second; };
    trainer.run(data, nullptr);
    set_compute_threads(0);
    return rate;
}

}  // namespace

void training_throughput(const Setup& s) {
    const Dataset& train = s.train;
    const bool quick = s.quick;
    const bool mnist = s.mnist;
    const std::vector<int>& thread_counts = s.thread_counts;
    const std::vector<int>& batch_sizes = s.batch_sizes;
    table("Training throughput (SGD, samples/s)");
    std::printf("(a GEMM bound is the fastest GEMM's rate on the five dense products of a step, 2.56 MFLOP a\n"
                "sample; DigitPad's FP32 skips the input's zeros, so it can pass its bound)\n");
    std::printf("%6s %8s %12s %12s %9s %12s %12s %9s\n", "batch", "threads", "FP32", "FP32 bound", "of bound", "BF16",
                "BF16 bound", "of bound");
    const int batches = quick ? 60 : 300;
    struct Gemm {
        int batch, threads;
        double eigen, onednn, onednn_bf16;  // GFLOP/s
    };
    std::vector<Gemm> gemms;
    for (int threads : thread_counts)
        for (int batch : batch_sizes) {
            set_compute_threads(threads);
            const Gemm g{batch, threads, eigen_gemm_gflops(batch, batches / 3), onednn_gemm_gflops(batch, false, threads, batches / 3),
                         onednn_gemm_gflops(batch, true, threads, batches / 3)};
            gemms.push_back(g);
            const double bound = std::max(g.eigen, g.onednn) * 1e9 / kStepFlopPerSample;
            const double rate = train_rate(train, batch, threads, batches);
            std::printf("%6d %8d %12.0f %12.0f %8.0f%%", batch, threads, rate, bound, 100 * rate / bound);
            if (bf16_available()) {
                const double bf16_bound = g.onednn_bf16 * 1e9 / kStepFlopPerSample;
                const double bf16_rate = train_rate(train, batch, threads, batches, TrainingConfig::Precision::bf16);
                std::printf(" %12.0f %12.0f %8.0f%%\n", bf16_rate, bf16_bound, 100 * bf16_rate / bf16_bound);
            } else {
                std::printf(" %12s %12s %9s\n", "-", "-", "-");
            }
        }
    std::printf("BF16: the first layer's products in BF16 (%s)\n",
                bf16_available() ? "oneDNN on this CPU's AMX or AVX512-BF16" : "not here: no BF16 arithmetic or no oneDNN");
    std::printf("\nGEMM alone on those five products, GFLOP/s:\n%6s %8s %10s %12s %12s\n", "batch", "threads", "Eigen",
                "oneDNN FP32", "oneDNN BF16");
    for (const Gemm& g : gemms)
        std::printf("%6d %8d %10.0f %12.0f %12.0f\n", g.batch, g.threads, g.eigen, g.onednn, g.onednn_bf16);
    {
        // How much of the first layer's dense work the sparse products do on this data, and
        // the speed on a dense input, where the step keeps Eigen's GEMM (sparse_input.h).
        Matrix X;
        std::vector<std::uint8_t> y;
        BatchSampler sampler(train.size(), 128, 1);
        sampler.shuffle();
        gather_batch(train, sampler.batch(0), X, y);
        SparseInput index;
        index.index(X);
        std::printf("first-layer products on %s batches of 128: %.0f%% (forward) and %.0f%% (update) of the dense "
                    "multiplications\n",
                    mnist ? "MNIST" : "synthetic", 100 * index.row_group_density(), 100 * index.column_group_density());
        const int threads = thread_counts.back();
        std::printf("dense input (random pixels), batch 128, %d threads: %.0f samples/s\n", threads,
                    train_rate(synthetic(10000), 128, threads, batches));
    }
}

void busy_core(const Setup& s) {
    const Dataset& train = s.train;
    {
        // Another program holding a core: Auto threads against one thread under the same load,
        // and quiet Auto against quiet all-cores (docs/architecture.md, "Threads").
        table("Busy core: SGD, batch 32, 20,000 images, samples/s of the 2nd epoch");
        const Dataset part = take(train, 20000);
        const double quiet_auto = trainer_rate(part, true, 0), quiet_all = trainer_rate(part, false, 0);
        std::printf("%-34s %10s %10s %8s\n", "", "Auto", "reference", "ratio");
        std::printf("%-34s %10.0f %10.0f %7.0f%%  (reference: all cores)\n", "quiet", quiet_auto, quiet_all,
                    100 * quiet_auto / quiet_all);
        for (bool memory_bound : {false, true}) {
            const pid_t competitor = start_competitor(memory_bound);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            const double busy_auto = trainer_rate(part, true, 0), busy_one = trainer_rate(part, false, 1),
                         busy_all = trainer_rate(part, false, 0);
            stop_competitor(competitor);
            const char* what = memory_bound ? "with a memory-bound program" : "with a busy loop";
            std::printf("%-34s %10.0f %10.0f %7.0f%%  (reference: 1 thread; all cores: %.0f)\n", what, busy_auto, busy_one,
                        100 * busy_auto / busy_one, busy_all);
        }
    }
}

double core_trainer_rate(const Setup& s) {
    const Dataset& train = s.train;
    {
        // The reference for the app's worker below: one epoch of the bare trainer, same settings.
        set_compute_threads(0);
        Network net({784, 800, 10}, 1);
        Sgd sgd;
        Trainer trainer(net, sgd, {3, 32, 1});
        double seconds = 0;
        trainer.on_epoch = [&](const EpochResult& r) { seconds += r.seconds; };
        trainer.run(train, nullptr);
        return 3 * static_cast<double>(train.size()) / seconds;
    }
}

}  // namespace digitpad::bench
