// File ▸ Open Recent: the model files last opened or saved (those still there), each with its
// path as a tooltip, and Clear Menu; and the folder they were in, where Save As starts.
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
    static QString lastFolder();         // empty before the first

signals:
    void openRequested(const QString& path);

private:
    void rebuild();
    QMenu* menu_;
};

}  // namespace digitpad
