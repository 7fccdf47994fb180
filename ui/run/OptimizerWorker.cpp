#include "OptimizerWorker.h"

#include <QPointer>

namespace sg {

OptimizerWorker::OptimizerWorker(QObject* parent) : QObject(parent) {}

OptimizerWorker::~OptimizerWorker()
{
    shutdown();
}

void OptimizerWorker::start(const OptimizeJob::Request& request, bool holdAfterFirst)
{
    if (m_job) {
        Q_EMIT failedToStart(tr("A run is already going on in this window."));
        return;
    }
    auto prepared = OptimizeJob::prepare(request);
    if (!prepared) {
        Q_EMIT failedToStart(prepared.error().text());
        return;
    }
    std::unique_ptr<OptimizeJob> job = std::move(prepared.value());
    if (auto created = job->createRun(); !created) {
        Q_EMIT failedToStart(created.error().text());
        return;
    }
    m_job = std::move(job);
    Optimizer& optimizer = m_job->optimizer();
    connect(&optimizer, &Optimizer::stage, this, &OptimizerWorker::stage);
    connect(&optimizer, &Optimizer::iterationFinished, this, &OptimizerWorker::iterationFinished);
    connect(&optimizer, &Optimizer::held, this, &OptimizerWorker::held);
    connect(&optimizer, &Optimizer::released, this, &OptimizerWorker::released);
    connect(&optimizer, &Optimizer::finished, this, [this] {
        const RunSummary summary = m_job->optimizer().summary();
        // Another run (from this window or the CLI) may start as soon as the window hears of it.
        m_job->releaseLock();
        release();
        Q_EMIT finished(summary);
    });
    if (m_job->options().gate == QLatin1String("review")) {
        QPointer<OptimizerWorker> self(this);
        optimizer.setReviewer([self](const ReviewRequest& asked, std::function<void(Decision)> answer) {
            if (!self) {
                answer(Decision{});
                return;
            }
            self->m_answer = std::move(answer);
            Q_EMIT self->reviewRequested(asked);
        });
    }
    Q_EMIT started(m_job->store().id(), m_job->store().dir(), m_job->session().simulated());
    if (holdAfterFirst)
        optimizer.step();
    optimizer.start();
}

void OptimizerWorker::pause()
{
    if (m_job)
        m_job->optimizer().pause();
}

void OptimizerWorker::resume()
{
    if (m_job)
        m_job->optimizer().resume();
}

void OptimizerWorker::step()
{
    if (m_job)
        m_job->optimizer().step();
}

void OptimizerWorker::stop()
{
    if (m_job)
        m_job->optimizer().requestStop();
}

void OptimizerWorker::cancel()
{
    if (!m_job)
        return;
    // A pending review is answered first (rejected), so the iteration can wind down.
    if (m_answer)
        answer(Decision{});
    m_job->optimizer().cancel();
}

void OptimizerWorker::answer(const Decision& decision)
{
    if (!m_answer)
        return;
    auto answerNow = std::move(m_answer);
    m_answer = nullptr;
    answerNow(decision);
}

void OptimizerWorker::shutdown()
{
    if (!m_job)
        return;
    m_answer = nullptr;
    m_job->optimizer().cancel();
    // Not inside any of the run's own calls here, so it can go at once: the lock is released and
    // the run stays resumable (its last completed step is in its events).
    disconnect(&m_job->optimizer(), nullptr, this, nullptr);
    m_job.reset();
}

void OptimizerWorker::release()
{
    // Deleted later: this may be called from the optimizer's own signal.
    if (m_job) {
        OptimizeJob* job = m_job.release();
        Optimizer* optimizer = &job->optimizer();
        disconnect(optimizer, nullptr, this, nullptr);
        QMetaObject::invokeMethod(this, [job] { delete job; }, Qt::QueuedConnection);
    }
}

} // namespace sg
