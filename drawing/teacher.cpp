#include "teacher.h"


#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace digitpad {
namespace {
constexpr int kNice = 5;
}  // namespace

Teacher::Teacher(QObject* parent) : QObject(parent) {
    connect(this, &Teacher::progressPosted, this, &Teacher::takeProgress, Qt::QueuedConnection);
    connect(this, &Teacher::reportPosted, this, &Teacher::deliver, Qt::QueuedConnection);
}

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
#ifdef __linux__
    // Below the UI thread, and so are the threads it starts (rendering, the products): when
    // both want the cores, the window's own work goes first. Linux's nice is per thread.
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice);
#endif
    TeachReport report;
    bool taught = false;
    try {
        if (!rehearsal_) rehearsal_ = builtin_rehearsal();
        // The teach is the first 60% of the bar, the trial teach for the held-out figure the rest.
        const Teaching t = teach(*model, drawings, rehearsal_->teach, options, &control_, [this](double d) { post(0.6 * d); });
        if (t.outcome == TrainingOutcome::finished) {
            report.network = std::make_shared<const Network>(t.network);
            report.drawings = t.drawings;
            report.seconds = t.seconds;
            report.rehearsalBefore = evaluate(*model, rehearsal_->check).accuracy;
            report.rehearsalAfter = evaluate(t.network, rehearsal_->check).accuracy;
            taught = true;
        } else if (t.outcome == TrainingOutcome::diverged) {
            report.error = tr("Teaching diverged; the model is as it was.");
        }
    } catch (const std::exception& e) {
        report.error = QString::fromStdString(e.what());
    }
    {
        const std::lock_guard lock(mutex_);
        report_ = std::move(report);
    }
    emit reportPosted();
    HeldOut held;
    if (taught) held = held_out_accuracy(*model, drawings, rehearsal_->teach, options, &control_,
                                         [this](double d) { post(0.6 + 0.4 * d); });
    {
        const std::lock_guard lock(mutex_);
        heldOut_ = held;
    }
    emit reportPosted();
}

void Teacher::post(double done) {
    {
        const std::lock_guard lock(mutex_);
        done_ = done;
        if (progressPosted_) return;  // the UI has not taken the last one yet
        progressPosted_ = true;
    }
    emit progressPosted();
}

void Teacher::takeProgress() {
    double done;
    {
        const std::lock_guard lock(mutex_);
        done = done_;
        progressPosted_ = false;
    }
    emit progress(done);
}

void Teacher::deliver() {
    std::optional<TeachReport> report;
    std::optional<HeldOut> held;
    {
        const std::lock_guard lock(mutex_);
        report.swap(report_);
        held.swap(heldOut_);
    }
    if (held && thread_.joinable()) thread_.join();  // it has posted its last word and is ending
    if (report) emit finished(*report);
    if (held) emit measured(*held);
}

}  // namespace digitpad
