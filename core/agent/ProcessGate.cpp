#include "ProcessGate.h"

#include <QMetaObject>

namespace sg {

void ProcessGate::acquire(std::function<void()> start)
{
    if (m_running < m_limit) {
        ++m_running;
        start();
        return;
    }
    m_waiting.push_back(std::move(start));
}

void ProcessGate::release()
{
    if (m_waiting.empty()) {
        m_running = std::max(0, m_running - 1);
        return;
    }
    // The slot passes straight to the next waiter, on the next turn of the event loop.
    auto next = std::move(m_waiting.front());
    m_waiting.pop_front();
    QMetaObject::invokeMethod(this, std::move(next), Qt::QueuedConnection);
}

} // namespace sg
