// A list of digit thumbnails in a grid that reflows with the width (My drawings, the mistakes
// gallery): icons of `side` pixels, cells with room for two lines of caption below.
#pragma once

#include <QListWidget>

namespace digitpad {

inline void show_as_thumbnails(QListWidget* list, int side, QSize caption) {
    list->setViewMode(QListView::IconMode);
    list->setIconSize({side, side});
    list->setGridSize({side + caption.width(), side + caption.height()});
    list->setMovement(QListView::Static);
    list->setResizeMode(QListView::Adjust);
    list->setUniformItemSizes(true);
}

}  // namespace digitpad
