// digitpad-speed: how fast one build trains and reads a digit, for digitpad-bench's
// portable-and-native table, which runs this program from both builds in turn (bench/CMakeLists.txt
// builds it twice: against digitpad_core and against digitpad_core_native). Core only, no Qt.
//
//   digitpad-speed MNIST_DIR [KERNELS]    (KERNELS: a set of core/engine/kernels.h, e.g. AVX2)
//
// Prints "kernels NAME", "train BATCH SAMPLES_PER_S" for batches 32 and 128 on 2 threads, and
// "predict MEDIAN_US" for one image through Engine::logits and the softmax.
#include "measure.h"

#include "engine/engine.h"
#include "engine/kernels.h"
#include "loss.h"
#include "threads.h"

#include <cstdio>
#include <exception>

using namespace digitpad;
using namespace digitpad::bench;

int main(int argc, char** argv) try {
    if (argc < 2 || !has_mnist(argv[1])) {
        std::fprintf(stderr, "usage: digitpad-speed MNIST_DIR [KERNELS] (MNIST's IDX files in MNIST_DIR)\n");
        return 2;
    }
    if (argc > 2) {
        const Kernels* chosen = kernels_named(argv[2]);
        if (!chosen) {
            std::fprintf(stderr, "digitpad-speed: this build has no %s kernels\n", argv[2]);
            return 2;
        }
        use_kernels(chosen);
    }
    const Dataset train = load_mnist(argv[1], MnistPart::train);
    std::printf("kernels %s\n", kernels().instruction_set);
    for (int batch : {32, 128}) std::printf("train %d %.0f\n", batch, train_rate(train, batch, 2, 600));
    set_compute_threads(0);

    const Network net({784, 800, 10}, 1);
    std::vector<float> image(kImagePixels);
    std::vector<double> us;
    for (int k = 0; k < 3000; ++k) {
        const auto pixels = train.image(static_cast<std::size_t>(k));
        for (std::size_t i = 0; i < image.size(); ++i) image[i] = pixels[i] / 255.0f;
        const auto t = Clock::now();
        const std::vector<float> z = Engine::logits(net, image);
        Matrix s, z_m = Eigen::Map<const RowVector>(z.data(), static_cast<Eigen::Index>(z.size()));
        softmax_forward(z_m, s);
        us.push_back(seconds_since(t) * 1e6);
        sink = s(0, 0);
    }
    std::printf("predict %.2f\n", percentile(us, 0.5));
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "digitpad-speed: %s\n", e.what());
    return 1;
}
