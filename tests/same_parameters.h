// Whether two networks hold bit-identical parameters.
#pragma once

#include "network.h"

namespace digitpad::testing {

inline bool same_parameters(const Network& a, const Network& b) {
    if (a.sizes() != b.sizes()) return false;
    for (std::size_t j = 0; j < a.layer_count(); ++j)
        if (a.layer(j).W != b.layer(j).W || a.layer(j).b != b.layer(j).b) return false;
    return true;
}

}  // namespace digitpad::testing
