// digitpad-cli train: a network trained on MNIST-style scans (and drawings), saved as a model file.
#include "cli.h"

#include "recipe.h"
#include "stroke_dataset.h"
#include "threads.h"
#include "training_data.h"

#include <QCommandLineParser>

#include <csignal>
#include <cstdio>
#include <optional>

namespace digitpad::cli {

namespace {

TrainingControl* g_control = nullptr;

extern "C" void on_interrupt(int) {
    if (g_control) g_control->stop.store(true);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the program at once
}

void add_options(QCommandLineParser& p) {
    p.setApplicationDescription("Train the network on MNIST-style IDX files.");
    p.addHelpOption();
    p.addOptions({
        {"data", "Folder holding the four MNIST IDX files (.gz or raw).", "dir"},
        {"epochs", "Passes over the training set (default 10).", "n", "10"},
        {"batch", "Mini-batch size (default 128).", "b", "128"},
        {"lr", "Learning rate η (default 0.1).", "eta", "0.1"},
        {"optimizer", "sgd, momentum, nesterov or adam (default sgd).", "name", "sgd"},
        {"weight-decay", "L2 weight decay λ (default 0).", "lambda", "0"},
        {"hidden", "Hidden layer sizes, comma separated, or none (default 800).", "sizes", "800"},
        {"seed", "Seed for the initial weights and the batch order (default 1).", "s", "1"},
        {"threads", "auto, or the number of threads for the products, at most the cores (default auto: all cores, "
                    "or one while another program holds a core and one is faster).", "t", "auto"},
        {"train-limit", "Use only the first N training images.", "n", "0"},
        {"holdout", "Hold out the last N training images and test on them instead of the test set.", "n", "0"},
        {"augment", "Distort every training batch afresh (affine, elastic, stroke thickness)."},
        {"augment-strength", "Scale every distortion of --augment by s (default 1).", "s", "1"},
        {"deskew", "Take out the share s of every input's slant (its second moments' mu11/mu02) before the network "
                   "reads it, in training and in every later reading (default 0: not).", "s", "0"},
        {"deskew-trim",
         QString("With --deskew: measure the slant without the share t of the ink at the top and at the bottom, "
                 "where a 1's flag and a 9's tail lie (default %1; 0: every row).")
             .arg(kDeskewTrim),
         "t", QString::number(kDeskewTrim)},
        {"dropout", "Inverted dropout rate on hidden layers while training (default 0).", "p", "0"},
        {"schedule", "Learning rate over the run: constant, step or cosine (default constant).", "name", "constant"},
        {"warmup", "Epochs of linear warm-up of η (default 0).", "epochs", "0"},
        {"precision", "fp32, or bf16: the first layer's products in BF16 with FP32 sums and weights, where the CPU "
                      "has BF16 arithmetic (default fp32).", "name", "fp32"},
        {"strokes", "Also train on the drawings of this JSON Lines file (the --classify-strokes format), rendered "
                    "through the canvas's drawing path.", "file.jsonl"},
        {"stroke-copies", "Renderings of every drawing: the first as drawn, the others distorted in stroke space "
                          "(default 1).", "k", "1"},
        {"stroke-augment", "Scale the stroke-space distortions by s (default 1).", "s", "1"},
        {"traced", "Also train on the MNIST training digits traced into strokes and rendered k times, distorted in "
                   "stroke space (default 0: not).", "k", "0"},
        {"mix", "Each source's share of every batch: scans=A,strokes=B,traced=C (default: each source's share of "
                "all the images).", "shares"},
        {"augment-drawings", "Apply --augment's pixel distortions to the rendered drawings too, not only to the scans."},
        {"test-strokes", "After every epoch, also report the accuracy on the drawings of this file (never trained on).",
         "file.jsonl"},
        {"out", "Where to save the trained model.", "file"},
    });
}

// The recipe the options spell, or fail naming the option that is wrong.
Recipe recipe_from(const QCommandLineParser& p) {
    auto number = [&](const char* option, const char* what) {
        bool ok = false;
        const double v = p.value(option).toDouble(&ok);
        if (!ok) fail(std::string("--") + option + " needs " + what + ", not '" + p.value(option).toStdString() + "'");
        return v;
    };
    Recipe recipe;
    recipe.eta = static_cast<float>(number("lr", "a positive number"));
    recipe.weight_decay = static_cast<float>(number("weight-decay", "a number ≥ 0"));
    recipe.optimizer = p.value("optimizer").toStdString();
    recipe.epochs = to_int(p.value("epochs"), "epochs", 1);
    recipe.batch = static_cast<std::size_t>(to_int(p.value("batch"), "batch", 1));
    recipe.seed = static_cast<std::uint64_t>(to_int(p.value("seed"), "seed", 0));
    const int cores = core_count();
    if (p.value("threads") != "auto") {
        recipe.threads = to_int(p.value("threads"), "threads", 1);
        if (recipe.threads > cores)
            std::fprintf(stderr, "digitpad-cli: --threads %d is more than the %d cores; using %d\n", recipe.threads, cores, cores);
    }
    if (p.isSet("augment")) recipe.augment = number("augment-strength", "a number ≥ 0");
    const auto schedule = parse_schedule(p.value("schedule").toStdString());
    if (!schedule) fail("--schedule is constant, step or cosine");
    recipe.schedule = *schedule;
    recipe.dropout = static_cast<float>(number("dropout", "a rate from 0 to below 1"));
    recipe.deskew = number("deskew", "a share of the slant from 0 to 1");
    recipe.deskew_trim = number("deskew-trim", "a share of the ink from 0 to under 0.5");
    recipe.warmup_epochs = number("warmup", "a number of epochs ≥ 0");
    const QString precision = p.value("precision");
    if (precision != "fp32" && precision != "bf16") fail("--precision is fp32 or bf16");
    if (precision == "bf16") recipe.precision = TrainingConfig::Precision::bf16;
    try {
        recipe.sizes = parse_hidden_sizes(p.value("hidden").toStdString());
    } catch (const std::exception& e) {
        fail(std::string("--hidden: ") + e.what());
    }
    // The drawing sources, rendered once before training (the stroke distortions live in the copies).
    DataRecipe& drawn = recipe.drawings;
    drawn.strokes = p.value("strokes").toStdString();
    drawn.stroke_copies = to_int(p.value("stroke-copies"), "stroke-copies", 1);
    drawn.stroke_strength = number("stroke-augment", "a number ≥ 0");
    drawn.traced = to_int(p.value("traced"), "traced", 0);
    drawn.distort_drawings = p.isSet("augment-drawings");
    if (p.isSet("mix")) {
        for (const QString& part : p.value("mix").split(',')) {
            const QStringList kv = part.split('=');
            bool ok = false;
            const double share = kv.size() == 2 ? kv[1].toDouble(&ok) : -1;
            if (kv.size() != 2 || !ok || share <= 0) fail("--mix is scans=A,strokes=B,traced=C with shares > 0");
            if (kv[0] == "scans") drawn.scans_share = share;
            else if (kv[0] == "strokes" && !drawn.strokes.empty()) drawn.strokes_share = share;
            else if (kv[0] == "traced" && drawn.traced > 0) drawn.traced_share = share;
            else fail("--mix names " + kv[0].toStdString() + ", which is not a source of this run");
        }
    }
    return recipe;
}

// The training scans and the ones to test on: MNIST's test set, or with --holdout the last
// training images; --train-limit keeps the first training images only.
std::pair<Dataset, Dataset> train_and_test_sets(const QCommandLineParser& p) {
    Dataset train_set = load_part(p.value("data"), MnistPart::train);
    Dataset test_set;
    if (const int holdout = to_int(p.value("holdout"), "holdout", 0); holdout > 0) {
        // The last images of the training set, never the test set, for choosing a recipe.
        const std::size_t keep = train_set.size() - std::min<std::size_t>(train_set.size(), holdout);
        test_set = last(train_set, train_set.size() - keep);
        test_set.name += " (held out)";
        train_set = take(train_set, keep);
    } else {
        test_set = load_part(p.value("data"), MnistPart::test);
    }
    if (const int limit = to_int(p.value("train-limit"), "train-limit", 0); limit > 0) train_set = take(train_set, limit);
    if (train_set.size() == 0) fail("there are no training images left to train on (" + train_set.name + ")");
    if (test_set.size() == 0) fail("there are no test images to measure the model on (" + test_set.name + ")");
    return {std::move(train_set), std::move(test_set)};
}

// What is about to be trained, on what, and the header of the per-epoch table.
void print_run(const Recipe& recipe, const TrainingData& data, std::size_t tests, bool drawn_tests) {
    const int cores = core_count();
    std::string shape;
    for (int n : recipe.sizes) shape += (shape.empty() ? "" : "-") + std::to_string(n);
    const std::size_t parameters = Network(recipe.sizes, recipe.seed).parameter_count();
    std::printf("network %s (%zu parameters), %s\ntraining on %zu images, testing on %zu, %s%d threads\n", shape.c_str(),
                parameters, recipe.describe().c_str(), data.images(), tests, recipe.threads == 0 ? "auto: 1 or " : "",
                recipe.threads == 0 ? cores : std::min(recipe.threads, cores));
    for (const std::string& line : data.summary(recipe.batch)) std::printf("  %s\n", line.c_str());
    std::printf("%5s %11s %10s %9s %8s %10s%s\n", "epoch", "train loss", "test loss", "test acc", "seconds", "samples/s",
                drawn_tests ? "  drawn acc" : "");
    std::fflush(stdout);
}

}  // namespace

int train(const QStringList& args) {
    QCommandLineParser p;
    add_options(p);
    p.process(args);
    if (!p.isSet("data")) fail("train needs --data DIR (a folder with the four MNIST IDX files)");
    if (!p.isSet("out")) fail("train needs --out MODEL (where to save the trained network)");
    const Recipe recipe = recipe_from(p);
    // Everything that would end the run without a model is found before the data is read.
    if (const auto why = recipe.problem()) fail(*why);
    check_writable_destination(p.value("out"));
    auto [train_set, test_set] = train_and_test_sets(p);
    std::optional<TrainingData> data;
    try {
        data.emplace(std::move(train_set), recipe.drawings, recipe.seed);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    Dataset test_strokes;
    if (p.isSet("test-strokes")) {
        try {
            test_strokes = render_stroke_file(p.value("test-strokes"));
        } catch (const std::exception& e) {
            fail(e.what());
        }
    }
    print_run(recipe, *data, test_set.size(), test_strokes.size() > 0);

    TrainingListener listener;
    listener.on_epoch = [&](const EpochResult& r, const Network& net) {
        std::printf("%5d %11.4f %10.4f %8.2f%% %8.2f %10.0f", r.epoch, r.train_loss, r.test.loss,
                    100.0 * r.test.accuracy, r.seconds, r.samples_per_second);
        if (test_strokes.size()) std::printf(" %9.2f%%", 100.0 * evaluate(net, test_strokes).accuracy);
        std::printf("\n");
        std::fflush(stdout);
    };
    TrainingControl control;
    g_control = &control;
    std::signal(SIGINT, on_interrupt);
    std::optional<TrainedModel> trained;
    try {
        trained.emplace(train_model(recipe, data->sources(), data->name(), test_set, &control, listener));
    } catch (const std::exception& e) {
        fail(e.what());
    }
    g_control = nullptr;
    if (trained->outcome == TrainingOutcome::stopped) {
        std::fprintf(stderr, "digitpad-cli: interrupted; nothing saved\n");
        return 130;
    }
    if (trained->outcome == TrainingOutcome::diverged)
        fail("training diverged (the loss became NaN, infinite or above 1000); nothing saved. Try a smaller --lr.");
    try {
        save_model(p.value("out").toStdString(), trained->network, trained->info);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    std::printf("saved %s\n", p.value("out").toStdString().c_str());
    return 0;
}

}  // namespace digitpad::cli
