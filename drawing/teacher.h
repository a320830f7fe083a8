// Teaching on a thread of its own, so that the window stays responsive: start() hands over a
// model and drawings; the thread teaches (teach.h), measures the model on the rehearsal digits
// never taught and leaves the report in a mailbox (finished() then fires on the UI thread);
// then it teaches a trial model without some drawings, to measure it on them (measured()).
// One teach at a time: the next can start once measured() has fired.
#pragma once

#include "teach.h"

#include <QObject>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace digitpad {

struct TeachReport {
    std::shared_ptr<const Network> network;  // the taught model; null when stopped or failed
    QString error;                           // why it failed, for a person
    std::size_t drawings = 0;
    double seconds = 0;        // the teach itself (the trial teach after it not included)
    double rehearsalBefore = 0, rehearsalAfter = 0;  // on the kRehearsalCheck digits never taught
};

class Teacher : public QObject {
    Q_OBJECT
public:
    explicit Teacher(QObject* parent = nullptr);
    ~Teacher() override;  // stops a teach in progress and waits for it

    // False (and nothing started) while a teach runs.
    bool start(std::shared_ptr<const Network> model, std::vector<StrokeRecord> drawings, TeachOptions options = {});
    bool isTeaching() const { return thread_.joinable(); }
    void stop() { control_.stop.store(true); }

signals:
    void progress(double done);  // 0..1
    void finished(const digitpad::TeachReport& report);
    void measured(const digitpad::HeldOut& heldOut);  // on drawings the trial teach did not see; last
    // From the teaching thread, no payload: news in the mailbox (connected queued to the UI
    // thread, as TrainingWorker::updated is: the hand-over stays inside Qt and the mutex).
    void progressPosted();
    void reportPosted();

private:
    void run(std::shared_ptr<const Network> model, std::vector<StrokeRecord> drawings, TeachOptions options);
    void post(double done);
    void takeProgress();
    void deliver();

    std::thread thread_;
    TrainingControl control_;
    std::optional<Rehearsal> rehearsal_;  // read on the first teach, by the teaching thread
    std::mutex mutex_;                    // guards the mailbox below
    double done_ = 0;
    bool progressPosted_ = false;
    std::optional<TeachReport> report_;
    std::optional<HeldOut> heldOut_;  // set last, as the thread ends
};

}  // namespace digitpad
