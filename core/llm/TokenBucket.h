#pragma once

#include <QtGlobal>

namespace sg {

// A token bucket for "N per minute" limits (requests or tokens). It starts full, refills
// continuously, and may run into debt when the real cost turns out above the estimate.
class TokenBucket
{
public:
    explicit TokenBucket(double perMinute = 0); // 0: unlimited

    bool limited() const { return m_capacity > 0; }
    // How long until `amount` can be taken (0: now). Amounts above the capacity count as the
    // capacity, so one large request is never stuck forever.
    qint64 waitMs(double amount, qint64 nowMs);
    void take(double amount, qint64 nowMs);
    // Corrects an earlier estimate by the difference (positive: it cost more).
    void adjust(double delta, qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_capacity = 0;
    double m_level = 0;
    double m_perMs = 0;
    qint64 m_last = -1;
};

} // namespace sg
