#include "stroke_file.h"

#include "drawing_classifier.h"
#include "grey_image.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace digitpad {

std::optional<StrokeRecord> parse_stroke_line(const QByteArray& line, QString& error) {
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parse);
    if (parse.error != QJsonParseError::NoError) {
        error = "not valid JSON (" + parse.errorString() + ")";
        return std::nullopt;
    }
    if (!doc.isObject()) {
        error = "expected an object {\"strokes\": [...]}";
        return std::nullopt;
    }
    const QJsonObject obj = doc.object();
    if (!obj.value("strokes").isArray()) {
        error = "\"strokes\" is missing or not an array";
        return std::nullopt;
    }
    StrokeRecord record;
    for (const QJsonValue& s : obj.value("strokes").toArray()) {
        if (!s.isArray() || s.toArray().isEmpty()) {
            error = "every stroke must be a non-empty array of [x, y] points";
            return std::nullopt;
        }
        Stroke stroke;
        for (const QJsonValue& p : s.toArray()) {
            const QJsonArray xy = p.toArray();
            if (!p.isArray() || xy.size() != 2 || !xy[0].isDouble() || !xy[1].isDouble() ||
                !std::isfinite(xy[0].toDouble()) || !std::isfinite(xy[1].toDouble())) {
                error = "every point must be [x, y] with two numbers";
                return std::nullopt;
            }
            stroke << QPointF(xy[0].toDouble(), xy[1].toDouble());
        }
        record.strokes << stroke;
    }
    if (record.strokes.isEmpty()) {
        error = "the drawing has no strokes";
        return std::nullopt;
    }
    if (obj.contains("label")) {
        const QJsonValue label = obj.value("label");
        const double v = label.toDouble(-1);
        if (!label.isDouble() || v != std::floor(v) || v < 0 || v > 9) {
            error = "\"label\" must be a digit 0-9";
            return std::nullopt;
        }
        record.label = static_cast<int>(v);
    }
    return record;
}

int classify_stroke_file(const QString& path, const Network& network, QTextStream& out, QTextStream& err,
                         const QString& failuresDir, const DrawingPathOptions& options) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        err << "digitpad: cannot read " << path << ": " << file.errorString() << "\n";
        return 2;
    }
    int line_number = 0, malformed = 0, labelled = 0, correct = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++line_number;
        if (line.isEmpty()) continue;
        QString error;
        const auto record = parse_stroke_line(line, error);
        if (!record) {
            err << path << ":" << line_number << ": " << error << " (line skipped)\n";
            ++malformed;
            continue;
        }
        const auto result = classify(network, record->strokes, options);
        if (!result) {
            err << path << ":" << line_number << ": the drawing leaves no ink on the canvas (line skipped)\n";
            ++malformed;
            continue;
        }
        out << result->digit();
        for (float q : result->probabilities) out << ' ' << QString::number(q, 'f', 6);
        out << '\n';
        if (record->label) {
            ++labelled;
            correct += result->digit() == *record->label;
            if (result->digit() != *record->label && !failuresDir.isEmpty())
                image_from_digit(result->input)
                    .scaled(112, 112)
                    .save(QString("%1/line%2-label%3-predicted%4.png")
                              .arg(failuresDir)
                              .arg(line_number)
                              .arg(*record->label)
                              .arg(result->digit()));
        }
    }
    if (labelled > 0)
        out << "accuracy: " << QString::number(100.0 * correct / labelled, 'f', 2) << "% (" << correct << "/" << labelled
            << ")\n";
    out.flush();
    err.flush();
    return malformed > 0 ? 1 : 0;
}

}  // namespace digitpad
