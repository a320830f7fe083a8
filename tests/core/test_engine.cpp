// The engine (engine/engine.h) against the paper's network in double, as llm.c checks its
// kernels against its reference: on a mostly-zero, digit-like batch, ten training steps of the
// engine (each first-layer kernel, on 1, 2 and 3 threads) beside ten of the reference, every
// tensor compared at every step: the loss, out_1, δ_1, s(net_m), δ_m and all the parameters.
#include "engine/engine.h"
#include "optimizer.h"
#include "bf16_rounding.h"
#include "kernel_sets.h"
#include "random_matrix.h"
#include "threads.h"

#include <QtTest>

using namespace digitpad;

namespace {

using MatrixD = MatrixT<double>;

// Like a batch of MNIST digits: ink on about 35% of a 20 × 20 centre, none at the edges (18% of
// the 784 pixels, 42% in a group of four rows), values in (0, 1].
Matrix digit_batch(Eigen::Index rows, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::bernoulli_distribution ink(0.35);
    std::uniform_real_distribution<float> value(0.05f, 1.0f);
    Matrix X = Matrix::Zero(rows, 784);
    for (Eigen::Index r = 0; r < rows; ++r)
        for (int y = 4; y < 24; ++y)
            for (int x = 4; x < 24; ++x)
                if (ink(rng)) X(r, y * 28 + x) = value(rng);
    return X;
}

// ‖a − b‖ / ‖b‖: FP32 against double stays near 1e-6; BF16 (8 bits of mantissa in the first
// layer's products, and the few hidden units near 0 that change sign) near 1e-2.
template <typename A, typename B>
double off(const A& a, const B& b) {
    return (a.template cast<double>() - b).norm() / std::max(b.norm(), 1e-30);
}

const char* name(Engine::Kernel k) {
    return k == Engine::Kernel::bf16 ? "bf16" : k == Engine::Kernel::sparse ? "sparse" : "dense";
}

}  // namespace

class TestEngine : public QObject {
    Q_OBJECT
private slots:
    void init() {
        set_compute_threads(0);
        use_kernels(nullptr);
    }

    void steps_follow_the_reference_data() {
        QTest::addColumn<Engine::Kernel>("kernel");
        QTest::addColumn<std::vector<int>>("sizes");
        QTest::addColumn<int>("threads");
        QTest::addColumn<float>("lambda");
        QTest::addColumn<QString>("kernels");  // the kernel set (kernels.h); empty: the widest
        std::vector<Engine::Kernel> first_layer{Engine::Kernel::dense, Engine::Kernel::sparse};
        if (bf16_available()) first_layer.push_back(Engine::Kernel::bf16);
        // The paper's shape, split among the threads (70 hidden units: 35 or 23 a thread, whole
        // SIMD chunks and a remainder); more classes than output_layer.h takes, and three
        // layers, on the unsplit step.
        const std::vector<int> paper{784, 70, 10}, wide{784, 40, 20}, deep{784, 48, 24, 10};
        for (Engine::Kernel k : first_layer)
            for (int threads : {1, 2, 3})
                for (const auto& [label, sizes] : {std::pair{"784-70-10", paper}, {"784-40-20", wide}, {"784-48-24-10", deep}})
                    QTest::addRow("%s, %s, %d threads", name(k), label, threads) << k << sizes << threads << 0.001f << QString();
        QTest::addRow("sparse, 784-70-10, no decay") << Engine::Kernel::sparse << paper << 2 << 0.0f << QString();
        // The split step, and the step of three layers (whose middle one takes the kernels where
        // they are wider than Eigen's SIMD), again with each narrower kernel set the CPU runs.
        for (const Kernels* set : compiled_kernels())
            if (set != &kernels() && cpu_runs(*set))
                for (const auto& [label, sizes] : {std::pair{"784-70-10", paper}, {"784-48-24-10", deep}})
                    QTest::addRow("sparse, %s, 2 threads, %s kernels", label, set->instruction_set)
                        << Engine::Kernel::sparse << sizes << 2 << 0.001f << QString(set->instruction_set);
    }

