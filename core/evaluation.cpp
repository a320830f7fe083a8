#include "evaluation.h"

#include "deskew.h"
#include "engine/engine.h"

#include <cassert>
#include <numeric>

namespace digitpad {

Evaluation evaluate(const Network& net, const Dataset& data, std::size_t batch) {
    // The caller has checked the model against its use (check_digit_model).
    assert(net.input_size() == kImagePixels && net.output_size() == kClasses);
    Evaluation e;
    e.samples = data.size();
    if (data.size() == 0) return e;
    std::vector<std::uint32_t> all(data.size());
    std::iota(all.begin(), all.end(), 0u);
    Engine engine;
    Matrix X;
    std::vector<std::uint8_t> y;
    double loss_sum = 0;
    std::size_t correct = 0;
    for (std::size_t begin = 0; begin < data.size(); begin += batch) {
        const std::span<const std::uint32_t> idx(all.data() + begin, std::min(batch, data.size() - begin));
        gather_batch(data, idx, X, y);
        deskew_rows(X, net.deskew(), net.deskew_trim());
        loss_sum += static_cast<double>(engine.forward_loss(net, X, y)) * static_cast<double>(idx.size());
        const Matrix& out = engine.activations().out.back();
        for (Eigen::Index r = 0; r < out.rows(); ++r) {
            Eigen::Index predicted;
            out.row(r).maxCoeff(&predicted);
            const std::uint8_t label = y[static_cast<std::size_t>(r)];
            ++e.confusion[label][static_cast<std::size_t>(predicted)];
            correct += static_cast<std::size_t>(predicted == label);
            if (predicted != label)
                e.mistakes.push_back({idx[static_cast<std::size_t>(r)], label, static_cast<std::uint8_t>(predicted),
                                      out(r, predicted)});
        }
    }
    e.loss = loss_sum / static_cast<double>(data.size());
    e.accuracy = static_cast<double>(correct) / static_cast<double>(data.size());
    return e;
}

}  // namespace digitpad
