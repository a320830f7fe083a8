// Drawing a model's line between digits and the rest (familiar_digits.h) on a thread of its
// own: about 50 ms of inference, off the UI thread. draw() hands over a network; drawn() then
// fires on this object's thread with that network and its line. Handed over as the teacher
// does (teacher.h): a std::thread per line, the result in a mailbox under a mutex and a
// queued signal without payload, so ThreadSanitizer sees every hand-over (a thread pool's
// happen inside Qt, where it cannot).
#pragma once

#include "familiarity.h"
#include "network.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace digitpad {

class FamiliarityThread : public QObject {
    Q_OBJECT
public:
    explicit FamiliarityThread(QObject* parent = nullptr);
    ~FamiliarityThread() override;  // stop()

    // Stops the line being drawn, if any, and starts on `network`'s.
    void draw(std::shared_ptr<const Network> network);
    // Stops the line being drawn and waits for it (an image's inference; the first time, perhaps
    // the rehearsal digits' loading); it is never delivered.
    void stop();

signals:
    void drawn(std::shared_ptr<const digitpad::Network> network, digitpad::Familiarity line);
    void posted();  // from the thread, no payload: a line in the mailbox

private:
    void deliver();

    std::thread thread_;
    std::atomic<bool> cancel_{false};
    std::mutex mutex_;  // guards the mailbox
    std::optional<std::pair<std::shared_ptr<const Network>, Familiarity>> mailbox_;
};

}  // namespace digitpad
