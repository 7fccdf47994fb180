#include "VirtualClock.h"

#include <QTimer>

namespace sg::test {

void VirtualClock::callAfter(qint64 delayMs, QObject* context, std::function<void()> fn)
{
    m_due.emplace(std::make_pair(m_now + std::max<qint64>(0, delayMs), m_sequence++), Pending{context, std::move(fn)});
    QTimer::singleShot(0, this, [this] { fireNext(); });
}

void VirtualClock::fireNext()
{
    if (m_due.empty())
        return;
    auto it = m_due.begin();
    m_now = std::max(m_now, it->first.first);
    Pending pending = std::move(it->second);
    m_due.erase(it);
    if (pending.context)
        pending.fn();
}

} // namespace sg::test
