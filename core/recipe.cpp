#include "recipe.h"

#include "engine/bf16_products.h"
#include "optimizer.h"
#include "threads.h"

#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace digitpad {

std::string DataRecipe::describe() const {
    if (strokes.empty() && traced == 0) return {};
    std::ostringstream s;
    if (!strokes.empty()) s << " strokes=" << std::filesystem::path(strokes).filename().string() << " copies=" << stroke_copies;
    s << " stroke_augment=" << stroke_strength << " traced=" << traced << " mix=" << scans_share << ',' << strokes_share << ','
      << traced_share;
    if (distort_drawings) s << " distort_drawings";
    return s.str();
}

Recipe Recipe::built_in() {
    Recipe r;
    r.optimizer = "nesterov";
    r.eta = 0.05f;
    r.batch = 64;
    r.epochs = 60;
    r.augment = 1.0;
    r.schedule = TrainingConfig::Schedule::cosine;
    r.drawings.stroke_copies = 10;
    r.drawings.traced = 1;
    r.drawings.scans_share = 0.35;
    r.drawings.strokes_share = 0.57;
    r.drawings.traced_share = 0.08;
    r.drawings.distort_drawings = true;
    return r;
}

std::optional<std::string> Recipe::problem() const {
    auto number = [](double v) {
        std::ostringstream s;
        s << v;
        return s.str();
    };
    if (!(eta > 0) || !std::isfinite(eta)) return "the learning rate η needs a positive number, not " + number(eta);
    if (!(weight_decay >= 0) || !std::isfinite(weight_decay)) return "the weight decay λ needs a number ≥ 0, not " + number(weight_decay);
    if (epochs < 1) return "training needs at least one epoch";
    if (batch < 1) return "a batch needs at least one image";
    if (!(dropout >= 0 && dropout < 1)) return "the dropout rate is from 0 to below 1, not " + number(dropout);
    if (!(warmup_epochs >= 0)) return "the warm-up needs a number of epochs ≥ 0";
    if (augment && !(*augment >= 0)) return "the augmentation's strength needs a number ≥ 0";
    if (!(deskew >= 0 && deskew <= 1)) return "deskewing takes out a share of the slant from 0 to 1, not " + number(deskew);
    if (!(deskew_trim >= 0 && deskew_trim < 0.5))
        return "the slant is measured without a share of the ink from 0 to under 0.5 at each end, not " + number(deskew_trim);
    if (optimizer != "sgd" && optimizer != "momentum" && optimizer != "nesterov" && optimizer != "adam")
        return "unknown optimizer '" + optimizer + "' (use sgd, momentum, nesterov or adam)";
    if (precision == TrainingConfig::Precision::bf16 && !bf16_available())
        return "BF16 precision needs a CPU with BF16 arithmetic (AVX512-BF16 or AMX) and a build with oneDNN";
    if (drawings.stroke_copies < 1) return "every drawing needs at least one rendering";
    if (drawings.traced < 0 || !(drawings.stroke_strength >= 0)) return "the drawings' distortions need numbers ≥ 0";
    if (!(drawings.scans_share >= 0 && drawings.strokes_share >= 0 && drawings.traced_share >= 0))
        return "every source's share of a batch needs a number ≥ 0";
    return cannot_train(sizes, batch, optimizer);
}

TrainingConfig Recipe::config() const {
    TrainingConfig c(epochs, batch, seed);
    if (augment) c.augment = AugmentOptions{}.scaled(*augment);
    c.schedule = schedule;
    c.warmup_epochs = warmup_epochs;
    c.dropout = dropout;
    c.precision = precision;
    c.auto_threads = threads == 0;
    return c;
}

std::string Recipe::describe() const {
    std::ostringstream recipe;
    recipe << optimizer << " eta=" << eta << " batch=" << batch << " weight_decay=" << weight_decay << " epochs=" << epochs
           << " schedule=" << schedule_name(schedule) << " warmup=" << warmup_epochs << " dropout=" << dropout;
    if (augment) recipe << " augment=" << *augment;
    if (precision == TrainingConfig::Precision::bf16) recipe << " precision=bf16";
    if (deskew != 0) recipe << " deskew=" << deskew;
    if (deskew != 0 && deskew_trim != 0) recipe << " deskew_trim=" << deskew_trim;
    return recipe.str() + drawings.describe();
}

std::vector<int> parse_hidden_sizes(const std::string& text) {
    std::vector<int> sizes{kImagePixels};
    if (text != "none" && !text.empty()) {
        std::istringstream parts(text);
        std::string part;
        bool any = false;
        while (std::getline(parts, part, ',')) {
            std::size_t used = 0;
            int n = 0;
            try {
                n = std::stoi(part, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            while (used < part.size() && part[used] == ' ') ++used;
            if (used == 0 || used != part.size() || n < 1)
                throw std::invalid_argument("hidden layer sizes are whole numbers ≥ 1 separated by commas, like 800 or "
                                            "256,128 (or none, for no hidden layer), not '" + text + "'");
            sizes.push_back(n);
            any = true;
        }
        if (!any) throw std::invalid_argument("hidden layer sizes are whole numbers ≥ 1 separated by commas, like 800 or "
                                              "256,128 (or none, for no hidden layer), not '" + text + "'");
    }
    sizes.push_back(kClasses);
    return sizes;
}

TrainedModel train_model(const Recipe& recipe, const std::vector<TrainingSource>& sources, const std::string& data_name,
                         const Dataset& test, TrainingControl* control, const TrainingListener& listener) {
    set_compute_threads(std::min(recipe.threads, core_count()));
    TrainedModel model{TrainingOutcome::finished, Network(recipe.sizes, recipe.seed), {}};
    model.network.set_deskew(recipe.deskew, recipe.deskew_trim);
    const std::unique_ptr<Optimizer> optimizer = make_optimizer(recipe.optimizer, recipe.eta, recipe.weight_decay);
    Trainer trainer(model.network, *optimizer, recipe.config());
    int epochs_done = 0;
    double last_accuracy = -1;
    if (listener.on_batch) trainer.on_batch = [&](const BatchProgress& p) { listener.on_batch(p, model.network); };
    trainer.on_epoch = [&](const EpochResult& r) {
        epochs_done = r.epoch;
        last_accuracy = r.test.accuracy;
        if (listener.on_epoch) listener.on_epoch(r, model.network);
    };
    model.outcome = trainer.run(sources, &test, control);
    model.info = ModelInfo{data_name, static_cast<std::uint32_t>(epochs_done), last_accuracy, now_iso8601(), recipe.seed,
                           recipe.describe()};
    return model;
}

}  // namespace digitpad
