#include <QtTest>
class TestPreprocess : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestPreprocess)
#include "test_preprocess.moc"
