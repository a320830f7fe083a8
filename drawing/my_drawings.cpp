#include "my_drawings.h"

#include "count_of.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <stdexcept>

namespace digitpad {

QString MyDrawings::defaultPath() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("my-drawings.jsonl");
}

QString MyDrawings::load(const QString& path) {
    path_ = path;
    drawings_.clear();
    if (!QFileInfo::exists(path)) return {};
    StrokeSet set;
    QString problem;
    try {
        set = read_stroke_file(path);
        if (!set.problems.isEmpty())
            problem = QCoreApplication::translate("MyDrawings", "%1 could not be read (line %2)")
                          .arg(count_of(static_cast<std::size_t>(set.problems.size()), "line", "lines"), set.problems.front());
    } catch (const std::exception& e) {
        problem = QString::fromStdString(e.what());
    }
    for (StrokeRecord& r : set.records)
        if (r.label) drawings_.push_back(std::move(r));
    if (problem.isEmpty()) return {};
    QString aside = path + ".bad";
    for (int k = 1; QFileInfo::exists(aside); ++k) aside = QString("%1.bad.%2").arg(path).arg(k);
    if (!QFile::rename(path, aside))
        return QCoreApplication::translate("MyDrawings", "Your drawings file %1 is damaged (%2) and could not be moved "
                                                         "aside; it is left as it is, and nothing will be saved to it.")
            .arg(path, problem);
    QString message = QCoreApplication::translate("MyDrawings", "Your drawings file was damaged (%1). It is kept as %2; "
                                                                "the drawings that could be read (%3) are kept.")
                          .arg(problem, aside, QString::number(drawings_.size()));
    try {
        if (!drawings_.empty()) write_stroke_file(path, drawings_);
    } catch (const std::exception& e) {
        message += " " + QString::fromStdString(e.what());
    }
    return message;
}

void MyDrawings::change(std::vector<StrokeRecord> next) {
    if (!path_.isEmpty()) {
        QDir().mkpath(QFileInfo(path_).absolutePath());
        write_stroke_file(path_, next);  // throws, leaving drawings_ as they were
    }
    drawings_ = std::move(next);
}

void MyDrawings::add(const StrokeRecord& drawing) {
    std::vector<StrokeRecord> next = drawings_;
    next.push_back(drawing);
    change(std::move(next));
}

void MyDrawings::remove(const std::vector<std::size_t>& indices) {
    std::vector<StrokeRecord> next;
    for (std::size_t i = 0; i < drawings_.size(); ++i)
        if (std::find(indices.begin(), indices.end(), i) == indices.end()) next.push_back(drawings_[i]);
    change(std::move(next));
}

void MyDrawings::clear() { change({}); }

std::size_t MyDrawings::importFile(const QString& path, QStringList& problems) {
    StrokeSet set = read_stroke_file(path);
    problems = set.problems;
    std::vector<StrokeRecord> next = drawings_;
    std::size_t added = 0;
    for (StrokeRecord& r : set.records)
        if (r.label) {
            next.push_back(std::move(r));
            ++added;
        }
    change(std::move(next));
    return added;
}

void MyDrawings::exportFile(const QString& path) const { write_stroke_file(path, drawings_); }

}  // namespace digitpad
