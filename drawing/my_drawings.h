// My drawings: the digits a person drew and labelled to teach the network their handwriting,
// kept in one JSON Lines file (the --classify-strokes format) that is rewritten atomically
// after every change. A file that cannot be read whole is moved aside, never overwritten.
#pragma once

#include "stroke_file.h"

#include <QString>

#include <vector>

namespace digitpad {

class MyDrawings {
public:
    // The file in the app's data folder (QStandardPaths::AppDataLocation).
    static QString defaultPath();

    // Reads `path` (none there: no drawings yet). A file with malformed lines, or one that
    // cannot be read, is renamed to PATH.bad (or PATH.bad.1, …) with the drawings it had that
    // could be read kept and saved anew; the returned message says what happened, and is
    // empty when all went well.
    QString load(const QString& path);

    const std::vector<StrokeRecord>& drawings() const { return drawings_; }
    std::size_t size() const { return drawings_.size(); }
    bool isEmpty() const { return drawings_.empty(); }
    const QString& path() const { return path_; }

    // Each change is saved at once; on failure it is undone and std::runtime_error says why.
    void add(const StrokeRecord& drawing);
    void remove(const std::vector<std::size_t>& indices);
    void clear();
    // Adds the labelled drawings of a stroke file; returns how many, and names skipped lines
    // in `problems`. Throws std::runtime_error when the file cannot be read.
    std::size_t importFile(const QString& path, QStringList& problems);
    void exportFile(const QString& path) const;  // throws std::runtime_error

private:
    void change(std::vector<StrokeRecord> next);

    QString path_;
    std::vector<StrokeRecord> drawings_;
};

}  // namespace digitpad
