// digitpad-bench: how fast DigitPad trains and predicts on this machine, each figure beside
// the reference it should be read against, in one run.
//
//   digitpad-bench [--data DIR] [--quick] [--only-training | --only-teaching] [--threads N] [--batch N]
#include "confidence_view.h"
#include "dataset.h"
#include "drawing_canvas.h"
#include "drawing_classifier.h"
#include "evaluation.h"
#include "loss_chart.h"
#include "main_window.h"
#include "model_io.h"
#include "my_drawings_panel.h"
#include "stroke_dataset.h"
#include "teach.h"
#include "gemm_bound.h"
#include "engine/engine.h"
#include "engine/lanes.h"
#include "engine/sparse_input.h"
#include "threads.h"
#include "trainer.h"
#include "training_panel.h"
#include "training_worker.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace digitpad;
using Clock = std::chrono::steady_clock;

namespace {

volatile float sink = 0;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The CPU this runs on and the vector width the kernels were built for, e.g. "AMD EPYC 7B13
// (family 25, model 1); AVX2 kernels: 8 floats a register, 16 registers". Every table names it.
std::string machine() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line, name = "unknown CPU", family, model;
    auto value = [&] { return line.substr(line.find(':') + 2); };
    while (std::getline(cpuinfo, line) && line.find("model name") != 0) {
        if (line.find("cpu family") == 0) family = value();
        if (line.find("model\t") == 0) model = value();
    }
    if (line.find("model name") == 0) name = value();
    char text[256];
    std::snprintf(text, sizeof text, "%s (family %s, model %s); %s kernels: %d floats a register, %d registers",
                  name.c_str(), family.c_str(), model.c_str(), kInstructionSet, kLanes, kRegisters);
    return text;
}

void table(const char* title) {
    static const std::string cpu = machine();
    std::printf("\n== %s ==\n   on %s\n", title, cpu.c_str());
}

Dataset synthetic(std::size_t n) {
    std::mt19937_64 rng(1);
    Dataset d;
    d.name = "synthetic";
    for (std::size_t i = 0; i < n * kImagePixels; ++i) d.images.push_back(static_cast<std::uint8_t>(rng()));
    for (std::size_t i = 0; i < n; ++i) d.labels.push_back(static_cast<std::uint8_t>(rng() % 10));
    return d;
}

// Training samples per second of the paper's network with SGD, over `batches` batches.
double train_rate(const Dataset& data, int batch, int threads, int batches,
                  TrainingConfig::Precision precision = TrainingConfig::Precision::fp32) {
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

// A competing program for the busy-core rows, started as a child process: a plain busy loop,
// or a memory-bound one streaming over 256 MB. Stopped by stop_competitor.
pid_t start_competitor(bool memory_bound) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        if (memory_bound) {
            std::vector<std::uint64_t> buffer(std::size_t{32} << 20, 1);  // 256 MB
            for (std::uint64_t k = 0;; ++k)
                for (std::size_t i = 0; i < buffer.size(); i += 8) buffer[i] += k;
        }
        for (std::uint64_t k = 0;; ++k) sink = static_cast<float>(k);
    }
    return pid;
}

void stop_competitor(pid_t pid) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

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

// The value after `name` on the command line, or an empty string.
QString option_value(const QStringList& args, const char* name) {
    const auto at = args.indexOf(name);
    return at > 0 && at + 1 < args.size() ? args[at + 1] : QString();
}

