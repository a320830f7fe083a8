// Each update rule against a step worked out by hand.
#include "optimizer.h"

#include <QtTest>

using namespace digitpad;

namespace {

// A 1-layer 2→1 network with known parameters and a fixed gradient.
struct Fixture {
    Network net{{2, 1}, 0};
    Gradients<float> grad;
    Fixture() {
        net.layer(0).W = Matrix(2, 1);
        net.layer(0).W << 1.0f, -2.0f;
        net.layer(0).b = RowVector::Constant(1, 0.5f);
        grad.dW = {Matrix(2, 1)};
        grad.dW[0] << 0.5f, 1.0f;
        grad.db = {RowVector::Constant(1, -1.0f)};
    }
};

bool near(float a, float b) { return std::abs(a - b) < 1e-6f; }

}  // namespace

class TestOptimizer : public QObject {
    Q_OBJECT
private slots:
    void sgd_is_the_papers_rule() {
        Fixture f;
        Sgd sgd;
        sgd.eta = 0.1f;
        sgd.step(f.net, f.grad);  // a ← a − η∇a
        QVERIFY(near(f.net.layer(0).W(0, 0), 1.0f - 0.05f));
        QVERIFY(near(f.net.layer(0).W(1, 0), -2.0f - 0.1f));
        QVERIFY(near(f.net.layer(0).b(0), 0.5f + 0.1f));
    }

    void weight_decay_shrinks_weights_not_biases() {
        Fixture f;
        Sgd sgd;
        sgd.eta = 0.1f;
        sgd.weight_decay = 0.5f;
        sgd.step(f.net, f.grad);  // W ← W − η(∇W + λW)
        QVERIFY(near(f.net.layer(0).W(0, 0), 1.0f - 0.1f * (0.5f + 0.5f)));
        QVERIFY(near(f.net.layer(0).b(0), 0.6f));
    }

    void momentum_accumulates_velocity() {
        Fixture f;
        Momentum m;
        m.eta = 0.1f;
        m.mu = 0.9f;
        m.step(f.net, f.grad);  // v = g = 0.5, W = 1 − 0.05
        m.step(f.net, f.grad);  // v = 0.9·0.5 + 0.5 = 0.95, W = 0.95 − 0.095
        QVERIFY(near(f.net.layer(0).W(0, 0), 0.855f));
    }

    void nesterov_looks_ahead() {
        Fixture f;
        Momentum m;
        m.eta = 0.1f;
        m.mu = 0.9f;
        m.nesterov = true;
        m.step(f.net, f.grad);  // v = 0.5, W = 1 − 0.1(0.5 + 0.45) = 0.905
        QVERIFY(near(f.net.layer(0).W(0, 0), 0.905f));
    }

    void adam_first_step_moves_by_eta() {
        Fixture f;
        Adam adam;
        adam.eta = 0.01f;
        adam.step(f.net, f.grad);  // m̂ = g, v̂ = g², step = η·g/|g| = η·sign(g)
        QVERIFY(near(f.net.layer(0).W(0, 0), 1.0f - 0.01f));
        QVERIFY(near(f.net.layer(0).W(1, 0), -2.0f - 0.01f));
        QVERIFY(near(f.net.layer(0).b(0), 0.5f + 0.01f));
        adam.step(f.net, f.grad);  // a constant gradient keeps m̂/√v̂ = sign(g)
        QVERIFY(near(f.net.layer(0).W(0, 0), 1.0f - 0.02f));
    }

