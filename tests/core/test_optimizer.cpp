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
        sgd.update(f.grad, f.net);  // a ← a − η∇a
        QVERIFY(near(f.net.layer(0).W(0, 0), 1.0f - 0.05f));
        QVERIFY(near(f.net.layer(0).W(1, 0), -2.0f - 0.1f));
        QVERIFY(near(f.net.layer(0).b(0), 0.5f + 0.1f));
    }

    void weight_decay_shrinks_weights_not_biases() {
        Fixture f;
        Sgd sgd;
        sgd.eta = 0.1f;
        sgd.weight_decay = 0.5f;
        sgd.update(f.grad, f.net);  // W ← W − η(∇W + λW)
        QVERIFY(near(f.net.layer(0).W(0, 0), 1.0f - 0.1f * (0.5f + 0.5f)));
        QVERIFY(near(f.net.layer(0).b(0), 0.6f));
    }

    void momentum_accumulates_velocity() {
        Fixture f;
        Momentum m;
        m.eta = 0.1f;
        m.mu = 0.9f;
        m.update(f.grad, f.net);  // v = g = 0.5, W = 1 − 0.05
        m.update(f.grad, f.net);  // v = 0.9·0.5 + 0.5 = 0.95, W = 0.95 − 0.095
        QVERIFY(near(f.net.layer(0).W(0, 0), 0.855f));
    }

    void nesterov_looks_ahead() {
        Fixture f;
        Momentum m;
        m.eta = 0.1f;
        m.mu = 0.9f;
        m.nesterov = true;
        m.update(f.grad, f.net);  // v = 0.5, W = 1 − 0.1(0.5 + 0.45) = 0.905
        QVERIFY(near(f.net.layer(0).W(0, 0), 0.905f));
    }

    void adam_first_step_moves_by_eta() {
        Fixture f;
        Adam adam;
        adam.eta = 0.01f;
        adam.update(f.grad, f.net);  // m̂ = g, v̂ = g², step = η·g/|g| = η·sign(g)
        QVERIFY(near(f.net.layer(0).W(0, 0), 1.0f - 0.01f));
        QVERIFY(near(f.net.layer(0).W(1, 0), -2.0f - 0.01f));
        QVERIFY(near(f.net.layer(0).b(0), 0.5f + 0.01f));
        adam.update(f.grad, f.net);  // a constant gradient keeps m̂/√v̂ = sign(g)
        QVERIFY(near(f.net.layer(0).W(0, 0), 1.0f - 0.02f));
    }

    void unknown_optimizer_is_refused() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, make_optimizer("rmsprop", 0.1f));
        QVERIFY(dynamic_cast<Momentum*>(make_optimizer("nesterov", 0.1f).get())->nesterov);
    }
};

QTEST_GUILESS_MAIN(TestOptimizer)
#include "test_optimizer.moc"
