// The model the app reads drawings with, what is known of it, and the models to go back to:
// from before the last training run (Revert in the training panel) and the one the person chose,
// which teaching starts from and reverts to (never an earlier teach, so teaching the same
// drawings twice does not drift).
#pragma once

#include "model_file.h"

#include <QString>

#include <memory>

namespace digitpad {

struct ModelState {
    std::shared_ptr<const Network> network;
    ModelInfo info;
    QString name;          // as the title shows it
    QString path;          // the file it was opened from or saved to, if any
    bool unsaved = false;  // trained or taught here and not saved since
};

class CurrentModel {
public:
    const ModelState& model() const { return model_; }
    // What the canvas reads: the model, or the newest weights of a run in progress.
    const std::shared_ptr<const Network>& reading() const { return reading_; }
    // The model the person chose, which teaching starts from; taught() says whether the
    // current one is a teach of it.
    const ModelState& teachingBase() const { return teachingBase_; }
    bool taught() const { return teachingBase_.network != model_.network; }

    void choose(ModelState chosen);  // opened, built in, trained or reverted to: a new base for teaching
    void setPath(const QString& path) { model_.path = path; }
    void saved(const QString& path, const QString& name);

    void trainingStarted() { startedFrom_ = model_; }
    void follow(std::shared_ptr<const Network> weights) { reading_ = std::move(weights); }
    // The run's model becomes the current one; Revert goes back to the model the run started from.
    void trained(std::shared_ptr<const Network> network, const ModelInfo& info, const QString& name);
    // Nothing came of the run (it failed, or stopped before its first snapshot): the model it
    // started from stays, and so does the Revert point of the run before.
    void trainingCameToNothing() { choose(startedFrom_); }
    bool canRevertTraining() const { return beforeTraining_.network != nullptr; }
    void revertTraining() { choose(beforeTraining_); }

    void taughtModel(std::shared_ptr<const Network> network, const ModelInfo& info, const QString& name);
    void revertTeaching() { choose(teachingBase_); }

private:
    ModelState model_, teachingBase_, beforeTraining_, startedFrom_;
    std::shared_ptr<const Network> reading_;
};

}  // namespace digitpad
