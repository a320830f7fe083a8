// The portable build (the package's: kernels chosen at run time, everything else for any
// x86-64) against a native one (-march=native throughout), by digitpad-speed from each build,
// run in turn seven times; then the portable build held to each narrower kernel set, as an
// older CPU would run it.
#include "bench.h"

#include "engine/kernels.h"

#include <QFileInfo>
#include <QProcess>

#include <cstdio>
#include <map>

namespace digitpad::bench {
namespace {

// digitpad-speed's figures by name ("train 128", "predict"), or none when it failed.
std::map<QString, double> speed(const QString& program, const QString& data, const QString& kernels = {}) {
    QProcess p;
    QStringList args{data};
    if (!kernels.isEmpty()) args << kernels;
    p.start(program, args);
    p.waitForFinished(-1);
    std::map<QString, double> figures;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        std::printf("%s failed: %s\n", qPrintable(program), p.readAllStandardError().constData());
        return figures;
    }
    for (const QString& line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
        const QString name = line.section(' ', 0, -2);
        bool number = false;
        const double value = line.section(' ', -1).toDouble(&number);
        if (number) figures[name] = value;
    }
    return figures;
}

double median_of(const std::vector<std::map<QString, double>>& runs, const QString& name) {
    std::vector<double> v;
    for (const auto& r : runs)
        if (r.count(name)) v.push_back(r.at(name));
    return v.empty() ? 0 : percentile(v, 0.5);
}

// The median over the pairs of a[k] / b[k] (b[k] / a[k] for times): a ratio taken pair by pair
// holds while the machine's speed drifts between pairs.
double median_ratio(const std::vector<std::map<QString, double>>& a, const std::vector<std::map<QString, double>>& b,
                    const QString& name, bool time) {
    std::vector<double> v;
    for (std::size_t k = 0; k < a.size() && k < b.size(); ++k)
        if (a[k].count(name) && b[k].count(name) && a[k].at(name) > 0 && b[k].at(name) > 0)
            v.push_back(time ? b[k].at(name) / a[k].at(name) : a[k].at(name) / b[k].at(name));
    return v.empty() ? 0 : percentile(v, 0.5);
}

}  // namespace

void portable_and_native(const Setup& s) {
    table("Portable build vs native build (digitpad-speed: SGD on MNIST, 2 threads; 7 alternated pairs, medians)");
    if (!s.mnist) {
        std::printf("skipped: needs MNIST (--data DIR)\n");
        return;
    }
    const QString portable = DIGITPAD_SPEED, native = DIGITPAD_SPEED_NATIVE;
    if (native.isEmpty() || !QFileInfo(native).isExecutable()) {
        std::printf("skipped: no native build to compare with (build it: cmake --build --preset release --target "
                    "digitpad-speed-native)\n");
        return;
    }
    std::vector<std::map<QString, double>> p, n;
    for (int k = 0; k < 7; ++k) {
        p.push_back(speed(portable, s.dataDir));
        n.push_back(speed(native, s.dataDir));
    }
    std::printf("%-28s %12s %12s %9s  (ratio: the median of the pairs' ratios)\n", "", "portable", "native", "ratio");
    for (const char* name : {"train 32", "train 128"})
        std::printf("%-28s %12.0f %12.0f %8.1f%%\n", qPrintable(QString("samples/s, batch %1").arg(QString(name).mid(6))),
                    median_of(p, name), median_of(n, name), 100 * median_ratio(p, n, name, false));
    std::printf("%-28s %12.2f %12.2f %8.1f%%  (speed: native time / portable time)\n", "one-sample predict, µs",
                median_of(p, "predict"), median_of(n, "predict"), 100 * median_ratio(p, n, "predict", true));
    std::printf("The portable build held to narrower kernel sets (as on a CPU without the wider ones), one run:\n");
    for (const Kernels* k : compiled_kernels()) {
        if (k == &kernels() || !cpu_runs(*k)) continue;
        const auto f = speed(portable, s.dataDir, k->instruction_set);
        if (f.empty()) continue;
        std::printf("%-28s batch 32: %.0f, batch 128: %.0f samples/s; predict %.2f µs\n",
                    qPrintable(QString("%1 kernels").arg(k->instruction_set)), f.at("train 32"), f.at("train 128"),
                    f.at("predict"));
    }
}

}  // namespace digitpad::bench
