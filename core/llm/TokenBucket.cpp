#include "TokenBucket.h"

#include <algorithm>
#include <cmath>

namespace sg {

TokenBucket::TokenBucket(double perMinute) : m_capacity(std::max(0.0, perMinute)), m_level(m_capacity), m_perMs(m_capacity / 60000.0) {}

void TokenBucket::refill(qint64 nowMs)
{
    if (m_last >= 0 && nowMs > m_last)
        m_level = std::min(m_capacity, m_level + double(nowMs - m_last) * m_perMs);
    m_last = std::max(m_last, nowMs);
}

qint64 TokenBucket::waitMs(double amount, qint64 nowMs)
{
    if (!limited())
        return 0;
    refill(nowMs);
    const double need = std::min(amount, m_capacity) - m_level;
    return need <= 0 ? 0 : qint64(std::ceil(need / m_perMs));
}

void TokenBucket::take(double amount, qint64 nowMs)
{
    if (!limited())
        return;
    refill(nowMs);
    m_level -= std::min(amount, m_capacity);
}

void TokenBucket::adjust(double delta, qint64 nowMs)
{
    if (!limited())
        return;
    refill(nowMs);
    m_level = std::min(m_capacity, m_level - delta);
}

} // namespace sg
