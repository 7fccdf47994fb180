#include "Clock.h"

#include <QElapsedTimer>
#include <QTimer>

namespace sg {

namespace {

class SystemClock final : public Clock
{
public:
    SystemClock() { m_timer.start(); }
    qint64 nowMs() const override { return m_timer.elapsed(); }
    void callAfter(qint64 delayMs, QObject* context, std::function<void()> fn) override
    {
        QTimer::singleShot(std::chrono::milliseconds(std::max<qint64>(0, delayMs)), Qt::PreciseTimer, context, std::move(fn));
    }

private:
    QElapsedTimer m_timer;
};

} // namespace

Clock* Clock::system()
{
    static SystemClock clock;
    return &clock;
}

} // namespace sg
