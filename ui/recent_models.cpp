#include "recent_models.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace digitpad {
namespace {

constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentModels";
const char* const kModelFolderKey = "modelFolder";  // where models were last opened or saved

}  // namespace

RecentModels::RecentModels(QMenu* menu, QObject* parent) : QObject(parent), menu_(menu) { rebuild(); }

QString RecentModels::startFolder() {
    for (const QString& folder : {QSettings().value(kModelFolderKey).toString(),
                                  QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)})
        if (!folder.isEmpty() && QFileInfo(folder).isDir()) return folder;
    return QDir::homePath();
}

void RecentModels::remember(const QString& path) {
    QSettings settings;
    settings.setValue(kModelFolderKey, QFileInfo(path).absolutePath());
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuild();
}

void RecentModels::rebuild() {
    menu_->clear();
    menu_->setToolTipsVisible(true);  // the full path of each
    QStringList recent = QSettings().value(kRecentKey).toStringList();
    recent.erase(std::remove_if(recent.begin(), recent.end(), [](const QString& p) { return !QFileInfo::exists(p); }),
                 recent.end());  // files moved or deleted since are not offered
    for (int i = 0; i < recent.size(); ++i) {
        QAction* a = menu_->addAction(QString("&%1  %2").arg(i + 1).arg(QFileInfo(recent[i]).fileName()));
        a->setToolTip(recent[i]);
        connect(a, &QAction::triggered, this, [this, path = recent[i]] { emit openRequested(path); });
    }
    if (!recent.isEmpty()) {
        menu_->addSeparator();
        menu_->addAction(tr("&Clear Menu"), this, [this] {
            QSettings().remove(kRecentKey);
            rebuild();
        });
    }
    menu_->setEnabled(!recent.isEmpty());
}

}  // namespace digitpad
