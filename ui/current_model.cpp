#include "current_model.h"

namespace digitpad {

void CurrentModel::choose(ModelState chosen) {
    model_ = std::move(chosen);
    reading_ = model_.network;
    teachingBase_ = model_;
}

void CurrentModel::saved(const QString& path, const QString& name) {
    model_.path = path;
    model_.name = name;
    model_.unsaved = false;
    if (!taught()) teachingBase_ = model_;
}

void CurrentModel::trained(std::shared_ptr<const Network> network, const ModelInfo& info, const QString& name) {
    beforeTraining_ = startedFrom_;
    choose({std::move(network), info, name, {}, true});
}

void CurrentModel::taughtModel(std::shared_ptr<const Network> network, const ModelInfo& info, const QString& name) {
    const ModelState base = teachingBase_;  // a teach is no new choice: its base stays
    choose({std::move(network), info, name, {}, true});
    teachingBase_ = base;
}

}  // namespace digitpad
