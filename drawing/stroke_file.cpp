#include "stroke_file.h"

#include "drawing_classifier.h"
#include "familiar_digits.h"
#include "grey_image.h"
#include "regular_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>

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
    qsizetype points = 0;
    for (const QJsonValue& s : obj.value("strokes").toArray()) {
        if (!s.isArray() || s.toArray().isEmpty()) {
            error = "every stroke must be a non-empty array of [x, y] points";
            return std::nullopt;
        }
        if ((points += s.toArray().size()) > kMaxDrawingPoints) {
            error = QString("the drawing has more than %1 points").arg(kMaxDrawingPoints);
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
    if (obj.contains("writer")) record.writer = obj.value("writer").toString();
    return record;
}

QByteArray stroke_line(const StrokeRecord& record, const QJsonObject& extra) {
    QJsonArray strokes;
    for (const Stroke& line : record.strokes) {
        QJsonArray points;
        for (const QPointF& pt : line) points.append(QJsonArray{std::round(pt.x() * 100) / 100, std::round(pt.y() * 100) / 100});
        strokes.append(points);
    }
    QJsonObject object{{"strokes", strokes}};
    if (record.label) object.insert("label", *record.label);
    if (!record.writer.isEmpty()) object.insert("writer", record.writer);
    for (auto it = extra.begin(); it != extra.end(); ++it) object.insert(it.key(), it.value());
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

void write_stroke_file(const QString& path, const std::vector<StrokeRecord>& records) {
    QSaveFile file(path);
    bool ok = file.open(QIODevice::WriteOnly);
    for (const StrokeRecord& record : records) ok = ok && file.write(stroke_line(record) + "\n") >= 0;
    if (!ok || !file.commit())
        throw std::runtime_error("cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
}

StrokeSet read_stroke_file(const QString& path) {
    if (const auto why = not_a_regular_file(path.toStdString()))
        throw std::runtime_error("cannot read " + path.toStdString() + ": " + *why);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString() + ": " + file.errorString().toStdString());
    if (file.size() > kMaxStrokeFileBytes)
        throw std::runtime_error("cannot read " + path.toStdString() + ": the file has " +
                                 std::to_string(file.size() >> 20) + " MB, more than a file of drawings may (" +
                                 std::to_string(kMaxStrokeFileBytes >> 20) + " MB)");
    StrokeSet set;
    int line_number = 0;
    while (!file.atEnd()) {
        QByteArray line = file.readLine(kMaxStrokeLineBytes);
        ++line_number;
        if (!line.endsWith('\n') && !file.atEnd()) {  // cut at the limit: skip the rest of the line
            while (!file.atEnd() && !file.readLine(kMaxStrokeLineBytes).endsWith('\n')) {
            }
            set.problems << QString("%1: the line is longer than %2 bytes").arg(line_number).arg(kMaxStrokeLineBytes);
            continue;
        }
        line = line.trimmed();
        if (line.isEmpty()) continue;
        QString error;
        auto record = parse_stroke_line(line, error);
        if (!record) {
            set.problems << QString("%1: %2").arg(line_number).arg(error);
            continue;
        }
        record->line = line_number;
        set.records.push_back(std::move(*record));
    }
    return set;
}

namespace {

struct Tally {
    int correct = 0, total = 0;
    double accuracy() const { return total ? 100.0 * correct / total : 0.0; }
};

// Per class, the confusion matrix and the writers from the worst up, as plain text lines.
void write_stroke_report(QTextStream& out, const std::array<std::array<int, 10>, 10>& confusion,
                         const std::map<QString, Tally>& writers) {
    out << "per class (true digit: accuracy, drawings):\n";
    for (int t = 0; t < 10; ++t) {
        Tally c{confusion[t][t], 0};
        for (int p = 0; p < 10; ++p) c.total += confusion[t][p];
        out << "  " << t << ": " << QString::number(c.accuracy(), 'f', 2) << "% (" << c.total << ")\n";
    }
    out << "confusion matrix (rows: true digit, columns: predicted):\n    ";
    for (int p = 0; p < 10; ++p) out << QString("%1").arg(p, 6);
    out << "\n";
    for (int t = 0; t < 10; ++t) {
        out << QString("%1").arg(t, 4);
        for (int p = 0; p < 10; ++p) out << QString("%1").arg(confusion[t][p], 6);
        out << "\n";
    }
    if (writers.size() < 2 && (writers.empty() || writers.begin()->first.isEmpty())) return;
    std::vector<std::pair<QString, Tally>> sorted(writers.begin(), writers.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second.accuracy() < b.second.accuracy(); });
    out << "writers: " << sorted.size() << ", worst first (accuracy, drawings):\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(10, sorted.size()); ++i)
        out << "  " << (sorted[i].first.isEmpty() ? QString("(none)") : sorted[i].first) << ": "
            << QString::number(sorted[i].second.accuracy(), 'f', 2) << "% (" << sorted[i].second.total << ")\n";
    int below[3] = {};
    for (const auto& [name, t] : sorted) below[0] += t.accuracy() < 90, below[1] += t.accuracy() < 92, below[2] += t.accuracy() < 95;
    out << "writers below 90%: " << below[0] << ", below 92%: " << below[1] << ", below 95%: " << below[2] << "\n";
}

}  // namespace

int classify_stroke_file(const QString& path, const Network& network, QTextStream& out, QTextStream& err,
                         const QString& failuresDir, const DrawingPathOptions& options, bool report) {
    StrokeSet set;
    try {
        set = read_stroke_file(path);
    } catch (const std::exception& e) {
        err << "digitpad: " << e.what() << "\n";
        return 2;
    }
    int malformed = static_cast<int>(set.problems.size()), labelled = 0, correct = 0;
    for (const QString& problem : set.problems) err << path << ":" << problem << " (line skipped)\n";
    std::array<std::array<int, 10>, 10> confusion{};
    std::map<QString, Tally> writers;
    const Familiarity familiarity = builtin_familiarity(network);
    int read = 0, unsure = 0;
    for (const StrokeRecord& record : set.records) {
        const auto result = classify(network, record.strokes, options);
        if (!result) {
            err << path << ":" << record.line << ": the drawing leaves no ink on the canvas (line skipped)\n";
            ++malformed;
            continue;
        }
        out << result->digit();
        for (float q : result->probabilities) out << ' ' << QString::number(q, 'f', 6);
        out << '\n';
        ++read;
        unsure += !sure(*result, familiarity);
        if (record.label) {
            const bool right = result->digit() == *record.label;
            ++labelled;
            correct += right;
            ++confusion[static_cast<std::size_t>(*record.label)][static_cast<std::size_t>(result->digit())];
            Tally& w = writers[record.writer];
            w.correct += right, ++w.total;
            if (!right && !failuresDir.isEmpty())
                image_from_digit(result->input)
                    .scaled(112, 112)
                    .save(QString("%1/line%2-label%3-predicted%4.png")
                              .arg(failuresDir)
                              .arg(record.line)
                              .arg(*record.label)
                              .arg(result->digit()));
        }
    }
    if (read > 0)
        out << "not sure: " << unsure << " of " << read << " (" << QString::number(100.0 * unsure / read, 'f', 2)
            << "%)\n";
    if (labelled > 0) {
        const bool named_writers = writers.size() > 1 || (!writers.empty() && !writers.begin()->first.isEmpty());
        if (report || named_writers) write_stroke_report(out, confusion, writers);
        out << "accuracy: " << QString::number(100.0 * correct / labelled, 'f', 2) << "% (" << correct << "/" << labelled
            << ")\n";
    }
    out.flush();
    err.flush();
    return malformed > 0 ? 1 : 0;
}

}  // namespace digitpad
