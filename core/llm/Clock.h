#pragma once

#include <QObject>

#include <functional>

namespace sg {

// Time for the scheduler's waits (backoff, rate limits, retry-after) and its records. Injectable
// so tests can run minutes of backoff in no real time. I/O timeouts do not use it: they guard
// real sockets and run on real timers.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0;
    // Runs `fn` on `context`'s thread after `delayMs`, unless `context` is destroyed first.
    virtual void callAfter(qint64 delayMs, QObject* context, std::function<void()> fn) = 0;

    // The real clock: a monotonic timer and QTimer.
    static Clock* system();
};

} // namespace sg
