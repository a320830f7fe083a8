// Auto threads: the chooser settles on the faster thread count from measured batch times,
// costs little while it checks the other, and follows a load that comes and goes.
#include "thread_chooser.h"

#include <QtTest>

#include <functional>

using namespace digitpad;

namespace {

struct Run {
    double seconds = 0;
    int batches_on_one = 0, batches = 0;
};

// `batches` batches of 64 images, each taking seconds_for(threads, batch index).
Run simulate(ThreadChooser& chooser, int batches, const std::function<double(int, int)>& seconds_for, int first = 0) {
    Run r;
    for (int k = first; k < first + batches; ++k) {
        const int t = chooser.threads();
        const double s = seconds_for(t, k);
        chooser.record(s, 64);
        r.seconds += s;
        r.batches_on_one += t == 1;
        ++r.batches;
    }
    return r;
}

}  // namespace

class TestThreadChooser : public QObject {
    Q_OBJECT
private slots:
    void a_quiet_machine_stays_on_all_cores() {
        ThreadChooser chooser(2);
        // Two threads 1.0 ms a batch, one 1.7 ms: 20 s of training.
        const Run r = simulate(chooser, 20000, [](int t, int) { return t == 2 ? 1.0e-3 : 1.7e-3; });
        QCOMPARE(chooser.threads(), 2);
        const double ideal = 20000 * 1.0e-3;
        QVERIFY2(r.seconds < 1.01 * ideal, qPrintable(QString("%1 s for %2 s").arg(r.seconds).arg(ideal)));
    }

    void a_busy_core_moves_it_to_one_thread() {
        ThreadChooser chooser(2);
        // Another program holds a core: two threads wait at every barrier, 10 ms a batch; one
        // thread runs at 1.8 ms.
        const Run r = simulate(chooser, 5000, [](int t, int) { return t == 2 ? 10e-3 : 1.8e-3; });
        QCOMPARE(chooser.threads(), 1);
        const double one_thread = 5000 * 1.8e-3;
        QVERIFY2(r.seconds < one_thread / 0.9, qPrintable(QString("%1 s against %2 s").arg(r.seconds).arg(one_thread)));
    }

    void it_follows_the_load_as_it_comes_and_goes() {
        ThreadChooser chooser(2, 2.0, 4);
        auto load_between = [](int from, int to) {
            return [=](int t, int k) {
                const bool busy = k >= from && k < to;
                return t == 2 ? (busy ? 10e-3 : 1.0e-3) : (busy ? 1.8e-3 : 1.7e-3);
            };
        };
        const auto seconds_for = load_between(3000, 6000);
        simulate(chooser, 3000, seconds_for);
        QCOMPARE(chooser.threads(), 2);
        // The load arrives; within a probe interval and a window it is on one thread.
        simulate(chooser, 1500, seconds_for, 3000);
        QCOMPARE(chooser.threads(), 1);
        // The load leaves: the next probe finds two threads faster again.
        simulate(chooser, 1500, seconds_for, 4500);
        simulate(chooser, 2000, seconds_for, 6000);
        QCOMPARE(chooser.threads(), 2);
    }

    void one_core_means_one_thread() {
        ThreadChooser chooser(1);
        for (int k = 0; k < 100; ++k) {
            QCOMPARE(chooser.threads(), 1);
            chooser.record(1e-3, 64);
        }
    }
};

QTEST_APPLESS_MAIN(TestThreadChooser)
#include "test_thread_chooser.moc"
