// Training has an owner: the session holds the worker's thread and the worker, starts runs,
// pauses and stops them, and hands on what the worker posts, on the UI thread, as signals.
// The panel is the form and the progress; the session is the run.
#pragma once

#include "training_worker.h"

#include <QObject>
#include <QThread>

namespace digitpad {

class TrainingSession : public QObject {
    Q_OBJECT
public:
    explicit TrainingSession(QObject* parent = nullptr);
    ~TrainingSession() override;  // shutdown()

    void start(const TrainingRequest& request);  // nothing while a run is going, or after shutdown()
    void setPaused(bool paused);
    void stop();                                 // after the batch in flight
    void step();                                 // while paused: one batch
    void stepEpoch();                            // while paused: the rest of the epoch
    void setEta(float eta);                      // the base η, from the next batch on
    bool isPaused() const;
    bool isTraining() const { return training_; }
    // Stops the run and joins the thread (for closing the window); the session trains no more.
    void shutdown();
    bool isShutDown() const { return worker_ == nullptr; }

signals:
    void preparing(const digitpad::Preparation& preparation);  // drawings rendered before the first batch
    void progressed(const digitpad::TrainingProgress& progress);
    void epochEnded(const digitpad::EpochSummary& epoch);
    void snapshot(std::shared_ptr<const digitpad::Network> network);  // the weights as they learn
    void tested(std::shared_ptr<const digitpad::TestReport> report);  // after each epoch
    void ended(const digitpad::TrainingResult& result);

private:
    void takeUpdate();  // the worker has news

    QThread thread_;
    TrainingWorker* worker_;
    bool training_ = false;
};

}  // namespace digitpad