    // Three ways to take the paper's SGD step must agree: backward then a ← a − η∇a; the
    // update fused into back-propagation; and the hidden units split across threads (2 and an
    // uneven 3), which also computes the forward pass and the loss itself, with the dense
    // products for a dense input and the sparse ones (sparse_input.h) for a mostly-zero one.
    void sgd_paths_take_the_same_step_data() {
        QTest::addColumn<Matrix>("X");
        QTest::addColumn<std::vector<int>>("sizes");
        // 70 hidden units are 35 or 23 a thread: whole SIMD chunks and a remainder. 20 classes
        // are more than output_layer.h takes.
        const std::vector<int> paper_like{30, 70, 10}, wide_output{30, 40, 20};
        const Matrix dense = Matrix::Random(8, 30).cwiseAbs();
        QTest::newRow("dense") << dense << paper_like;
        Matrix sparse = dense;
        for (Eigen::Index k = 0; k < sparse.size(); ++k)
            if (k % 7 != 0) sparse.data()[k] = 0.0f;
        SparseInput index;
        index.index(sparse);
        QVERIFY(index.row_group_density() <= SparseInput::kMaxDensity && index.sparse_rows());
        QVERIFY(index.column_group_density() <= SparseInput::kMaxDensity && index.sparse_columns());
        QTest::newRow("sparse") << sparse << paper_like;
        QTest::newRow("sparse, 20 classes") << sparse << wide_output;
    }

    void sgd_paths_take_the_same_step() {
        QFETCH(Matrix, X);
        QFETCH(std::vector<int>, sizes);
        const Network start(sizes, 4);
        const std::vector<std::uint8_t> y{1, 2, 3, 4, 5, 6, 7, 8};
        for (float lambda : {0.0f, 0.01f}) {
            Sgd sgd;
            sgd.eta = 0.3f;
            sgd.weight_decay = lambda;
            Network plain = start;
            Activations<float> a;
            Gradients<float> g;
            const float plain_loss = plain.forward_loss(X, y, a);
            plain.backward(X, a, g);
            sgd.step(plain, g);

            Network fused = start;
            Activations<float> af;
            fused.forward_loss(X, y, af);
            fused.backward_descend(X, af, sgd.eta, lambda);

            std::vector<Network> split;
            for (int threads : {2, 3}) {
                Network n = start;
                Activations<float> as;
                const float loss = n.sgd_step_split(X, y, as, sgd.eta, lambda, threads);
                QCOMPARE_LE(std::abs(loss - plain_loss), 1e-6f);
                split.push_back(n);
            }
            for (const Network* other : {&fused, &split[0], &split[1]})
                for (std::size_t j = 0; j < 2; ++j) {
                    QVERIFY((other->layer(j).W - plain.layer(j).W).cwiseAbs().maxCoeff() < 1e-6f);
                    QVERIFY((other->layer(j).b - plain.layer(j).b).cwiseAbs().maxCoeff() < 1e-6f);
                }
            for (std::size_t j = 0; j < 2; ++j) QVERIFY((plain.layer(j).W - start.layer(j).W).cwiseAbs().maxCoeff() > 1e-4f);

            // In shares: the same shares on 1, 2 or 3 threads are the same step, bit for bit
            // (Auto threads changes the thread count during a run).
            std::vector<Network> shared;
            std::vector<float> losses;
            for (int threads : {1, 2, 3}) {
                Network n = start;
                Activations<float> as;
                losses.push_back(n.sgd_step_split(X, y, as, sgd.eta, lambda, threads, 3));
                shared.push_back(n);
            }
            for (std::size_t k = 1; k < shared.size(); ++k) {
                QCOMPARE(losses[k], losses[0]);
                for (std::size_t j = 0; j < 2; ++j) {
                    QVERIFY(shared[k].layer(j).W == shared[0].layer(j).W);
                    QVERIFY(shared[k].layer(j).b == shared[0].layer(j).b);
                }
            }
            for (std::size_t j = 0; j < 2; ++j) QVERIFY((shared[0].layer(j).W - plain.layer(j).W).cwiseAbs().maxCoeff() < 1e-6f);
        }
    }

    void unknown_optimizer_is_refused() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, make_optimizer("rmsprop", 0.1f));
        QVERIFY(dynamic_cast<Momentum*>(make_optimizer("nesterov", 0.1f).get())->nesterov);
    }
};

QTEST_GUILESS_MAIN(TestOptimizer)
#include "test_optimizer.moc"
