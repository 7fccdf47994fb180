#pragma once

#include "OptimizerController.h"

#include <QObject>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace sg {

class RunTimeline;

// The run's state in the status bar: the current stage or message, a slim progress bar, "iteration
// N of M · state · about T left", and the SIMULATED badge when the scores come from sim.
class RunStatus : public QObject
{
    Q_OBJECT
public:
    RunStatus(QStatusBar* bar, QObject* parent);

    void setMessage(const QString& text);
    void setSimulated(bool simulated);
    // `ownRun`: the window's worker runs it; else `otherProcess` says whether a CLI run holds the
    // workspace's lock. `runId` is the followed run.
    void update(const RunTimeline& timeline, const OptimizerController& controller, bool otherProcess, const QString& runId);

    static QString formatDuration(double seconds);

private:
    QLabel* m_stage = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_eta = nullptr;
    QLabel* m_badge = nullptr;
};

} // namespace sg
