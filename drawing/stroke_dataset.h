// Drawings as training data: stroke sets rendered through exactly the canvas's drawing path
// (fit, pen, rendering, preprocessing) into the core's 28×28 byte images, so that what the
// network learns from is what it will see from the canvas.
#pragma once

#include "stroke_augment.h"
#include "stroke_file.h"

#include "dataset.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace digitpad {

struct RenderOptions {
    bool as_drawn = true;  // render every drawing as it was drawn
    int distorted = 0;     // and this many times distorted (stroke_augment.h)
    StrokeAugmentOptions augment;
    std::uint64_t seed = 1;  // each distorted copy of each drawing draws from its own stream of this seed
};

// How far a long rendering or tracing is, 0 to 1, reported now and then (at least at the end) on
// the calling thread.
using Progress = std::function<void(double done)>;

// The labelled drawings of `records`, each rendered as drawn and/or distorted, in order
// (drawing 0's renderings first, the one as drawn before the distorted ones). Unlabelled
// drawings, and drawings that leave no ink, are left out. Runs on all cores; the result does
// not depend on how many. Once `cancel` is set the rest is skipped.
Dataset render_drawings(const std::vector<StrokeRecord>& records, const std::string& name, const RenderOptions& options = {},
                        const std::atomic<bool>* cancel = nullptr, const Progress& progress = {});

// A stroke file's labelled drawings as a Dataset (render_drawings). Throws std::runtime_error
// when the file cannot be read or holds no labelled drawing.
Dataset render_stroke_file(const QString& path, const RenderOptions& options = {}, const std::atomic<bool>* cancel = nullptr,
                           const Progress& progress = {});

// Scanned digits as a person might have drawn them: each image thinned to its skeleton and
// traced into strokes (skeleton.h), with its label. Images that leave no stroke are left out.
std::vector<StrokeRecord> traced_drawings(const Dataset& scans, const std::atomic<bool>* cancel = nullptr,
                                          const Progress& progress = {});

}  // namespace digitpad
