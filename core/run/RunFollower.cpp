#include "RunFollower.h"

#include "EventFollower.h"
#include "RunLock.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace sg {

namespace {

constexpr int kRunsPollMs = 1000;

} // namespace

RunFollower::RunFollower(QObject* parent) : QObject(parent)
{
    m_events = new EventFollower(this);
    connect(m_events, &EventFollower::eventsArrived, this, [this](const std::vector<nlohmann::json>& events) {
        for (const nlohmann::json& e : events)
            m_timeline.apply(e);
        Q_EMIT eventsArrived(events);
    });
    connect(m_events, &EventFollower::restarted, this, [this] {
        m_timeline.clear();
        Q_EMIT runChanged(runId(), m_runDir);
    });
    m_timer = new QTimer(this);
    m_timer->setInterval(kRunsPollMs);
    connect(m_timer, &QTimer::timeout, this, &RunFollower::checkForNewerRun);
}

RunFollower::~RunFollower() = default;

QString RunFollower::newestRun(const QString& runsDir)
{
    // Run ids sort by their start time (optimize-yyyymmdd-hhmmss[-n]).
    const QStringList ids = QDir(runsDir).entryList({QStringLiteral("optimize-*")}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    return ids.isEmpty() ? QString() : QDir(runsDir).filePath(ids.last());
}

void RunFollower::setWorkspace(const QString& workspaceRoot)
{
    stop();
    m_root = workspaceRoot;
    const QString runs = QDir(m_root).filePath(QStringLiteral("runs"));
    m_watcher = new QFileSystemWatcher(this);
    if (QFileInfo::exists(runs))
        m_watcher->addPath(runs);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &RunFollower::checkForNewerRun);
    m_timer->start();
    checkForNewerRun();
}

void RunFollower::followRun(const QString& runDir)
{
    m_runDir = QFileInfo(runDir).absoluteFilePath();
    m_timeline.clear();
    Q_EMIT runChanged(runId(), m_runDir);
    m_events->follow(QDir(m_runDir).filePath(QStringLiteral("events.jsonl")));
}

void RunFollower::stop()
{
    m_timer->stop();
    m_events->stop();
    delete m_watcher;
    m_watcher = nullptr;
    m_root.clear();
    m_runDir.clear();
    m_timeline.clear();
}

void RunFollower::poll()
{
    checkForNewerRun();
    m_events->poll();
}

QString RunFollower::runId() const
{
    return m_runDir.isEmpty() ? QString() : QFileInfo(m_runDir).fileName();
}

bool RunFollower::runInProgress() const
{
    return !m_root.isEmpty() && !RunLock::holder(QDir(m_root).filePath(QStringLiteral("runs"))).isEmpty();
}

void RunFollower::checkForNewerRun()
{
    if (m_root.isEmpty())
        return;
    const QString runs = QDir(m_root).filePath(QStringLiteral("runs"));
    if (m_watcher && m_watcher->directories().isEmpty() && QFileInfo::exists(runs))
        m_watcher->addPath(runs);
    const QString newest = newestRun(runs);
    if (!newest.isEmpty() && QFileInfo(newest).absoluteFilePath() != m_runDir)
        followRun(newest);
}

} // namespace sg
