#include "teacher.h"

#include <QMetaObject>

namespace digitpad {

Teacher::Teacher(QObject* parent) : QObject(parent) {}

Teacher::~Teacher() {
    stop();
    if (thread_.joinable()) thread_.join();
}

bool Teacher::start(std::shared_ptr<const Network> model, std::vector<StrokeRecord> drawings, TeachOptions options) {
    if (thread_.joinable() || !model) return false;
    control_.stop.store(false);
    thread_ = std::thread(&Teacher::run, this, std::move(model), std::move(drawings), options);
    return true;
}

void Teacher::run(std::shared_ptr<const Network> model, std::vector<StrokeRecord> drawings, TeachOptions options) {
    TeachReport report;
    try {
        if (!rehearsal_) rehearsal_ = builtin_rehearsal();
        // The teach is the first 60% of the bar, the trial teach for the held-out figure the rest.
        const Teaching taught =
            teach(*model, drawings, rehearsal_->teach, options, &control_, [this](double d) { post(0.6 * d); });
        if (taught.outcome == TrainingOutcome::finished) {
            report.network = std::make_shared<const Network>(taught.network);
            report.drawings = taught.drawings;
            report.seconds = taught.seconds;
            report.heldOut = held_out_accuracy(*model, drawings, rehearsal_->teach, options, &control_,
                                               [this](double d) { post(0.6 + 0.4 * d); });
            report.rehearsalBefore = evaluate(*model, rehearsal_->check).accuracy;
            report.rehearsalAfter = evaluate(taught.network, rehearsal_->check).accuracy;
        } else if (taught.outcome == TrainingOutcome::diverged) {
            report.error = tr("Teaching diverged; the model is as it was.");
        }
    } catch (const std::exception& e) {
        report.error = QString::fromStdString(e.what());
    }
    {
        const std::lock_guard lock(mutex_);
        report_ = std::move(report);
    }
    QMetaObject::invokeMethod(this, &Teacher::deliver, Qt::QueuedConnection);
}

void Teacher::post(double done) {
    {
        const std::lock_guard lock(mutex_);
        done_ = done;
        if (progressPosted_) return;  // the UI has not taken the last one yet
        progressPosted_ = true;
    }
    QMetaObject::invokeMethod(
        this,
        [this] {
            double done;
            {
                const std::lock_guard lock(mutex_);
                done = done_;
                progressPosted_ = false;
            }
            emit progress(done);
        },
        Qt::QueuedConnection);
}

void Teacher::deliver() {
    std::optional<TeachReport> report;
    {
        const std::lock_guard lock(mutex_);
        report.swap(report_);
    }
    if (thread_.joinable()) thread_.join();  // it has posted its last word and is ending
    if (report) emit finished(*report);
}

}  // namespace digitpad
