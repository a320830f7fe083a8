#include "training_data.h"

#include "stroke_dataset.h"

#include <sstream>
#include <stdexcept>

namespace digitpad {

TrainingData::TrainingData(Dataset scans, const DataRecipe& recipe, std::uint64_t seed, const std::atomic<bool>* cancel,
                           const std::function<void(Preparing, double)>& progress)
    : scans_(std::move(scans)), recipe_(recipe) {
    const StrokeAugmentOptions augment = StrokeAugmentOptions{}.scaled(recipe.stroke_strength);
    auto step = [&](Preparing what) -> Progress {
        if (!progress) return {};
        return [&progress, what](double done) { progress(what, done); };
    };
    if (!recipe.strokes.empty()) {
        strokes_ = render_stroke_file(QString::fromStdString(recipe.strokes), {true, std::max(0, recipe.stroke_copies - 1), augment, seed},
                                      cancel, step(Preparing::drawings));
    }
    if (recipe.traced > 0) {
        // Only distorted renderings: the scans themselves are a source already.
        traced_ = render_drawings(traced_drawings(scans_, cancel, step(Preparing::tracing)), scans_.name + " traced",
                                  {false, recipe.traced, augment, seed}, cancel, step(Preparing::traced));
    }
    if (cancel && cancel->load()) throw std::runtime_error("stopped while rendering the drawings");
}

std::vector<TrainingSource> TrainingData::sources() const {
    auto share = [](double given, const Dataset& d) { return given > 0 ? given : static_cast<double>(d.size()); };
    std::vector<TrainingSource> s{{&scans_, share(recipe_.scans_share, scans_), true}};
    if (strokes_ && strokes_->size()) s.push_back({&*strokes_, share(recipe_.strokes_share, *strokes_), recipe_.distort_drawings});
    if (traced_ && traced_->size()) s.push_back({&*traced_, share(recipe_.traced_share, *traced_), recipe_.distort_drawings});
    return s;
}

std::size_t TrainingData::images() const {
    return scans_.size() + (strokes_ ? strokes_->size() : 0) + (traced_ ? traced_->size() : 0);
}

std::string TrainingData::name() const {
    std::string n = scans_.name;
    for (const auto* d : {strokes_ ? &*strokes_ : nullptr, traced_ ? &*traced_ : nullptr})
        if (d) n += " + " + d->name;
    return n;
}

std::vector<std::string> TrainingData::summary(std::size_t batch_size) const {
    const std::vector<TrainingSource> s = sources();
    const MixedBatches mix(s, batch_size, 1);
    const char* kinds[] = {"scans", "renderings of drawings", "renderings of traced scans"};
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const int kind = i == 0 ? 0 : (s[i].data == (strokes_ ? &*strokes_ : nullptr) ? 1 : 2);
        std::ostringstream line;
        line << s[i].data->size() << ' ' << kinds[kind] << " (" << s[i].data->name << ")";
        if (s.size() > 1) line << ", " << mix.rows_from(i) << " of every " << batch_size;
        lines.push_back(line.str());
    }
    return lines;
}

}  // namespace digitpad
