// `digitpad --classify-strokes FILE.jsonl`: drawings as JSON Lines through the same canvas
// rendering, preprocessing and network as the widget. Format in docs/file-formats.md.
#pragma once

#include "drawing_classifier.h"
#include "network.h"
#include "strokes.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>
#include <vector>

namespace digitpad {

// What the file dialogs that open or save such files offer (passed through tr()).
constexpr const char* kStrokeFileFilter = "Drawings (*.jsonl);;All files (*)";

struct StrokeRecord {
    Drawing strokes;  // in the file's own units, y pointing down
    std::optional<int> label;
    QString writer;   // the optional "writer" field: who drew it, for per-writer reports
    int line = 0;     // where it was in its file (1-based), for messages
};

// What a file of drawings may hold. The largest real drawing in UNIPEN has 502 points on a
// line of 4 kB; a person at 120 points a second would need a minute and a half of one digit
// to reach these. Past them a line is refused, not simplified, and the file is not read.
constexpr int kMaxDrawingPoints = 10'000;
constexpr qint64 kMaxStrokeLineBytes = 1 << 20;
constexpr qint64 kMaxStrokeFileBytes = qint64{512} << 20;

// Parses one line; returns nullopt and sets `error` for a malformed one.
std::optional<StrokeRecord> parse_stroke_line(const QByteArray& line, QString& error);

// One drawing as a line of that format (compact JSON, no newline): its strokes with two
// decimals of the file's units, its label and writer where it has them, then `extra` fields.
QByteArray stroke_line(const StrokeRecord& record, const QJsonObject& extra = {});

// Writes the drawings as a JSON Lines file, atomically (the old file stays whole until the new
// one is complete). Throws std::runtime_error with the reason when it cannot.
void write_stroke_file(const QString& path, const std::vector<StrokeRecord>& records);

// Every well-formed drawing of a file; each malformed line (or one past the limits above) is
// named in `problems` ("LINE: what is wrong") and skipped. Throws std::runtime_error when the
// file cannot be read or is larger than kMaxStrokeFileBytes.
struct StrokeSet {
    std::vector<StrokeRecord> records;
    QStringList problems;
};
StrokeSet read_stroke_file(const QString& path);

// Classifies every drawing in `path`, writing "PREDICTED p0 … p9" per drawing to `out` and
// problems to `err`, then "not sure: N of M (X%)": how many the app would show as not sure
// (drawing_classifier.h, the line drawn on the built-in rehearsal digits). Returns 0 when every line was well-formed, 1 when some were malformed
// (they are skipped), 2 when the file cannot be read. With `failuresDir`, each misclassified
// drawing's network input is saved there as line<N>-label<Y>-predicted<P>.png. Where labels
// were given the last line is "accuracy: X% (correct/total)"; before it, when the drawings
// name their writers or `report` is set, the accuracy of every class, the confusion matrix
// and the writers from the worst up (write_stroke_report).
int classify_stroke_file(const QString& path, const Network& network, QTextStream& out, QTextStream& err,
                         const QString& failuresDir = {}, const DrawingPathOptions& options = {}, bool report = false);

}  // namespace digitpad
