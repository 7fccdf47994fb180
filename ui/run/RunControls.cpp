#include "RunControls.h"

#include <QAction>
#include <QComboBox>
#include <QKeySequence>
#include <QLabel>
#include <QToolBar>

namespace sg {

RunControls::RunControls(OptimizerController* controller, QObject* parent) : QObject(parent), m_controller(controller)
{
    m_run = new QAction(tr("&Run"), this);
    m_run->setObjectName(QStringLiteral("runAction"));
    m_run->setShortcut(QKeySequence(Qt::Key_F5));
    m_run->setToolTip(tr("Start an optimisation run of this workspace's skill, or go on from a pause (F5)"));
    m_pause = new QAction(tr("&Pause"), this);
    m_pause->setObjectName(QStringLiteral("pauseAction"));
    m_pause->setShortcut(QKeySequence(Qt::Key_F6));
    m_pause->setToolTip(tr("Hold the run once the current iteration has ended (F6)"));
    m_step = new QAction(tr("S&tep"), this);
    m_step->setObjectName(QStringLiteral("stepAction"));
    m_step->setShortcut(QKeySequence(Qt::Key_F10));
    m_step->setToolTip(tr("Run one iteration, then hold (F10)"));
    m_stop = new QAction(tr("St&op"), this);
    m_stop->setObjectName(QStringLiteral("stopAction"));
    m_stop->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_stop->setToolTip(tr("End the run after the current iteration; the run can be resumed later (Shift+F5)"));

    m_gate = new QComboBox;
    m_gate->setObjectName(QStringLiteral("gateBox"));
    m_gate->addItem(tr("accept-all"), QStringLiteral("accept-all"));
    m_gate->addItem(tr("validate"), QStringLiteral("validate"));
    m_gate->addItem(tr("review"), QStringLiteral("review"));
    m_gate->setItemData(0, tr("Commit every patch that keeps the caps"), Qt::ToolTipRole);
    m_gate->setItemData(1, tr("Commit a patch only when it does not lower the val score"), Qt::ToolTipRole);
    m_gate->setItemData(2, tr("Ask you to accept or reject each patch"), Qt::ToolTipRole);
    m_gate->setToolTip(tr("How an update is gated before it is committed"));

    connect(m_run, &QAction::triggered, this, [this] {
        if (m_controller->state() == OptimizerController::State::Idle)
            Q_EMIT startRequested(false);
        else
            m_controller->resume();
    });
    connect(m_pause, &QAction::triggered, m_controller, &OptimizerController::pause);
    connect(m_step, &QAction::triggered, this, [this] {
        if (m_controller->state() == OptimizerController::State::Idle)
            Q_EMIT startRequested(true);
        else
            m_controller->step();
    });
    connect(m_stop, &QAction::triggered, m_controller, &OptimizerController::stop);
    connect(m_controller, &OptimizerController::stateChanged, this, &RunControls::update);
    update();
}

void RunControls::addTo(QToolBar* toolBar)
{
    toolBar->addAction(m_run);
    toolBar->addAction(m_pause);
    toolBar->addAction(m_step);
    toolBar->addAction(m_stop);
    toolBar->addSeparator();
    auto* label = new QLabel(tr(" Gate: "), toolBar);
    label->setBuddy(m_gate);
    toolBar->addWidget(label);
    toolBar->addWidget(m_gate);
}

QString RunControls::gate() const
{
    return m_gate->currentData().toString();
}

void RunControls::setGate(const QString& gate)
{
    const int i = m_gate->findData(gate);
    if (i >= 0)
        m_gate->setCurrentIndex(i);
}

void RunControls::setAvailable(bool available, const QString& why)
{
    m_available = available;
    m_why = why;
    update();
}

void RunControls::update()
{
    using State = OptimizerController::State;
    const State s = m_controller->state();
    const bool idle = s == State::Idle;
    m_run->setEnabled((idle && m_available) || s == State::Paused || s == State::Pausing);
    m_run->setText(idle ? tr("&Run") : tr("&Continue"));
    m_step->setEnabled((idle && m_available) || s == State::Paused || s == State::Running);
    m_pause->setEnabled(s == State::Running);
    m_stop->setEnabled(s == State::Running || s == State::Paused || s == State::Pausing || s == State::Starting);
    m_gate->setEnabled(idle);
    const QString hint = idle && !m_available ? m_why : QString();
    m_run->setStatusTip(hint);
    m_step->setStatusTip(hint);
}

} // namespace sg