    // Ten steps, each compared tensor by tensor with the reference; one function (about 70 lines)
    // because the engine and the reference step side by side through the same ten batches.
    void steps_follow_the_reference() {
        QFETCH(Engine::Kernel, kernel);
        QFETCH(std::vector<int>, sizes);
        QFETCH(int, threads);
        QFETCH(float, lambda);
        QFETCH(QString, kernels);
        set_compute_threads(threads);
        use_kernels(testing::kernel_set(kernels));
        const float eta = 0.1f;
        const Network start(sizes, 5);
        Network net = start;
        BasicNetwork<double> ref = convert_network<double>(start);
        Engine engine(kernel);
        // BF16 rounds X, W_1 and δ_1 to 8 bits of mantissa before the first layer's products
        // (FP32 sums, FP32 weights). Its reference rounds them too, then goes on in double; as
        // rounding moves the path, the reference takes each BF16 step from where the engine is.
        // In FP32 the two go their own ways all ten steps.
        const bool bf16 = kernel == Engine::Kernel::bf16;
        const double tolerance = bf16 ? 1e-2 : 1e-4;
        const std::size_t m = net.layer_count();
        for (int step = 0; step < 10; ++step) {
            const Matrix X = digit_batch(32, 100 + static_cast<std::uint64_t>(step));
            std::vector<std::uint8_t> y(32);
            for (std::size_t k = 0; k < y.size(); ++k) y[k] = static_cast<std::uint8_t>((k * 7 + static_cast<std::size_t>(step)) % 10);

            // The reference: forward, backward, then a ← a − η(∇a + λa) for weights, a ← a − η∇a for biases.
            if (bf16) ref = convert_network<double>(net);
            const Network before = net;
            const BasicNetwork<double> ref_before = ref;
            const MatrixD Xd = bf16 ? testing::rounded(X) : MatrixD(X.cast<double>());
            BasicNetwork<double> seen = ref;  // the parameters as the products see them
            if (bf16) seen.layer(0).W = testing::rounded(ref.layer(0).W);
            Activations<double> a;
            Gradients<double> g;
            const double ref_loss = seen.forward_loss(Xd, y, a);
            seen.backward(Xd, a, g);
            if (bf16) g.dW[0] = Xd.transpose() * testing::rounded(a.delta[0]) / static_cast<double>(X.rows());
            for (std::size_t j = 0; j < m; ++j) {
                ref.layer(j).W -= eta * (g.dW[j] + lambda * ref.layer(j).W);
                ref.layer(j).b -= eta * g.db[j];
            }

            const float loss = engine.sgd_step(net, X, y, eta, lambda, {}, threads, 0);
            const QString at = QString("step %1: ").arg(step);
            if (kernel != Engine::Kernel::dense) QCOMPARE(engine.kernel(), kernel);  // the batch is sparse enough
            QVERIFY2(std::abs(loss - ref_loss) <= tolerance * ref_loss, qPrintable(at + QString::number(loss - ref_loss)));
            const Activations<float>& e = engine.activations();
            for (std::size_t j = 0; j < m; ++j) {
                QVERIFY2(off(e.out[j], a.out[j]) <= tolerance,
                         qPrintable(at + QString("out_%1 off by %2").arg(j + 1).arg(off(e.out[j], a.out[j]))));
                // δ_j = (δ_{j+1}·W_{j+1}ᵀ) ⊗ [out_j > 0] on a hidden layer: a unit whose net_j is
                // within the sums' rounding of 0 can be on in one and off in the other, which
                // changes its δ entirely. δ_j is compared where both have the unit on, and such
                // flips are counted apart.
                MatrixD delta = a.delta[j];
                Matrix engine_delta = e.delta[j];
                if (j + 1 < m) {
                    const auto both_on = (e.out[j].array() > 0.0f && a.out[j].array() > 0.0).cast<float>();
                    const double flips = (e.out[j].array() > 0.0f).cast<int>().cwiseNotEqual((a.out[j].array() > 0.0).cast<int>())
                                             .cast<double>().mean();
                    QVERIFY2(flips <= 0.002,
                             qPrintable(at + QString("out_%1: %2 of the units flipped").arg(j + 1).arg(flips)));
                    engine_delta.array() *= both_on;
                    delta.array() *= both_on.cast<double>();
                }
                QVERIFY2(off(engine_delta, delta) <= tolerance,
                         qPrintable(at + QString("δ_%1 off by %2").arg(j + 1).arg(off(engine_delta, delta))));
                // The parameters by how far the step moved them.
                const double dW = off(net.layer(j).W - before.layer(j).W, ref.layer(j).W - ref_before.layer(j).W);
                const double db = off(net.layer(j).b - before.layer(j).b, ref.layer(j).b - ref_before.layer(j).b);
                QVERIFY2(dW <= tolerance, qPrintable(at + QString("W_%1's step off by %2").arg(j + 1).arg(dW)));
                QVERIFY2(db <= tolerance, qPrintable(at + QString("b_%1's step off by %2").arg(j + 1).arg(db)));
            }
        }
        QVERIFY((net.layer(0).W - start.layer(0).W).norm() > 1e-2);  // the steps went somewhere
    }

