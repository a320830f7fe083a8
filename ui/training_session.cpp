#include "training_session.h"

namespace digitpad {

TrainingSession::TrainingSession(QObject* parent) : QObject(parent), worker_(new TrainingWorker) {
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &TrainingWorker::updated, this, &TrainingSession::takeUpdate);  // queued: another thread
    thread_.setObjectName("training");
    thread_.start();
}

TrainingSession::~TrainingSession() { shutdown(); }

void TrainingSession::start(const TrainingRequest& request) {
    if (training_ || !worker_) return;
    training_ = true;
    worker_->start(request);
}

void TrainingSession::setPaused(bool paused) {
    if (training_ && worker_) worker_->setPaused(paused);
}

void TrainingSession::stop() {
    if (training_ && worker_) worker_->stop();
}

void TrainingSession::step() {
    if (training_ && worker_ && worker_->isPaused()) worker_->step();
}

void TrainingSession::stepEpoch() {
    if (training_ && worker_ && worker_->isPaused()) worker_->stepEpoch();
}

void TrainingSession::setEta(float eta) {
    if (training_ && worker_ && eta > 0) worker_->setEta(eta);
}

bool TrainingSession::isPaused() const { return worker_ && worker_->isPaused(); }

void TrainingSession::shutdown() {
    if (!worker_) return;
    worker_->stop();
    thread_.quit();
    thread_.wait();  // the worker is deleted as its thread finishes
    // updated() signals may still be queued for this session: they must find no worker.
    worker_ = nullptr;
    training_ = false;
}

void TrainingSession::takeUpdate() {
    if (!worker_) return;  // a signal queued before shutdown()
    const TrainingUpdate u = worker_->takeUpdate();
    if (u.preparation && !u.progress) emit preparing(*u.preparation);
    if (u.progress) emit progressed(*u.progress);
    for (const EpochSummary& e : u.epochs) emit epochEnded(e);
    if (u.snapshot && training_) emit snapshot(u.snapshot);
    if (u.report) emit tested(u.report);
    if (u.result) {
        training_ = false;
        emit ended(*u.result);
    }
}

}  // namespace digitpad
