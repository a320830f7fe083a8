// digitpad-cli make-strokes: MNIST digits thinned, traced and written as drawings (JSON Lines).
#include "cli.h"

#include "stroke_dataset.h"
#include "stroke_file.h"

#include <QCommandLineParser>
#include <QSaveFile>

#include <cstdio>

namespace digitpad::cli {

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


}  // namespace digitpad::cli
