#pragma once

#include "RunTimeline.h"

#include <nlohmann/json.hpp>

#include <QObject>
#include <QString>

#include <vector>

class QFileSystemWatcher;
class QTimer;

namespace sg {

class EventFollower;

// Follows a workspace's newest optimize run live (DESIGN.md 3): whichever process runs it — the
// Studio's own worker or `skillgrad optimize` in a terminal — its events.jsonl is read as it
// grows and folded into a RunTimeline. A newer run appearing under runs/ is followed instead.
class RunFollower : public QObject
{
    Q_OBJECT
public:
    explicit RunFollower(QObject* parent = nullptr);
    ~RunFollower() override;

    // Follows the newest optimize run under `workspaceRoot`/runs and watches for newer ones.
    void setWorkspace(const QString& workspaceRoot);
    // Follows this run (a folder under runs/) from its first event.
    void followRun(const QString& runDir);
    void stop();
    // Reads what is new now (the file watcher and a poll do this on their own).
    void poll();

    QString runId() const;
    QString runDir() const { return m_runDir; }
    const RunTimeline& timeline() const { return m_timeline; }
    // Whether an optimizer holds runs/.lock in this workspace now (any process).
    bool runInProgress() const;

    // The newest optimize-* folder under `runsDir`, or empty.
    static QString newestRun(const QString& runsDir);

Q_SIGNALS:
    void runChanged(const QString& runId, const QString& runDir);
    // New events were folded into the timeline (they are given for the log panel).
    void eventsArrived(const std::vector<nlohmann::json>& events);

private:
    void checkForNewerRun();

    EventFollower* m_events = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_timer = nullptr;
    QString m_root;
    QString m_runDir;
    RunTimeline m_timeline;
};

} // namespace sg