// The child's own high-water mark of resident memory (VmHWM), read while it runs, once it is
// the program (before exec it is a copy of this process; wait4's ru_maxrss counts that too).
long child_peak_rss_kb(const std::vector<std::string>& argv) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        if (!freopen("/dev/null", "w", stdout)) _exit(126);
        execv(args[0], args.data());
        _exit(127);
    }
    const std::string status_file = "/proc/" + std::to_string(pid) + "/status";
    const std::string program = argv[0].substr(argv[0].rfind('/') + 1).substr(0, 15);  // as /proc shows it
    long peak_kb = 0;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::FILE* f = std::fopen(status_file.c_str(), "r")) {
            char line[256], name[64] = "";
            long kb = 0;
            while (std::fgets(line, sizeof line, f)) {
                std::sscanf(line, "Name: %63s", name);
                if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1 && program == name) peak_kb = std::max(peak_kb, kb);
            }
            std::fclose(f);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? peak_kb : -1;
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = QApplication::arguments();
    const bool quick = args.contains("--quick");
    const bool only_training = args.contains("--only-training");
    const bool only_teaching = args.contains("--only-teaching");
    const QString threads_arg = option_value(args, "--threads"), batch_arg = option_value(args, "--batch");
    const std::vector<int> thread_counts =
        threads_arg.isEmpty() ? std::vector<int>{1, 2} : std::vector<int>{threads_arg.toInt()};
    const std::vector<int> batch_sizes =
        batch_arg.isEmpty() ? std::vector<int>{32, 128, 256} : std::vector<int>{batch_arg.toInt()};
    const QString data = option_value(args, "--data");
    const QString dataDir = data.isEmpty() ? QString(DIGITPAD_MNIST_DIR) : data;
    const bool mnist = has_mnist(dataDir.toStdString());
    const Dataset train = mnist ? load_mnist(dataDir.toStdString(), MnistPart::train) : synthetic(60000);
    std::printf("DigitPad benchmark — data: %s (%zu images)%s\n", mnist ? qPrintable(dataDir) : "synthetic", train.size(),
                quick ? ", quick" : "");
    std::printf("one training sample = 2.56 MFLOP (784-800-10, forward and backward, no input gradient)\n");

    // libgomp gives each thread that opens a parallel region its own pool, and spins less once
    // pools outnumber the cores. The app trains only on its worker thread; the benchmark keeps
    // the same shape by running the bare-core figures on a thread that ends (and frees its pool).
    const Model model = read_model(kDefaultModelPath);
    double core_rate_batch32 = 0;
    std::thread core_figures([&] {
    if (only_teaching) return;
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
    set_compute_threads(0);
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
    if (only_training) return;

    table("Inference");
    {
        // The engine's forward pass (evaluation's) beside the paper's code in Eigen.
        Matrix X;
        std::vector<std::uint8_t> y;
        std::vector<std::uint32_t> idx(1000);
        std::iota(idx.begin(), idx.end(), 0u);
        gather_batch(train, idx, X, y);
        const int reps = quick ? 10 : 50;
        Engine engine;
        Activations<float> act;
        auto rate = [&](auto forward) {
            forward();
            const auto start = Clock::now();
            for (int k = 0; k < reps; ++k) forward();
            return reps * 1000 / seconds_since(start);
        };
        const double fast = rate([&] { engine.forward(model.network, X); });
        const double paper = rate([&] { model.network.forward(X, act); });
        std::printf("forward, batch 1000:            %10.0f images/s  (the paper's code in Eigen: %.0f, %.2fx)\n", fast,
                    paper, fast / paper);
    }
    {
        std::vector<double> us;
        std::vector<float> image(784);
        for (int k = 0; k < 784; ++k) image[k] = train.images[static_cast<std::size_t>(k)] / 255.0f;
        for (int k = 0; k < 3000; ++k) {
            const auto t = Clock::now();
            const auto p = model.network.predict(image);
            us.push_back(seconds_since(t) * 1e6);
            sink = p[0];  // keeps the call
        }
        std::printf("one-sample predict:             median %6.1f µs, p99 %6.1f µs\n", percentile(us, 0.5), percentile(us, 0.99));
    }
    {
        // A person's drawing: a 7 of two strokes, through rendering, preprocessing and the network.
        const Drawing seven{Stroke{{QPointF(0.3, 0.2), QPointF(0.5, 0.19), QPointF(0.7, 0.2)}},
                            Stroke{{QPointF(0.7, 0.2), QPointF(0.6, 0.45), QPointF(0.5, 0.8)}}};
        std::vector<double> render_us, total_us;
        for (int k = 0; k < 500; ++k) {
            const auto t0 = Clock::now();
            const GreyImage grey = grey_drawing(fit_to_canvas(seven));
            const auto t1 = Clock::now();
            const auto input = preprocess(grey);
            const Probabilities p = predict_digit(model.network, *input);
            total_us.push_back(seconds_since(t0) * 1e6);
            render_us.push_back(std::chrono::duration<double>(t1 - t0).count() * 1e6);
            sink = p[0];
        }
        std::printf("draw to confidences:            median %6.1f µs (of which canvas rendering %.1f µs), p99 %.1f µs\n",
                    percentile(total_us, 0.5), percentile(render_us, 0.5), percentile(total_us, 0.99));
    }

    {
        // The reference for the app's worker below: one epoch of the bare trainer, same settings.
        set_compute_threads(0);
        Network net({784, 800, 10}, 1);
        Sgd sgd;
        Trainer trainer(net, sgd, {3, 32, 1});
        double seconds = 0;
        trainer.on_epoch = [&](const EpochResult& r) { seconds += r.seconds; };
        trainer.run(train, nullptr);
        core_rate_batch32 = 3 * static_cast<double>(train.size()) / seconds;
    }
    });
    core_figures.join();
    if (only_training) return 0;

    if (!only_teaching) table("Training inside the app (worker thread) vs the core trainer: 3 epochs, batch 32, Auto threads");
    // Quiet, then with a busy loop on a core (the worker on Auto threads): the same figures.
    for (bool busy : {false, true}) {
        if (!mnist || only_teaching) break;
        // The worker with the app's window, chart and canvas live, while a 5 ms timer on the UI
        // thread measures how long the event loop stalls.
        const double core_rate = core_rate_batch32;
        if (busy) std::printf("-- with a busy loop on a core --\n");
        const pid_t competitor = busy ? start_competitor(false) : 0;
        MainWindow window;
        window.setModel(std::make_shared<const Network>(model.network), model.info, "Built-in model");
        window.resize(1100, 900);
        window.show();
        window.canvas()->setDrawing({Stroke{{QPointF(0.5, 0.2), QPointF(0.5, 0.8)}}});
        TrainingPanel* panel = window.trainingPanel();
        TrainingRequest same_as_core;  // SGD, η 0.1, batch 32, 784-800-10, no augmentation
        same_as_core.dataDir = dataDir;
        same_as_core.recipe.eta = 0.1f;
        same_as_core.recipe.batch = 32;
        same_as_core.recipe.epochs = 3;
        panel->setRequest(same_as_core);
        QSignalSpy ended(panel, &TrainingPanel::trainingEnded);
        double app_seconds = 0;
        QObject::connect(panel->chart(), &LossChart::epochAdded, &window, [&](const EpochSummary& e) { app_seconds += e.seconds; });
        std::vector<double> gaps;
        QElapsedTimer probe;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer, &QTimer::timeout, [&] {
            gaps.push_back(probe.nsecsElapsed() / 1e6);
            probe.restart();
        });
        QElapsedTimer fromStart;
        double first_point_ms = -1;
        QObject::connect(panel->chart(), &LossChart::batchesAdded, &window, [&] {
            if (first_point_ms < 0) first_point_ms = fromStart.nsecsElapsed() / 1e6;
        });
        probe.start();
        timer.start(5);
        fromStart.start();
        panel->start();
        ended.wait(600000);
        timer.stop();
        if (busy) stop_competitor(competitor);
        const double app_rate = app_seconds > 0 ? 3 * static_cast<double>(train.size()) / app_seconds : 0;
        std::printf("core trainer (quiet): %.0f samples/s; in the app: %.0f samples/s (%.0f%%)\n", core_rate, app_rate,
                    100 * app_rate / core_rate);
        if (!gaps.empty())
            std::printf("UI event loop while training (5 ms probe, %zu samples): max gap %.1f ms, p99 %.1f ms\n",
                        gaps.size(), *std::max_element(gaps.begin(), gaps.end()), percentile(gaps, 0.99));
        std::printf("Start pressed to first chart point: %.0f ms (includes loading the data)\n", first_point_ms);
    }
    if (!mnist && !only_teaching) {
        std::printf("skipped: needs MNIST (--data DIR)\n");
    }

    table("Teaching 50 drawings in the app (5 of each digit, the built-in model; goal <= 3 s)");
    {
        // Rehearsal scans traced into drawings stand for a person's: the app's teach on them,
        // the event loop probed as above, quiet and with a busy loop on a core.
        const Rehearsal rehearsal = builtin_rehearsal();
        Dataset chosen;
        std::array<int, kClasses> taken{};
        for (std::size_t i = 0; i < rehearsal.check.size() && chosen.size() < 50; ++i)
            if (taken[rehearsal.check.labels[i]]++ < 5) {
                const auto image = rehearsal.check.image(i);
                chosen.images.insert(chosen.images.end(), image.begin(), image.end());
                chosen.labels.push_back(rehearsal.check.labels[i]);
            }
        const std::vector<StrokeRecord> drawings = traced_drawings(chosen);
        QTemporaryDir folder;
        std::printf("%-26s %14s %16s %16s %12s\n", "", "teach", "model in place", "trial measured", "UI max gap");
        for (bool busy : {false, true}) {
            const pid_t competitor = busy ? start_competitor(false) : 0;
            MainWindow window;
            window.myDrawings()->load(folder.filePath(busy ? "busy.jsonl" : "quiet.jsonl"));
            for (const StrokeRecord& d : drawings) window.myDrawings()->add(d, false);
            window.setModel(std::make_shared<const Network>(model.network), model.info, "Built-in model");
            window.show();
            QSignalSpy(&window, &QObject::destroyed).wait(500);  // shown, painted, its drawings read: settled
            double teach_seconds = 0;
            QObject::connect(window.myDrawings()->teacher(), &Teacher::finished, &window,
                             [&](const TeachReport& r) { teach_seconds = r.seconds; });
            QSignalSpy taught(window.myDrawings(), &MyDrawingsPanel::taught);
            QSignalSpy measured(window.myDrawings()->teacher(), &Teacher::measured);
            std::vector<double> gaps;
            QElapsedTimer probe, wall;
            QTimer timer;
            timer.setTimerType(Qt::PreciseTimer);
            QObject::connect(&timer, &QTimer::timeout, [&] {
                gaps.push_back(probe.nsecsElapsed() / 1e6);
                probe.restart();
            });
            probe.start();
            timer.start(5);
            wall.start();
            window.myDrawings()->teachNow();
            taught.wait(120000);
            const double taught_seconds = wall.nsecsElapsed() / 1e9;
            measured.wait(120000);
            const double wall_seconds = wall.nsecsElapsed() / 1e9;
            timer.stop();
            if (busy) stop_competitor(competitor);
            std::printf("%-26s %12.2f s %14.2f s %14.2f s %9.1f ms\n", busy ? "with a busy loop on a core" : "quiet",
                        teach_seconds, taught_seconds, wall_seconds, gaps.empty() ? 0.0 : *std::max_element(gaps.begin(), gaps.end()));
        }
    }

    if (only_teaching) return 0;
    table("Memory");
    if (mnist) {
        for (const char* precision : {"fp32", "bf16"}) {
            if (precision == std::string("bf16") && !bf16_available()) break;
            const long kb = child_peak_rss_kb({DIGITPAD_CLI, "train", "--data", dataDir.toStdString(), "--epochs", "1",
                                               "--precision", precision, "--out", "/tmp/digitpad-bench-model.dpm"});
            std::printf("peak RSS of `digitpad-cli train --precision %s` on the full MNIST, 1 epoch: %.1f MB\n", precision,
                        kb / 1024.0);
        }
        ::unlink("/tmp/digitpad-bench-model.dpm");
    }
    return 0;
}
