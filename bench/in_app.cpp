// The app itself: training on its worker thread and teaching a person's drawings, with the
// window, chart and canvas live, quiet and beside a busy core, with the UI event loop probed.
#include "bench.h"

#include "drawing_canvas.h"
#include "insight_panel.h"
#include "mistakes_gallery.h"
#include "weights_view.h"
#include "loss_chart.h"
#include "main_window.h"
#include "my_drawings_panel.h"
#include "stroke_dataset.h"
#include "teach.h"
#include "training_panel.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <array>
#include <cstdio>

namespace digitpad::bench {
namespace {

// How long the UI event loop stalls: a 5 ms timer on the UI thread records the gaps between
// its ticks, from start() to stop().
class StallProbe {
public:
    StallProbe() {
        timer_.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            gaps_.push_back(static_cast<double>(clock_.nsecsElapsed()) / 1e6);
            clock_.restart();
        });
    }
    void start() {
        clock_.start();
        timer_.start(5);
    }
    void stop() { timer_.stop(); }
    const std::vector<double>& gaps() const { return gaps_; }  // ms
    double longest() const { return gaps_.empty() ? 0.0 : *std::max_element(gaps_.begin(), gaps_.end()); }

private:
    std::vector<double> gaps_;
    QElapsedTimer clock_;
    QTimer timer_;
};

// The window on the built-in model, a one-stroke 1 on the canvas, shown at `size`.
void show_window(MainWindow& window, const Model& model, QSize size) {
    window.setModel(std::make_shared<const Network>(model.network), model.info, "Built-in model");
    window.resize(size);
    window.show();
    window.canvas()->setDrawing({Stroke{{QPointF(0.5, 0.2), QPointF(0.5, 0.8)}}});
}

// Three epochs of plain SGD, η 0.1, on the paper's 784-800-10 without augmentation.
TrainingRequest sgd_run(const QString& dataDir, int batch) {
    TrainingRequest r;
    r.dataDir = dataDir;
    r.recipe.eta = 0.1f;
    r.recipe.batch = batch;
    r.recipe.epochs = 3;
    return r;
}

}  // namespace

void training_in_the_app(const Setup& s, double core_rate) {
    const Dataset& train = s.train;
    const Model& model = s.model;
    const QString& dataDir = s.dataDir;
    for (bool busy : {false, true}) {
        // The worker with the app's window, chart and canvas live, while a 5 ms timer on the UI
        // thread measures how long the event loop stalls.
        if (busy) std::printf("-- with a busy loop on a core --\n");
        const pid_t competitor = busy ? start_competitor(false) : 0;
        MainWindow window;
        show_window(window, model, {1100, 900});
        TrainingPanel* panel = window.trainingPanel();
        panel->setRequest(sgd_run(dataDir, 32));  // as the core trainer's figure ran
        QSignalSpy ended(panel, &TrainingPanel::trainingEnded);
        double app_seconds = 0;
        QObject::connect(panel->chart(), &LossChart::epochAdded, &window, [&](const EpochSummary& e) { app_seconds += e.seconds; });
        StallProbe probe;
        QElapsedTimer fromStart;
        double first_point_ms = -1;
        QObject::connect(panel->chart(), &LossChart::batchesAdded, &window, [&] {
            if (first_point_ms < 0) first_point_ms = fromStart.nsecsElapsed() / 1e6;
        });
        probe.start();
        fromStart.start();
        panel->start();
        ended.wait(600000);
        probe.stop();
        if (busy) stop_competitor(competitor);
        const double app_rate = app_seconds > 0 ? 3 * static_cast<double>(train.size()) / app_seconds : 0;
        std::printf("core trainer (quiet): %.0f samples/s; in the app: %.0f samples/s (%.0f%%)\n", core_rate, app_rate,
                    100 * app_rate / core_rate);
        if (!probe.gaps().empty())
            std::printf("UI event loop while training (5 ms probe, %zu samples): max gap %.1f ms, p99 %.1f ms\n",
                        probe.gaps().size(), probe.longest(), percentile(probe.gaps(), 0.99));
        std::printf("Start pressed to first chart point: %.0f ms (includes loading the data)\n", first_point_ms);
    }
}

