#pragma once

#include "llm/Clock.h"

#include <QObject>
#include <QPointer>

#include <map>

namespace sg::test {

// A clock whose waits take no real time: whenever the event loop turns, the earliest pending
// wait "elapses" at once and virtual time jumps to it. Backoff of minutes runs in milliseconds,
// and the scheduler's records show the virtual spacing exactly.
class VirtualClock : public QObject, public Clock
{
public:
    qint64 nowMs() const override { return m_now; }
    void callAfter(qint64 delayMs, QObject* context, std::function<void()> fn) override;
    void advance(qint64 ms) { m_now += ms; }
    int pendingWaits() const { return int(m_due.size()); }

private:
    void fireNext();

    struct Pending
    {
        QPointer<QObject> context;
        std::function<void()> fn;
    };
    qint64 m_now = 1000;
    quint64 m_sequence = 0;
    std::multimap<std::pair<qint64, quint64>, Pending> m_due;
};

} // namespace sg::test
