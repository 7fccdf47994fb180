#include "RunLock.h"

#include <QDir>
#include <QLockFile>
#include <QSysInfo>

#include <cerrno>

#include <signal.h>

namespace sg {

RunLock::RunLock(RunLock&&) noexcept = default;
RunLock& RunLock::operator=(RunLock&&) noexcept = default;
RunLock::~RunLock() = default;

Result<RunLock> RunLock::acquire(const QString& runsDir, const QString& runId)
{
    Q_UNUSED(runId);
    QDir().mkpath(runsDir);
    RunLock lock;
    lock.m_lock = std::make_unique<QLockFile>(QDir(runsDir).filePath(QStringLiteral(".lock")));
    lock.m_lock->setStaleLockTime(0); // stale only when the owner is dead, never by age
    if (lock.m_lock->tryLock(0))
        return lock;
    qint64 pid = 0;
    QString host, app;
    lock.m_lock->getLockInfo(&pid, &host, &app);
    return Error{QStringLiteral("another optimizer is running in this workspace (pid %1 on %2)").arg(pid).arg(host),
                 QStringLiteral("wait for it to finish, or stop it (Ctrl-C in its terminal, or Stop in the Studio)"), QDir(runsDir).filePath(QStringLiteral(".lock")),
                 QStringLiteral("locked")};
}

QString RunLock::holder(const QString& runsDir)
{
    // Read, never taken: the Studio asks every second, and taking the lock even for a moment
    // could make a CLI run that starts at that moment refuse.
    QLockFile probe(QDir(runsDir).filePath(QStringLiteral(".lock")));
    qint64 pid = 0;
    QString host, app;
    if (!probe.getLockInfo(&pid, &host, &app) || pid <= 0)
        return {};
    if (host == QSysInfo::machineHostName() && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return {}; // its owner is gone: stale, taken over by the next run
    return QStringLiteral("pid %1 on %2").arg(pid).arg(host);
}

} // namespace sg