    void logits_follow_the_paper_data() { testing::add_kernel_set_rows(); }

    // One image at a time, as a drawing is read, with each kernel set: the paper's forward pass
    // in double on the same image. Widths that are not multiples of a register, and three layers.
    void logits_follow_the_paper() {
        QFETCH(QString, kernels);
        use_kernels(testing::kernel_set(kernels));
        for (const std::vector<int>& sizes : {std::vector<int>{784, 800, 10}, std::vector<int>{784, 37, 19, 3}}) {
            const Network net(sizes, 3);
            const BasicNetwork<double> ref = convert_network<double>(net);
            const Matrix X = digit_batch(5, 4);
            Activations<double> a;
            ref.forward(X.cast<double>(), a);
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const std::vector<float> z = Engine::logits(net, std::span<const float>(X.row(i).data(), 784));
                QCOMPARE(z.size(), static_cast<std::size_t>(sizes.back()));
                const Eigen::Map<const RowVector> got(z.data(), static_cast<Eigen::Index>(z.size()));
                QVERIFY2(off(got, MatrixD(a.net_last.row(i))) <= 1e-5, qPrintable(QString::number(off(got, MatrixD(a.net_last.row(i))))));
            }
        }
    }

    void bytes_become_floats_data() { testing::add_kernel_set_rows(); }

    // A batch's pixels, bytes to floats (gather_batch), with each kernel set: v · (1/255) exactly,
    // over a length that is no multiple of a register.
    void bytes_become_floats() {
        QFETCH(QString, kernels);
        const Kernels* set = testing::kernel_set(kernels);
        std::vector<std::uint8_t> bytes(1001);
        for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
        std::vector<float> out(bytes.size(), -1.0f);
        (set ? *set : digitpad::kernels()).scale_bytes(bytes.data(), static_cast<Eigen::Index>(bytes.size()), 1.0f / 255.0f, out.data());
        for (std::size_t i = 0; i < bytes.size(); ++i) QCOMPARE(out[i], static_cast<float>(bytes[i]) * (1.0f / 255.0f));
    }

    // A batch without zeros to skip takes the dense kernel, and the same step as a dense engine.
    void a_dense_batch_takes_the_dense_kernel() {
        const Matrix X = testing::gaussian(16, 784, 11).cwiseAbs();
        std::vector<std::uint8_t> y(16);
        for (std::size_t k = 0; k < y.size(); ++k) y[k] = static_cast<std::uint8_t>(k % 10);
        Network preferring_sparse({784, 70, 10}, 12), dense = preferring_sparse;
        Engine sparse_engine, dense_engine(Engine::Kernel::dense);
        QCOMPARE(sparse_engine.sgd_step(preferring_sparse, X, y, 0.1f, 0.0f, {}, 2, 0),
                 dense_engine.sgd_step(dense, X, y, 0.1f, 0.0f, {}, 2, 0));
        QCOMPARE(sparse_engine.kernel(), Engine::Kernel::dense);
        for (std::size_t j = 0; j < 2; ++j) QVERIFY(preferring_sparse.layer(j).W == dense.layer(j).W);
    }

    // The gradients the other rules (momentum, Adam) update from, by each first-layer kernel and
    // each kernel set (the output layer's products are the kernels' too).
    void gradients_follow_the_reference_data() {
        QTest::addColumn<Engine::Kernel>("kernel");
        QTest::addColumn<QString>("kernels");
        for (const Kernels* k : compiled_kernels()) {
            if (!cpu_runs(*k)) continue;
            const QString set = k->instruction_set;
            QTest::newRow(qPrintable("dense, " + set)) << Engine::Kernel::dense << set;
            QTest::newRow(qPrintable("sparse, " + set)) << Engine::Kernel::sparse << set;
        }
        if (bf16_available()) QTest::newRow("bf16") << Engine::Kernel::bf16 << QString();
    }

    void gradients_follow_the_reference() {
        QFETCH(Engine::Kernel, kernel);
        QFETCH(QString, kernels);
        use_kernels(testing::kernel_set(kernels));
        // Three layers too, in FP32: against this unrounded reference BF16's rounding of the
        // first layer grows through a second hidden layer beyond the tolerance (steps_follow_
        // the_reference takes BF16 through three layers against a rounded reference).
        std::vector<std::vector<int>> shapes{{784, 70, 10}};
        if (kernel != Engine::Kernel::bf16) shapes.push_back({784, 96, 70, 10});
        for (const std::vector<int>& sizes : shapes) {
            const Network net(sizes, 6);
            const BasicNetwork<double> ref = convert_network<double>(net);
            const Matrix X = digit_batch(32, 7);
            std::vector<std::uint8_t> y(32);
            for (std::size_t k = 0; k < y.size(); ++k) y[k] = static_cast<std::uint8_t>(k % 10);
            Activations<double> a;
            Gradients<double> g;
            const double ref_loss = ref.forward_loss(X.cast<double>(), y, a);
            ref.backward(X.cast<double>(), a, g);
            Engine engine(kernel);
            Gradients<float> grad;
            const float loss = engine.forward_loss(net, X, y);
            engine.backward(net, X, grad);
            QCOMPARE(engine.kernel(), kernel);
            const double tolerance = kernel == Engine::Kernel::bf16 ? 5e-2 : 1e-5;
            QVERIFY(std::abs(loss - ref_loss) <= tolerance * ref_loss);
            for (std::size_t j = 0; j < net.layer_count(); ++j) {
                const QString layer = QString("%1 layers, layer %2: ").arg(net.layer_count()).arg(j + 1);
                QVERIFY2(off(grad.dW[j], g.dW[j]) <= tolerance, qPrintable(layer + QString::number(off(grad.dW[j], g.dW[j]))));
                QVERIFY2(off(grad.db[j], g.db[j]) <= tolerance, qPrintable(layer + QString::number(off(grad.db[j], g.db[j]))));
            }
        }
    }

    // The gradients for the other rules, with the sparse kernel (drawn digits and scans), are
    // the same on one thread and on all cores, bit for bit: the hidden units' shares are the
    // same, whichever thread holds them. So are those of three layers where the middle one
    // takes the kernels.
    void gradients_are_the_same_on_any_threads() {
        if (core_count() < 2) QSKIP("one core: nothing to compare one thread with");
        std::vector<std::vector<int>> shapes{{784, 70, 10}};
        if (Engine::hidden_layers_take_kernels()) shapes.push_back({784, 96, 70, 10});
        const Matrix X = digit_batch(16, 8);
        const std::vector<std::uint8_t> y{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6};
        for (const std::vector<int>& sizes : shapes) {
            const Network net(sizes, 4);
            std::vector<Gradients<float>> grads;
            for (int threads : {1, core_count()}) {
                set_compute_threads(threads);
                Engine engine;
                Gradients<float> g;
                engine.forward_loss(net, X, y);
                engine.backward(net, X, g);
                QCOMPARE(engine.kernel(), Engine::Kernel::sparse);
                grads.push_back(g);
            }
            for (std::size_t j = 0; j < net.layer_count(); ++j) {
                const QString layer = QString("%1 layers, layer %2").arg(net.layer_count()).arg(j + 1);
                QVERIFY2(grads[1].dW[j] == grads[0].dW[j], qPrintable("dW: " + layer));
                QVERIFY2(grads[1].db[j] == grads[0].db[j], qPrintable("db: " + layer));
            }
        }
    }

    void optimizer_passes_follow_their_rules_data() { testing::add_kernel_set_rows(); }

    // The momentum rules' and Adam's passes (momentum_step, adam_step) with each kernel set,
    // against the rules in double by hand, over a length that is no multiple of a register.
    void optimizer_passes_follow_their_rules() {
        QFETCH(QString, kernels);
        use_kernels(testing::kernel_set(kernels));
        const Kernels& set = digitpad::kernels();
        const Eigen::Index n = 1001;
        const Matrix a0 = testing::gaussian(1, n, 21), g = testing::gaussian(1, n, 22), v0 = testing::gaussian(1, n, 23);
        const Matrix m0 = testing::gaussian(1, n, 24), s0 = testing::gaussian(1, n, 25).cwiseAbs2();  // Adam's v ≥ 0
        const double eta = 0.05, mu = 0.9, lambda = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        auto near = [](float got, double want) { return std::abs(got - want) <= 1e-5 * (1 + std::abs(want)); };
        for (const bool nesterov : {false, true}) {
            Matrix a = a0, v = v0;
            set.momentum_step(a.data(), g.data(), v.data(), n, float(eta), float(mu), nesterov, float(lambda));
            for (Eigen::Index i = 0; i < n; ++i) {
                const double grad = double(g(i)) + lambda * double(a0(i));
                const double vi = mu * double(v0(i)) + grad;
                QVERIFY2(near(v(i), vi), qPrintable(QString("momentum v[%1]").arg(i)));
                QVERIFY2(near(a(i), double(a0(i)) - eta * (nesterov ? grad + mu * vi : vi)),
                         qPrintable(QString("momentum a[%1]").arg(i)));
            }
        }
        Matrix a = a0, m = m0, s = s0;
        set.adam_step(a.data(), g.data(), m.data(), s.data(), n, float(eta), float(beta1), float(beta2), float(eps),
                      float(lambda));
        for (Eigen::Index i = 0; i < n; ++i) {
            const double grad = double(g(i)) + lambda * double(a0(i));
            const double mi = beta1 * double(m0(i)) + (1 - beta1) * grad;
            const double si = beta2 * double(s0(i)) + (1 - beta2) * grad * grad;
            QVERIFY2(near(m(i), mi), qPrintable(QString("Adam m[%1]").arg(i)));
            QVERIFY2(near(s(i), si), qPrintable(QString("Adam v[%1]").arg(i)));
            QVERIFY2(near(a(i), double(a0(i)) - eta * mi / (std::sqrt(si) + eps)), qPrintable(QString("Adam a[%1]").arg(i)));
        }
    }

    // In shares: the same shares on 1, 2 or 3 threads are the same step, bit for bit (Auto
    // threads changes the thread count during a run).
    void shares_make_the_step_the_same_on_any_threads() {
        const Network start({784, 70, 10}, 4);
        const Matrix X = digit_batch(16, 8);
        const std::vector<std::uint8_t> y{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6};
        std::vector<Network> after;
        std::vector<float> losses;
        for (int threads : {1, 2, 3}) {
            Network n = start;
            Engine engine;
            losses.push_back(engine.sgd_step(n, X, y, 0.3f, 0.01f, {}, threads, 3));
            after.push_back(n);
        }
        for (std::size_t k = 1; k < after.size(); ++k) {
            QCOMPARE(losses[k], losses[0]);
            for (std::size_t j = 0; j < 2; ++j) {
                QVERIFY(after[k].layer(j).W == after[0].layer(j).W);
                QVERIFY(after[k].layer(j).b == after[0].layer(j).b);
            }
        }
    }

    // With dropout the engine's step is the paper's step on the same dropped units: the same
    // seed drops the same units in both.
    void dropout_step_follows_the_reference() {
        Network net({784, 48, 10}, 9);
        Network plain = net;
        const Matrix X = digit_batch(16, 10);
        std::vector<std::uint8_t> y(16);
        for (std::size_t k = 0; k < y.size(); ++k) y[k] = static_cast<std::uint8_t>(k % 10);
        std::mt19937_64 rng_engine(3), rng_plain(3);
        Engine engine;
        const float loss = engine.sgd_step(net, X, y, 0.1f, 0.0f, {0.5f, &rng_engine}, 2, 0);
        Activations<float> a;
        Gradients<float> g;
        const float plain_loss = plain.forward_loss(X, y, a, {0.5f, &rng_plain});
        plain.backward(X, a, g);
        Sgd sgd;
        sgd.update(g, plain);
        QCOMPARE_LE(std::abs(loss - plain_loss), 1e-5f * plain_loss);
        for (std::size_t j = 0; j < 2; ++j)
            QVERIFY((net.layer(j).W - plain.layer(j).W).cwiseAbs().maxCoeff() < 1e-6f);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "test_engine.moc"
