// The training loop: determinism, stop and divergence, and real learning on MNIST.
#include "dataset.h"
#include "same_parameters.h"
#include "synthetic_data.h"
#include "evaluation.h"
#include "threads.h"
#include "trainer.h"

#include "mixture.h"

#include <QtTest>

#include <atomic>
#include <mutex>
#include <thread>

using namespace digitpad;

namespace {

using testing::synthetic_digits;

using testing::same_parameters;

}  // namespace

class TestTraining : public QObject {
    Q_OBJECT
private slots:
    // The estimate counted by hand for the paper's net: 636,010 parameters and their
    // gradients, W1's engine copy (627,200) and three floats per unit of a 64-row batch.
    void training_memory_is_estimated_before_training() {
        QCOMPARE(training_memory_bytes({784, 800, 10}, 64, 0), std::uint64_t{4} * (2 * 636'010 + 627'200 + 3 * 64 * 1594));
        QCOMPARE(training_memory_bytes({784, 800, 10}, 64, 2) - training_memory_bytes({784, 800, 10}, 64, 0),
                 std::uint64_t{4} * 2 * 636'010);  // Adam's two moments
        QVERIFY(!cannot_train({784, 800, 10}, 64, "adam"));
        QVERIFY(physical_memory_bytes() > 0);
        const auto why = cannot_train({784, 65536, 65536, 65536, 65536, 65536, 65536, 65536, 10}, 64, "sgd");
        QVERIFY(why && why->find("GB of memory; this machine has") != std::string::npos);
        QVERIFY(cannot_train({784, 70000, 10}, 64, "sgd"));
    }

    void same_seed_gives_identical_weights() {
        set_compute_threads(1);
        const Dataset data = synthetic_digits(300, 1);
        auto run = [&](std::uint64_t seed) {
            Network net({784, 64, 10}, seed);
            auto opt = make_optimizer("momentum", 0.05f);
            Trainer trainer(net, *opt, {2, 32, seed});
            trainer.run(data, nullptr);
            return net;
        };
        const Network a = run(7), b = run(7), c = run(8);
        QVERIFY(same_parameters(a, b));
        QVERIFY(!same_parameters(a, c));
        set_compute_threads(0);
    }

    void learns_a_synthetic_task() {
        const Dataset train = synthetic_digits(2000, 2), test = synthetic_digits(500, 3);
        Network net({784, 100, 10}, 1);
        Sgd sgd;
        sgd.eta = 0.05f;
        const double before = evaluate(net, test).loss;
        Trainer trainer(net, sgd, {2, 32, 1});
        int epochs = 0;
        trainer.on_epoch = [&](const EpochResult& r) { epochs = r.epoch; };
        QCOMPARE(trainer.run(train, &test), TrainingOutcome::finished);
        QCOMPARE(epochs, 2);
        const Evaluation after = evaluate(net, test);
        QVERIFY(after.loss < before / 4);
        QVERIFY(after.accuracy > 0.95);
        std::uint32_t total = 0;
        for (const auto& row : after.confusion)
            for (auto v : row) total += v;
        QCOMPARE(total, 500u);
    }

    void schedules_shape_eta() {
        TrainingConfig c{10, 32, 1};
        QCOMPARE(schedule_factor(c, 0.7), 1.0);
        c.schedule = TrainingConfig::Schedule::step;
        QCOMPARE(schedule_factor(c, 0.2), 1.0);
        QCOMPARE(schedule_factor(c, 0.6), 0.1);
        QCOMPARE(schedule_factor(c, 0.8), 0.01);
        c.schedule = TrainingConfig::Schedule::cosine;
        QCOMPARE(schedule_factor(c, 0.0), 1.0);
        QCOMPARE_LE(std::abs(schedule_factor(c, 0.5) - 0.5), 1e-12);
        QCOMPARE_LE(schedule_factor(c, 1.0), 1e-12);
        c.warmup_epochs = 2;  // 2 of 10 epochs: progress 0.1 is halfway through the warm-up
        QCOMPARE_LE(std::abs(schedule_factor(c, 0.1) - 0.55 * 0.5 * (1 + std::cos(0.1 * M_PI))), 1e-12);
        QVERIFY(!parse_schedule("exponential"));
        QCOMPARE(*parse_schedule("step"), TrainingConfig::Schedule::step);
    }

    void stop_ends_after_the_current_batch() {
        const Dataset train = synthetic_digits(640, 4);
        Network net({784, 16, 10}, 1);
        Sgd sgd;
        TrainingControl control;
        Trainer trainer(net, sgd, {5, 32, 1});
        std::size_t batches = 0;
        trainer.on_batch = [&](const BatchProgress& p) {
            ++batches;
            if (p.epoch == 1 && p.batch == 3) control.stop = true;
        };
        QCOMPARE(trainer.run(train, nullptr, &control), TrainingOutcome::stopped);
        QCOMPARE(batches, std::size_t{3});
    }

    // Step lets exactly one batch run while paused (the network then is the one a run stopped
    // after its first batch has); Step Epoch the rest of the epoch, and the run pauses again.
    void step_and_step_epoch_run_while_paused() {
        set_compute_threads(1);
        const Dataset train = synthetic_digits(640, 4);  // 20 batches of 32
        Network reference({784, 16, 10}, 1);
        {
            Sgd sgd;
            TrainingControl stop_after_one;
            Trainer trainer(reference, sgd, {3, 32, 1});
            trainer.on_batch = [&](const BatchProgress&) { stop_after_one.stop = true; };
            QCOMPARE(trainer.run(train, nullptr, &stop_after_one), TrainingOutcome::stopped);
        }
        Network net({784, 16, 10}, 1);
        Sgd sgd;
        TrainingControl control;
        control.pause = true;
        Trainer trainer(net, sgd, {3, 32, 1});
        std::mutex mutex;
        std::atomic<int> batches{0}, epochs{0};
        Network after_first = net;
        trainer.on_batch = [&](const BatchProgress&) {
            std::lock_guard lock(mutex);
            if (batches == 0) after_first = net;
            ++batches;
        };
        trainer.on_epoch = [&](const EpochResult&) { ++epochs; };
        std::thread run([&] { trainer.run(train, nullptr, &control); });
        auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(100)); };
        settle();
        QCOMPARE(batches.load(), 0);  // paused from the start
        control.steps = 1;
        QTRY_COMPARE(batches.load(), 1);
        settle();
        QCOMPARE(batches.load(), 1);  // one batch, then paused again
        {
            std::lock_guard lock(mutex);
            QVERIFY(same_parameters(after_first, reference));
        }
        control.to_epoch_end = true;
        QTRY_COMPARE(epochs.load(), 1);
        settle();
        QCOMPARE(batches.load(), 20);  // the rest of the first epoch, and no more
        control.steps = 1;
        QTRY_COMPARE(batches.load(), 21);
        control.stop = true;
        run.join();
        set_compute_threads(0);
    }

    // A live η is taken between batches: the batch after it steps with the new η, and the batch
    // before it with the old. The reference takes the same two batches by hand.
    void a_live_eta_takes_effect_on_the_next_batch() {
        set_compute_threads(1);
        const Dataset train = synthetic_digits(640, 6);
        Network reference({784, 16, 10}, 2);
        {
            Sgd sgd;
            sgd.eta = 0.05f;
            Trainer trainer(reference, sgd, {1, 32, 3});
            MixedBatches sampler({{&train, 1.0, true}}, 32, 3);
            sampler.shuffle();
            Matrix X;
            std::vector<std::uint8_t> y;
            for (std::size_t k : {0u, 1u}) {
                sampler.gather(k, nullptr, 0, X, y);
                trainer.step(X, y);
                sgd.eta = 0.2f;
            }
        }
        Network net({784, 16, 10}, 2);
        Sgd sgd;
        sgd.eta = 0.05f;
        TrainingControl control;
        Trainer trainer(net, sgd, {1, 32, 3});
        int batches = 0;
        trainer.on_batch = [&](const BatchProgress&) {
            if (++batches == 1) control.eta = 0.2f;  // as the person types it during batch 1
            if (batches == 2) control.stop = true;
        };
        QCOMPARE(trainer.run(train, nullptr, &control), TrainingOutcome::stopped);
        QVERIFY(same_parameters(net, reference));
        QCOMPARE(sgd.eta, 0.05f);  // the optimizer leaves with the η it came with
        QCOMPARE(control.eta.load(), 0.0f);  // taken
        set_compute_threads(0);
    }

    void divergence_is_detected() {
        const Dataset train = synthetic_digits(640, 5);
        Network net({784, 64, 10}, 1);
        Sgd sgd;
        sgd.eta = 1e30f;  // the weights overflow to infinity within a few steps
        Trainer trainer(net, sgd, {3, 32, 1});
        QCOMPARE(trainer.run(train, nullptr), TrainingOutcome::diverged);
    }

    // An η of 10⁶ keeps every number finite (a loss near 10²⁷: the stable softmax does not
    // overflow) but is no less a divergence; η = 0.05 on the same data is not one.
    void a_finite_but_exploded_loss_is_divergence() {
        const Dataset train = synthetic_digits(640, 5);
        for (float eta : {1e6f, 0.05f}) {
            Network net({784, 64, 10}, 1);
            Sgd sgd;
            sgd.eta = eta;
            Trainer trainer(net, sgd, {2, 32, 1});
            float worst = 0;
            trainer.on_batch = [&](const BatchProgress& p) { worst = std::max(worst, p.loss); };
            const TrainingOutcome outcome = trainer.run(train, nullptr);
            QVERIFY(net.all_finite());
            QCOMPARE(outcome, eta > 1 ? TrainingOutcome::diverged : TrainingOutcome::finished);
            if (eta < 1) QVERIFY(worst < kDivergedLoss);
        }
    }

    void schedule_names_round_trip() {
        for (auto s : {TrainingConfig::Schedule::constant, TrainingConfig::Schedule::step, TrainingConfig::Schedule::cosine})
            QCOMPARE(parse_schedule(schedule_name(s)), std::optional(s));
    }

    // The check: 2,000 MNIST images, 3 epochs, ≥ 90% on 1,000 held-out images.
    void learns_mnist() {
        if (!has_mnist(DIGITPAD_MNIST_DIR)) QSKIP("MNIST not found at " DIGITPAD_MNIST_DIR " (tests use ../shared/data/mnist)");
        const Dataset all = take(load_mnist(DIGITPAD_MNIST_DIR, MnistPart::train), 3000);
        const auto [train, held_out] = split_holdout(all, 1000, 11);
        Network net({784, 800, 10}, 1);
        Sgd sgd;
        sgd.eta = 0.5f;
        Trainer trainer(net, sgd, {3, 16, 1});
        QCOMPARE(trainer.run(train, nullptr), TrainingOutcome::finished);
        const Evaluation e = evaluate(net, held_out);
        qInfo("2,000 images, 3 epochs: %.1f%% on 1,000 held-out", 100 * e.accuracy);
        QVERIFY(e.accuracy >= 0.90);
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "test_training.moc"
