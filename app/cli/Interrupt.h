#pragma once

#include <QObject>

#include <functional>

namespace sg::cli {

// Turns Ctrl-C into a call on the event loop: the first press asks the work to stop cleanly, a
// second one exits at once. Polled every 100 ms; installed for the lifetime of the object.
class Interrupt : public QObject
{
public:
    explicit Interrupt(std::function<void()> onInterrupt, QObject* parent = nullptr);
    ~Interrupt() override;
    bool requested() const;

private:
    std::function<void()> m_onInterrupt;
    bool m_handled = false;
};

} // namespace sg::cli
