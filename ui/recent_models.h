// File ▸ Open Recent: the model files last opened or saved (those still there), each with its
// path as a tooltip, and Clear Menu; and the folder they were in, where the file dialogs start.
#pragma once

#include <QObject>
#include <QString>

class QMenu;

namespace digitpad {

class RecentModels : public QObject {
    Q_OBJECT
public:
    explicit RecentModels(QMenu* menu, QObject* parent = nullptr);
    void remember(const QString& path);  // an absolute path, opened or saved just now
    // Where a file dialog starts: the folder of the last model opened or saved, else the
    // Documents folder, else home (never the folder the app happened to start in).
    static QString startFolder();

signals:
    void openRequested(const QString& path);

private:
    void rebuild();
    QMenu* menu_;
};

}  // namespace digitpad
