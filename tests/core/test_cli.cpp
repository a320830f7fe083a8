#include <QtTest>
class TestCli : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
