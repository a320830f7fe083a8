// digitpad-bench: how fast DigitPad trains and predicts on this machine, each figure beside
// the reference it should be read against, in one run. Its options: kUsage below.
//
// --kernels runs the engine on one of the build's kernel sets (core/engine/kernels.h), e.g. AVX2
// on an AVX-512 CPU: to see what the CPUs that have only that set get, on this one.
#include "bench.h"

#include "model_io.h"

#include "engine/kernels.h"

#include <QApplication>

#include <cstdio>
#include <thread>

using namespace digitpad;
using namespace digitpad::bench;

namespace {

const char kUsage[] =
    "usage: digitpad-bench [--data DIR] [--quick] [--only-training | --only-teaching | --only-builds | --only-views]\n"
    "                      [--threads N] [--batch N] [--kernels SET]\n"
    "  --data DIR      the MNIST folder (default: the one found at build time; synthetic data without it)\n"
    "  --quick         fewer repetitions, for a first look\n"
    "  --only-...      one part: training throughput and the busy core, teaching in the app,\n"
    "                  portable and native builds, or training with the views open\n"
    "  --threads N     the bare-core tables on N threads only (default: 1 and 2)\n"
    "  --batch N       the bare-core tables at batch N only (default: 32, 128 and 256)\n"
    "  --kernels SET   the engine on one kernel set of this build (e.g. AVX2 on an AVX-512 CPU)\n";

// The options that take a value, and those that do not.
const QStringList kValued = {"--data", "--threads", "--batch", "--kernels"};
const QStringList kFlags = {"--quick", "--only-training", "--only-teaching", "--only-builds", "--only-views"};

// The first argument that is no option of ours (or a valued option without its value), or an
// empty string.
QString unknown_argument(const QStringList& args) {
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (kFlags.contains(args[i])) continue;
        if (kValued.contains(args[i]) && i + 1 < args.size()) {
            ++i;
            continue;
        }
        return args[i];
    }
    return {};
}

// The value after `name` on the command line, or an empty string.
QString option_value(const QStringList& args, const char* name) {
    const auto at = args.indexOf(name);
    return at > 0 && at + 1 < args.size() ? args[at + 1] : QString();
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = QApplication::arguments();
    if (args.contains("--help") || args.contains("-h")) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (const QString bad = unknown_argument(args); !bad.isEmpty()) {
        std::fprintf(stderr, "digitpad-bench: %s: %s\n%s", qPrintable(bad),
                     kValued.contains(bad) ? "needs a value" : "unknown option", kUsage);
        return 2;
    }
    Setup s;
    s.quick = args.contains("--quick");
    const bool only_training = args.contains("--only-training");
    const bool only_teaching = args.contains("--only-teaching");
    const bool only_builds = args.contains("--only-builds");
    const bool only_views = args.contains("--only-views");
    const QString threads_arg = option_value(args, "--threads"), batch_arg = option_value(args, "--batch");
    s.thread_counts = threads_arg.isEmpty() ? std::vector<int>{1, 2} : std::vector<int>{threads_arg.toInt()};
    s.batch_sizes = batch_arg.isEmpty() ? std::vector<int>{32, 128, 256} : std::vector<int>{batch_arg.toInt()};
    if (const QString set = option_value(args, "--kernels"); !set.isEmpty()) {
        const Kernels* chosen = kernels_named(set.toStdString());
        if (!chosen || !cpu_runs(*chosen)) {
            std::fprintf(stderr, "digitpad-bench: %s kernels are not in this build or not run by this CPU\n", qPrintable(set));
            return 2;
        }
        use_kernels(chosen);
    }
    const QString data = option_value(args, "--data");
    s.dataDir = data.isEmpty() ? QString(DIGITPAD_MNIST_DIR) : data;
    s.mnist = has_mnist(s.dataDir.toStdString());
    s.train = s.mnist ? load_mnist(s.dataDir.toStdString(), MnistPart::train) : synthetic(60000);
    s.model = read_model(kDefaultModelPath);
    std::printf("DigitPad benchmark — data: %s (%zu images)%s\n", s.mnist ? qPrintable(s.dataDir) : "synthetic",
                s.train.size(), s.quick ? ", quick" : "");
    std::printf("one training sample = 2.56 MFLOP (784-800-10, forward and backward, no input gradient)\n");

    // libgomp gives each thread that opens a parallel region its own pool, and spins less once
    // pools outnumber the cores. The app trains only on its worker thread; the benchmark keeps
    // the same shape by running the bare-core figures on a thread that ends (and frees its pool).
    double core_rate = 0;
    if (only_builds) {
        portable_and_native(s);
        return 0;
    }
    auto views = [&] {
        table("Training in the app with the views inside the network open and closed (SGD, batch 128, 3 epochs)");
        if (s.mnist)
            training_with_the_views(s);
        else
            std::printf("skipped: needs MNIST (--data DIR)\n");
    };
    if (only_views) {
        views();
        return 0;
    }
    std::thread core_figures([&] {
        if (only_teaching) return;
        training_throughput(s);
        busy_core(s);
        if (only_training) return;
        inference(s);
        portable_and_native(s);
        core_rate = core_trainer_rate(s);
    });
    core_figures.join();
    if (only_training) return 0;
    if (!only_teaching) {
        table("Training inside the app (worker thread) vs the core trainer: 3 epochs, batch 32, Auto threads");
        if (s.mnist)
            training_in_the_app(s, core_rate);
        else
            std::printf("skipped: needs MNIST (--data DIR)\n");
        views();
    }
    table("Teaching 50 drawings in the app (5 of each digit, the built-in model; goal <= 3 s)");
    teaching_in_the_app(s);
    if (only_teaching) return 0;
    table("Memory");
    memory(s);
    return 0;
}
