#include "OptimizerController.h"

#include "OptimizerWorker.h"

#include <QThread>

Q_DECLARE_METATYPE(sg::OptimizeJob::Request)
Q_DECLARE_METATYPE(sg::IterationSummary)
Q_DECLARE_METATYPE(sg::RunSummary)
Q_DECLARE_METATYPE(sg::ReviewRequest)
Q_DECLARE_METATYPE(sg::Decision)

namespace sg {

OptimizerController::OptimizerController(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<sg::IterationSummary>();
    qRegisterMetaType<sg::RunSummary>();
    qRegisterMetaType<sg::ReviewRequest>();
    qRegisterMetaType<sg::Decision>();
    qRegisterMetaType<sg::OptimizeJob::Request>();

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("optimizer"));
    m_worker = new OptimizerWorker; // no parent: it moves to the thread
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    // Worker → window: queued, because the receiver lives on this (the UI) thread.
    connect(m_worker, &OptimizerWorker::started, this, [this](const QString& id, const QString& dir, bool simulated) {
        m_runId = id;
        m_runDir = dir;
        setState(State::Running);
        Q_EMIT started(id, dir, simulated);
    });
    connect(m_worker, &OptimizerWorker::failedToStart, this, [this](const QString& message) {
        setState(State::Idle);
        Q_EMIT failedToStart(message);
    });
    connect(m_worker, &OptimizerWorker::stage, this, &OptimizerController::stage);
    connect(m_worker, &OptimizerWorker::iterationFinished, this, &OptimizerController::iterationFinished);
    connect(m_worker, &OptimizerWorker::held, this, [this](int) {
        if (m_state != State::Stopping)
            setState(State::Paused);
    });
    connect(m_worker, &OptimizerWorker::released, this, [this] {
        if (m_state == State::Paused)
            setState(State::Running);
    });
    connect(m_worker, &OptimizerWorker::reviewRequested, this, [this](const ReviewRequest& request) {
        m_awaitingReview = true;
        Q_EMIT reviewRequested(request);
    });
    connect(m_worker, &OptimizerWorker::finished, this, [this](const RunSummary& summary) {
        m_awaitingReview = false;
        setState(State::Idle);
        Q_EMIT finished(summary);
    });
    m_thread->start();
}

OptimizerController::~OptimizerController()
{
    // The run is cancelled and released on its own thread before the thread ends: runs/.lock is
    // let go, and the run can be resumed later from its last completed step.
    QMetaObject::invokeMethod(m_worker, &OptimizerWorker::shutdown, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

QString OptimizerController::stateName(State state)
{
    switch (state) {
    case State::Idle: return tr("idle");
    case State::Starting: return tr("starting");
    case State::Running: return tr("running");
    case State::Pausing: return tr("pausing after this iteration");
    case State::Paused: return tr("paused");
    case State::Stopping: return tr("stopping after this iteration");
    }
    return {};
}

void OptimizerController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void OptimizerController::start(const OptimizeJob::Request& request, bool holdAfterFirst)
{
    if (m_state != State::Idle)
        return;
    m_runId.clear();
    m_runDir.clear();
    setState(State::Starting);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, request, holdAfterFirst] { worker->start(request, holdAfterFirst); }, Qt::QueuedConnection);
}

void OptimizerController::pause()
{
    if (m_state != State::Running)
        return;
    setState(State::Pausing);
    QMetaObject::invokeMethod(m_worker, &OptimizerWorker::pause, Qt::QueuedConnection);
}

void OptimizerController::resume()
{
    if (m_state != State::Paused && m_state != State::Pausing)
        return;
    setState(State::Running);
    QMetaObject::invokeMethod(m_worker, &OptimizerWorker::resume, Qt::QueuedConnection);
}

void OptimizerController::step()
{
    if (m_state != State::Paused && m_state != State::Running)
        return;
    if (m_state == State::Running)
        setState(State::Pausing);
    QMetaObject::invokeMethod(m_worker, &OptimizerWorker::step, Qt::QueuedConnection);
}

void OptimizerController::stop()
{
    if (m_state == State::Idle || m_state == State::Stopping)
        return;
    setState(State::Stopping);
    QMetaObject::invokeMethod(m_worker, &OptimizerWorker::stop, Qt::QueuedConnection);
}

void OptimizerController::cancel()
{
    if (m_state == State::Idle)
        return;
    setState(State::Stopping);
    m_awaitingReview = false;
    QMetaObject::invokeMethod(m_worker, &OptimizerWorker::cancel, Qt::QueuedConnection);
}

void OptimizerController::answerReview(const Decision& decision)
{
    if (!m_awaitingReview)
        return;
    m_awaitingReview = false;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, decision] { worker->answer(decision); }, Qt::QueuedConnection);
}

} // namespace sg
