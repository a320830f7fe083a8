// digitpad-cli make-rehearsal: the rehearsal digits teaching learns beside (resources/rehearsal).
#include "cli.h"

#include "stroke_dataset.h"

#include <QCommandLineParser>

#include <cstdio>
#include <filesystem>

namespace digitpad::cli {

namespace {

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

}  // namespace

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

}  // namespace digitpad::cli
