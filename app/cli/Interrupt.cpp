#include "Interrupt.h"

#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdlib>

namespace sg::cli {

namespace {

std::atomic<int> g_presses{0};

void onSignal(int)
{
    if (++g_presses >= 2)
        std::_Exit(130);
}

} // namespace

Interrupt::Interrupt(std::function<void()> onInterrupt, QObject* parent) : QObject(parent), m_onInterrupt(std::move(onInterrupt))
{
    g_presses = 0;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, [this] {
        if (g_presses > 0 && !m_handled) {
            m_handled = true;
            m_onInterrupt();
        }
    });
    timer->start(100);
}

Interrupt::~Interrupt()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

bool Interrupt::requested() const
{
    return g_presses > 0;
}

} // namespace sg::cli
