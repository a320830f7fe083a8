// evaluate() on a model whose mistakes are known (made_up_model.h): the confusion matrix cell
// by cell, and each mistake with its index, label, answer and confidence (softmax by hand).
#include "evaluation.h"

#include "made_up_model.h"

#include <QtTest>

#include <cmath>

using namespace digitpad;
using namespace digitpad::testing;

class TestEvaluation : public QObject {
    Q_OBJECT
private slots:
    void confusion_and_mistakes_are_the_known_ones() {
        const Evaluation e = evaluate(made_up_model(), made_up_digits(), 7);  // batches that don't divide 30
        QCOMPARE(e.samples, 30u);
        for (int label = 0; label < 10; ++label)
            for (int answer = 0; answer < 10; ++answer)
                QCOMPARE(e.confusion[label][answer], answer == made_up_answer(label) ? 3u : 0u);
        QCOMPARE(e.accuracy, 24.0 / 30.0);
        QCOMPARE(e.mistakes.size(), 6u);
        for (std::size_t k = 0; k < 6; ++k) {
            const Mistake& m = e.mistakes[k];
            const int digit = k < 3 ? 4 : 7;
            QCOMPARE(m.index, static_cast<std::uint32_t>(3 * digit + k % 3));
            QCOMPARE(int(m.label), digit);
            QCOMPARE(int(m.answer), made_up_answer(digit));
            // Logits: 10·ink/255 for the answer, 0 for the nine others.
            const double z = 10.0 * kMadeUpInk[k % 3] / 255.0;
            QVERIFY(std::abs(m.confidence - std::exp(z) / (std::exp(z) + 9.0)) < 1e-6);
        }
    }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "test_evaluation.moc"
