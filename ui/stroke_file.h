// `digitpad --classify-strokes FILE.jsonl`: drawings as JSON Lines through the same canvas
// rendering, preprocessing and network as the widget. Format in README.md.
#pragma once

#include "drawing_classifier.h"
#include "network.h"
#include "strokes.h"

#include <QString>
#include <QTextStream>

#include <optional>

namespace digitpad {

struct StrokeRecord {
    Drawing strokes;  // in the file's own units, y pointing down
    std::optional<int> label;
};

// Parses one line; returns nullopt and sets `error` for a malformed one.
std::optional<StrokeRecord> parse_stroke_line(const QByteArray& line, QString& error);

// Classifies every drawing in `path`, writing "PREDICTED p0 … p9" per drawing to `out` and
// problems to `err`. Returns 0 when every line was well-formed, 1 when some were malformed
// (they are skipped), 2 when the file cannot be read. With `failuresDir`, each misclassified
// drawing's network input is saved there as line<N>-label<Y>-predicted<P>.png.
int classify_stroke_file(const QString& path, const Network& network, QTextStream& out, QTextStream& err,
                         const QString& failuresDir = {}, const DrawingPathOptions& options = {});

}  // namespace digitpad
