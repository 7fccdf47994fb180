#pragma once

#include "optim/OptimizeJob.h"
#include "optim/Review.h"

#include <QObject>

#include <functional>
#include <memory>

namespace sg {

// The optimizer's side of the Studio: lives on the controller's worker thread, owns the run (its
// LLM session and network managers are made here, after the move) and drives it on that thread's
// event loop. The window reaches it only through queued calls, and hears from it only through
// queued signals carrying values (DESIGN.md 10).
class OptimizerWorker : public QObject
{
    Q_OBJECT
public:
    explicit OptimizerWorker(QObject* parent = nullptr);
    ~OptimizerWorker() override;

    // Slots, called through queued invocations from the UI thread.
    void start(const sg::OptimizeJob::Request& request, bool holdAfterFirst);
    void pause();
    void resume();
    void step();
    void stop();
    void cancel();
    void answer(const sg::Decision& decision);
    // Cancels any run and releases it at once (the window is closing).
    void shutdown();

Q_SIGNALS:
    void started(const QString& runId, const QString& runDir, bool simulated);
    void failedToStart(const QString& message);
    void stage(const QString& description);
    void iterationFinished(const sg::IterationSummary& summary);
    void held(int nextIteration);
    void released();
    void reviewRequested(const sg::ReviewRequest& request);
    void finished(const sg::RunSummary& summary);

private:
    void release();

    std::unique_ptr<OptimizeJob> m_job;
    std::function<void(Decision)> m_answer;
};

} // namespace sg
