#include "familiarity_thread.h"

#include "familiar_digits.h"

#include <exception>

namespace digitpad {

FamiliarityThread::FamiliarityThread(QObject* parent) : QObject(parent) {
    connect(this, &FamiliarityThread::posted, this, &FamiliarityThread::deliver, Qt::QueuedConnection);
}

FamiliarityThread::~FamiliarityThread() { stop(); }

void FamiliarityThread::stop() {
    cancel_ = true;
    if (thread_.joinable()) thread_.join();
    cancel_ = false;
    const std::lock_guard lock(mutex_);
    mailbox_.reset();  // a line posted before the stop is of no use
}

void FamiliarityThread::draw(std::shared_ptr<const Network> network) {
    stop();
    if (!network) return;
    thread_ = std::thread([this, network = std::move(network)] {
        Familiarity line;
        try {
            line = builtin_familiarity(*network, &cancel_);
        } catch (const std::exception&) {
            return;  // no line: only unsure answers say so
        }
        if (cancel_) return;
        {
            const std::lock_guard lock(mutex_);
            mailbox_.emplace(network, line);
        }
        emit posted();
    });
}

void FamiliarityThread::deliver() {
    std::optional<std::pair<std::shared_ptr<const Network>, Familiarity>> news;
    {
        const std::lock_guard lock(mutex_);
        news.swap(mailbox_);
    }
    if (news) emit drawn(news->first, news->second);
}

}  // namespace digitpad
