// How fast a drawing is read: the engine's forward pass, one-sample predict, and the whole
// path from strokes to confidences.
#include "bench.h"

#include "drawing_classifier.h"
#include "engine/engine.h"

#include <cstdio>
#include <numeric>

namespace digitpad::bench {

void inference(const Setup& s) {
    const Dataset& train = s.train;
    const bool quick = s.quick;
    const Model& model = s.model;
    table("Inference");
    {
        // The engine's forward pass (evaluation's) beside the paper's code in Eigen.
        Matrix X;
        std::vector<std::uint8_t> y;
        std::vector<std::uint32_t> idx(1000);
        std::iota(idx.begin(), idx.end(), 0u);
        gather_batch(train, idx, X, y);
        const int reps = quick ? 10 : 50;
        Engine engine;
        Activations<float> act;
        auto rate = [&](auto forward) {
            forward();
            const auto start = Clock::now();
            for (int k = 0; k < reps; ++k) forward();
            return reps * 1000 / seconds_since(start);
        };
        const double fast = rate([&] { engine.forward(model.network, X); });
        const double paper = rate([&] { model.network.forward(X, act); });
        std::printf("forward, batch 1000:            %10.0f images/s  (the paper's code in Eigen: %.0f, %.2fx)\n", fast,
                    paper, fast / paper);
    }
    {
        // One image, by the engine's kernels as the canvas reads it, and by the paper's code.
        std::vector<double> us, paper_us;
        DigitImage image{};
        for (int k = 0; k < 784; ++k) image[static_cast<std::size_t>(k)] = train.images[static_cast<std::size_t>(k)] / 255.0f;
        for (int k = 0; k < 3000; ++k) {
            auto t = Clock::now();
            sink = predict_digit(model.network, image)[0];  // keeps the call
            us.push_back(seconds_since(t) * 1e6);
            t = Clock::now();
            sink = model.network.predict(image)[0];
            paper_us.push_back(seconds_since(t) * 1e6);
        }
        std::printf("one-sample predict:             median %6.1f µs, p99 %6.1f µs  (the paper's code: median %.1f µs)\n",
                    percentile(us, 0.5), percentile(us, 0.99), percentile(paper_us, 0.5));
    }
    {
        // A person's drawing: a 7 of two strokes, through rendering, preprocessing and the network.
        const Drawing seven{Stroke{{QPointF(0.3, 0.2), QPointF(0.5, 0.19), QPointF(0.7, 0.2)}},
                            Stroke{{QPointF(0.7, 0.2), QPointF(0.6, 0.45), QPointF(0.5, 0.8)}}};
        std::vector<double> render_us, total_us;
        for (int k = 0; k < 500; ++k) {
            const auto t0 = Clock::now();
            const GreyImage grey = grey_drawing(fit_to_canvas(seven));
            const auto t1 = Clock::now();
            const auto input = preprocess(grey);
            const Probabilities p = predict_digit(model.network, *input);
            total_us.push_back(seconds_since(t0) * 1e6);
            render_us.push_back(std::chrono::duration<double>(t1 - t0).count() * 1e6);
            sink = p[0];
        }
        std::printf("draw to confidences:            median %6.1f µs (of which canvas rendering %.1f µs), p99 %.1f µs\n",
                    percentile(total_us, 0.5), percentile(render_us, 0.5), percentile(total_us, 0.99));
    }
}

}  // namespace digitpad::bench
