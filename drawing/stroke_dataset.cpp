#include "stroke_dataset.h"

#include "drawing_classifier.h"
#include "grey_image.h"
#include "skeleton.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace digitpad {
namespace {

// f(i) for every i < count, shared out over the machine's cores in interleaved order, until
// `cancel` is set. The calling thread, one of them, reports the share done every 1/256 of
// the items it does, and 1 at the end.
template <typename F>
void on_cores(std::size_t count, const std::atomic<bool>* cancel, const Progress& progress, F f) {
    const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 16);
    std::atomic<std::size_t> done{0};
    const std::size_t every = std::max<std::size_t>(1, count / threads / 256);
    auto share = [&](std::size_t t) {
        std::size_t mine = 0;
        for (std::size_t i = t; i < count && !(cancel && cancel->load(std::memory_order_relaxed)); i += threads) {
            f(i);
            done.fetch_add(1, std::memory_order_relaxed);
            if (t == 0 && progress && ++mine % every == 0) progress(static_cast<double>(done.load()) / static_cast<double>(count));
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(share, t);
    share(0);
    for (std::thread& th : pool) th.join();
    if (progress) progress(1.0);
}

}  // namespace

Dataset render_drawings(const std::vector<StrokeRecord>& records, const std::string& name, const RenderOptions& options,
                        const std::atomic<bool>* cancel, const Progress& progress) {
    const std::size_t plain = options.as_drawn ? 1 : 0;
    const std::size_t copies = plain + static_cast<std::size_t>(std::max(0, options.distorted));
    const std::size_t jobs = records.size() * copies;
    std::vector<std::uint8_t> images(jobs * kImagePixels);
    std::vector<char> kept(jobs, 0);
    on_cores(jobs, cancel, progress, [&](std::size_t job) {
        const StrokeRecord& record = records[job / copies];
        if (!record.label) return;
        const std::size_t copy = job % copies;
        std::optional<DigitImage> input;
        if (copy < plain) {
            input = network_input(record.strokes);
        } else {
            // The stream of distorted copy d of drawing i, whether or not the plain one is made.
            const std::uint64_t drawing = job / copies, k = copy - plain;
            std::mt19937_64 rng(options.seed * 0x9E3779B97F4A7C15ull + (drawing << 16) + k);
            const DistortedDrawing d = distort_drawing(record.strokes, options.augment, rng);
            input = network_input(d.drawing, {d.pen_width});
        }
        if (!input) return;
        const auto bytes = input_bytes(*input);
        std::copy(bytes.begin(), bytes.end(), images.begin() + static_cast<std::ptrdiff_t>(job * kImagePixels));
        kept[job] = 1;
    });
    Dataset data;
    data.name = name;
    for (std::size_t job = 0; job < jobs; ++job) {
        if (!kept[job]) continue;
        const auto first = images.begin() + static_cast<std::ptrdiff_t>(job * kImagePixels);
        data.images.insert(data.images.end(), first, first + kImagePixels);
        data.labels.push_back(static_cast<std::uint8_t>(*records[job / copies].label));
    }
    return data;
}

Dataset render_stroke_file(const QString& path, const RenderOptions& options, const std::atomic<bool>* cancel,
                           const Progress& progress) {
    const StrokeSet set = read_stroke_file(path);
    Dataset data = render_drawings(set.records, QFileInfo(path).fileName().toStdString(), options, cancel, progress);
    if (data.size() == 0 && !(cancel && cancel->load()))
        throw std::runtime_error(path.toStdString() + " holds no labelled drawing");
    return data;
}

std::vector<StrokeRecord> traced_drawings(const Dataset& scans, const std::atomic<bool>* cancel, const Progress& progress) {
    std::vector<std::optional<StrokeRecord>> traced(scans.size());
    on_cores(scans.size(), cancel, progress, [&](std::size_t i) {
        const auto image = scans.image(i);
        StrokeRecord record;
        for (const Polyline& line : trace_strokes(GreyImage{kImageSide, kImageSide, {image.begin(), image.end()}})) {
            Stroke stroke;
            for (const auto& p : line) stroke << QPointF(p[0], p[1]);
            record.strokes << stroke;
        }
        if (record.strokes.isEmpty()) return;
        record.label = scans.labels[i];
        record.line = static_cast<int>(i) + 1;
        traced[i] = std::move(record);
    });
    std::vector<StrokeRecord> out;
    for (auto& r : traced)
        if (r) out.push_back(std::move(*r));
    return out;
}

}  // namespace digitpad