void training_with_the_views(const Setup& s) {
    // The same run, 3 epochs of batch 128 with SGD: the views inside the network closed; their
    // dock open on the weights (redrawn at each snapshot); open on the mistakes (rebuilt each
    // epoch). The matrix follows each epoch in both; the UI event loop probed.
    struct Figures {
        double rate = 0, longest_gap = 0, p99_gap = 0, redraws_per_second = 0;
    };
    auto run = [&](QWidget* (*view)(InsightPanel*)) {
        const bool open = view != nullptr;
        MainWindow window;
        show_window(window, s.model, {1366, 700});
        InsightPanel* insight = window.insight();
        for (QDockWidget* d : window.findChildren<QDockWidget*>())
            if (d->widget() == insight) d->setVisible(open);
        if (open) insight->tabs()->setCurrentWidget(view(insight));
        TrainingPanel* panel = window.trainingPanel();
        panel->setRequest(sgd_run(s.dataDir, 128));
        QSignalSpy ended(panel, &TrainingPanel::trainingEnded);
        double seconds = 0;
        QObject::connect(panel->chart(), &LossChart::epochAdded, &window, [&](const EpochSummary& e) { seconds += e.seconds; });
        const int renders_before = insight->weights()->renders();
        StallProbe probe;
        QElapsedTimer wall;
        probe.start();
        wall.start();
        panel->start();
        ended.wait(600000);
        probe.stop();
        Figures f;
        f.rate = seconds > 0 ? 3 * static_cast<double>(s.train.size()) / seconds : 0;
        f.longest_gap = probe.longest();
        f.p99_gap = probe.gaps().empty() ? 0 : percentile(probe.gaps(), 0.99);
        f.redraws_per_second = (insight->weights()->renders() - renders_before) / (wall.nsecsElapsed() / 1e9);
        return f;
    };
    // Five rounds of the three, each open run's rate against the closed run of its round: a ratio
    // taken round by round holds while the machine's speed drifts. Medians throughout.
    constexpr int kRounds = 5;
    std::vector<Figures> closed, weights, mistakes;
    for (int k = 0; k < kRounds; ++k) {
        closed.push_back(run(nullptr));
        weights.push_back(run([](InsightPanel* p) -> QWidget* { return p->weights(); }));
        mistakes.push_back(run([](InsightPanel* p) -> QWidget* { return p->mistakes(); }));
    }
    auto median = [](const std::vector<Figures>& v, double Figures::*field) {
        std::vector<double> x;
        for (const Figures& f : v) x.push_back(f.*field);
        return percentile(x, 0.5);
    };
    auto largest = [](const std::vector<Figures>& v, double Figures::*field) {
        double m = 0;
        for (const Figures& f : v) m = std::max(m, f.*field);
        return m;
    };
    auto ratio = [&](const std::vector<Figures>& open) {
        std::vector<double> x;
        for (int k = 0; k < kRounds; ++k) x.push_back(open[k].rate / std::max(closed[k].rate, 1.0));
        return 100 * percentile(x, 0.5);
    };
    std::printf("%d rounds; medians, and the longest gap of all rounds\n", kRounds);
    std::printf("%-40s %10s %10s %10s\n", "", "closed", "weights", "mistakes");
    std::printf("%-40s %10.0f %10.0f %10.0f  (open / closed, by round: %.0f%%, %.0f%%)\n", "training in the app, samples/s",
                median(closed, &Figures::rate), median(weights, &Figures::rate), median(mistakes, &Figures::rate),
                ratio(weights), ratio(mistakes));
    std::printf("%-40s %10.1f %10.1f %10.1f\n", "UI event loop, longest gap (ms; 5 ms probe)",
                largest(closed, &Figures::longest_gap), largest(weights, &Figures::longest_gap),
                largest(mistakes, &Figures::longest_gap));
    std::printf("%-40s %10.1f %10.1f %10.1f\n", "UI event loop, p99 gap (ms)", median(closed, &Figures::p99_gap),
                median(weights, &Figures::p99_gap), median(mistakes, &Figures::p99_gap));
    std::printf("%-40s %10.1f %10.1f %10.1f\n", "weights view redrawn, times a second",
                median(closed, &Figures::redraws_per_second), median(weights, &Figures::redraws_per_second),
                median(mistakes, &Figures::redraws_per_second));
}

void teaching_in_the_app(const Setup& s) {
    const Model& model = s.model;
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
            StallProbe probe;
            QElapsedTimer wall;
            probe.start();
            wall.start();
            window.myDrawings()->teachNow();
            taught.wait(120000);
            const double taught_seconds = wall.nsecsElapsed() / 1e9;
            measured.wait(120000);
            const double wall_seconds = wall.nsecsElapsed() / 1e9;
            probe.stop();
            if (busy) stop_competitor(competitor);
            std::printf("%-26s %12.2f s %14.2f s %14.2f s %9.1f ms\n", busy ? "with a busy loop on a core" : "quiet",
                        teach_seconds, taught_seconds, wall_seconds, probe.longest());
        }
    }
}

}  // namespace digitpad::bench
