#pragma once

#include "optim/OptimizeJob.h"
#include "optim/Review.h"

#include <QObject>

class QThread;

namespace sg {

class OptimizerWorker;

// Owns the optimizer's worker thread (DESIGN.md 10) and keeps the run's state for the window:
// every call returns at once, every answer comes back as a queued signal with values. The UI
// thread never waits on the run — except when the controller is destroyed, which cancels the run
// and joins the thread.
class OptimizerController : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Starting, Running, Pausing, Paused, Stopping };
    Q_ENUM(State)

    explicit OptimizerController(QObject* parent = nullptr);
    ~OptimizerController() override;

    // A new run (or a resumed one, with request.resume set). With `holdAfterFirst` the run holds
    // after its first iteration (the Studio's "Step" with nothing running).
    void start(const OptimizeJob::Request& request, bool holdAfterFirst = false);
    void pause();    // holds after the current iteration
    void resume();   // goes on from a hold
    void step();     // one more iteration, then holds
    void stop();     // ends after the current iteration (a hold ends at once)
    void cancel();   // ends now; calls in flight are cancelled
    void answerReview(const Decision& decision);

    State state() const { return m_state; }
    bool busy() const { return m_state != State::Idle; }
    QString runId() const { return m_runId; }
    QString runDir() const { return m_runDir; }
    bool awaitingReview() const { return m_awaitingReview; }
    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(sg::OptimizerController::State state);
    void started(const QString& runId, const QString& runDir, bool simulated);
    void failedToStart(const QString& message);
    void stage(const QString& description);
    void iterationFinished(const sg::IterationSummary& summary);
    void reviewRequested(const sg::ReviewRequest& request);
    void finished(const sg::RunSummary& summary);

private:
    void setState(State state);

    QThread* m_thread = nullptr;
    OptimizerWorker* m_worker = nullptr;
    State m_state = State::Idle;
    QString m_runId;
    QString m_runDir;
    bool m_awaitingReview = false;
};

} // namespace sg
