#pragma once

#include "agent/Trajectory.h"
#include "common/Result.h"
#include "run/IterationArtifacts.h"

#include <QFutureWatcher>
#include <QWidget>

#include <map>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QTabWidget;
class QToolButton;

namespace sg {

class GradientsView;
class MomentumView;
class TrajectoryView;

// One iteration of a run, looked at closely (issue 11): its diagnoses ("Gradients"), the pattern
// record and overlay with what changed since the previous iteration ("Momentum"), and any task's
// trajectory ("Trajectory"), with an iteration picker above. Artifacts are read on QtConcurrent
// threads; the UI thread never waits. A run still being written is fine: files an iteration has
// not written yet are shown as "not yet", and refresh() reads them again.
class IterationInspector : public QWidget
{
    Q_OBJECT
public:
    enum Tab { GradientsTab, MomentumTab, TrajectoryTab };

    explicit IterationInspector(QWidget* parent = nullptr);
    ~IterationInspector() override;

    // runs/<run-id>/; empty to show nothing. Shows the run's latest iteration and follows new
    // ones on refresh() until the reader picks an earlier one.
    void setRun(const QString& runDir);
    QString run() const { return m_runDir; }
    void showIteration(int iteration);
    // Switches to the Trajectory tab and loads `task`'s trajectory of `iteration`.
    void showTrajectory(int iteration, const QString& task);
    // Reads the run's folder again (new iterations, files written since).
    void refresh();

    // The iteration shown; -1 before the first load.
    int iteration() const { return m_artifacts ? m_artifacts->iteration() : -1; }
    const std::optional<IterationArtifacts>& artifacts() const { return m_artifacts; }
    bool isLoading() const;
    // The line above the tabs (scores, decision), and the damaged files' errors.
    QString statusText() const;
    QString errorText() const;

    GradientsView* gradientsView() const { return m_gradients; }
    MomentumView* momentumView() const { return m_momentum; }
    TrajectoryView* trajectoryView() const { return m_trajectory; }
    QTabWidget* tabs() const { return m_tabs; }
    QComboBox* iterationPicker() const { return m_picker; }

Q_SIGNALS:
    // An iteration's artifacts are shown (after setRun, showIteration or refresh).
    void loaded();
    // A trajectory asked for is shown (or its error is).
    void trajectoryShown();

private:
    struct Snapshot
    {
        QString runDir;
        int requested = -1;
        std::vector<int> iterations;
        std::map<int, QString> endings; // iteration → decision kind; "" when not written yet
        std::optional<IterationArtifacts> current;
        std::optional<IterationArtifacts> previous;
        std::optional<Error> error;
    };
    struct TrajectoryLoad
    {
        QString runDir;
        int iteration = -1;
        QString task;
        std::optional<Trajectory> trajectory;
        std::optional<Error> error;
    };

    static Snapshot readSnapshot(const QString& runDir, int iteration);
    static TrajectoryLoad readTrajectory(const QString& runDir, int iteration, const QString& task);
    void startLoad();
    void onLoaded();
    void apply(const Snapshot& snapshot);
    void startTrajectoryLoad();
    void onTrajectoryLoaded();
    void showLoadedTrajectory(const TrajectoryLoad& t);
    void updatePicker(const Snapshot& snapshot);
    void updateStatus();
    void showRunMessage(const QString& text);

    QComboBox* m_picker = nullptr;
    QToolButton* m_refresh = nullptr;
    QLabel* m_simulated = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_errors = nullptr;
    QTabWidget* m_tabs = nullptr;
    GradientsView* m_gradients = nullptr;
    MomentumView* m_momentum = nullptr;
    TrajectoryView* m_trajectory = nullptr;

    QFutureWatcher<Snapshot> m_loadWatcher;
    QFutureWatcher<TrajectoryLoad> m_trajectoryWatcher;

    QString m_runDir;
    int m_requested = -1; // the iteration asked for; -1 for the latest
    bool m_follow = true; // move to new iterations as they appear
    bool m_loadAgain = false;
    int m_latest = -1;
    std::optional<IterationArtifacts> m_artifacts;
    // The trajectory asked for; its iteration is -1 when none is.
    int m_trajectoryIteration = -1;
    QString m_trajectoryTask;
    bool m_trajectoryAgain = false;
    std::optional<TrajectoryLoad> m_waitingTrajectory; // loaded before its iteration was
};

} // namespace sg
