// "1 drawing", "12 drawings": English plurals where the app has no translation to give them.
#pragma once

#include <QString>

#include <cstddef>

namespace digitpad {

inline QString count_of(std::size_t n, const QString& one, const QString& many) {
    return QString("%1 %2").arg(n).arg(n == 1 ? one : many);
}

}  // namespace digitpad
