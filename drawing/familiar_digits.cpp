#include "familiar_digits.h"

#include "teach.h"

namespace digitpad {

Familiarity builtin_familiarity(const Network& network, const std::atomic<bool>* cancel) {
    static const Dataset digits = [] {
        Rehearsal r = builtin_rehearsal();
        r.teach.images.insert(r.teach.images.end(), r.check.images.begin(), r.check.images.end());
        r.teach.labels.insert(r.teach.labels.end(), r.check.labels.begin(), r.check.labels.end());
        return std::move(r.teach);
    }();
    return calibrate_familiarity(network, digits, kFamiliarShare, cancel);
}

}  // namespace digitpad
