#pragma once

#include <QObject>

#include <deque>
#include <functional>

namespace sg {

// At most N sandboxed processes at once across all the tasks of a run; the rest wait their turn
// (an LLM call in flight costs nothing locally, a python process costs a core).
class ProcessGate : public QObject
{
    Q_OBJECT
public:
    explicit ProcessGate(int limit, QObject* parent = nullptr) : QObject(parent), m_limit(std::max(1, limit)) {}
    // Runs `start` now or when a slot frees; `start` must lead to exactly one release().
    void acquire(std::function<void()> start);
    void release();
    int running() const { return m_running; }

private:
    int m_limit;
    int m_running = 0;
    std::deque<std::function<void()>> m_waiting;
};

} // namespace sg
