#include "WriterLock.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QThread>

namespace sg {

namespace {

const QString kLockName = QStringLiteral("skillgrad-writer"); // no ".lock": the sweep keeps it
// libgit2 writes loose objects to objects/tmp_object_git2_XXXXXX before renaming them.
const QString kTempObjectPrefix = QStringLiteral("tmp_object_git2_");

constexpr qint64 kUnreadableLockAgeMs = 1000;
constexpr unsigned long kPollMs = 50;

} // namespace

QString WriterLock::lockPath(const QString& gitDir)
{
    return gitDir + QLatin1Char('/') + kLockName;
}

Result<WriterLock> WriterLock::acquire(const QString& gitDir, int timeoutMs)
{
    WriterLock lock;
    const QString path = lockPath(gitDir);
    lock.m_file = std::make_unique<QLockFile>(path);
    // Stale only when the owner is dead: a long write must never be taken over because of age.
    lock.m_file->setStaleLockTime(0);
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (lock.m_file->tryLock(0)) // removes the lock first when its owner is dead
            break;
        if (lock.m_file->error() != QLockFile::LockFailedError)
            return Error{QStringLiteral("cannot take the writer lock (no permission or no space)"),
                         QStringLiteral("check that the skill folder is writable"), path,
                         QStringLiteral("locked")};
        qint64 pid = 0;
        QString host;
        QString app;
        const bool readable = lock.m_file->getLockInfo(&pid, &host, &app);
        // A writer killed between creating the file and writing its pid leaves it empty, and with
        // a stale time of 0 QLockFile never calls that stale. removeStaleLockFile() only succeeds
        // when no live process holds the file's flock, so it cannot take a live writer's lock.
        if (!readable &&
            QFileInfo(path).lastModified().msecsTo(QDateTime::currentDateTime()) >
                kUnreadableLockAgeMs &&
            lock.m_file->removeStaleLockFile())
            continue;
        if (deadline.hasExpired()) {
            const QString holder =
                readable ? QStringLiteral("pid %1, %2 on %3")
                               .arg(pid)
                               .arg(app.isEmpty() ? QStringLiteral("unknown program") : app,
                                    host.isEmpty() ? QStringLiteral("unknown host") : host)
                         : QStringLiteral("owner unknown");
            return Error{
                QStringLiteral("another SkillGrad writer is changing the skill history (%1)")
                    .arg(holder),
                QStringLiteral("wait for it to finish or stop it, then try again"), path,
                QStringLiteral("locked")};
        }
        QThread::msleep(kPollMs);
    }
    lock.m_removed = removeStaleFiles(gitDir);
    return lock;
}

int WriterLock::removeStaleFiles(const QString& gitDir)
{
    int removed = 0;
    QDirIterator it(gitDir, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = it.fileName();
        if (name.endsWith(QLatin1String(".lock"))) {
            if (QFile::remove(path))
                ++removed;
        } else if (name.startsWith(kTempObjectPrefix)) {
            QFile::remove(path); // a half-written object nobody will rename into place
        }
    }
    return removed;
}

WriterLock::WriterLock(WriterLock&&) noexcept = default;
WriterLock& WriterLock::operator=(WriterLock&&) noexcept = default;
WriterLock::~WriterLock() = default; // QLockFile unlocks in its destructor

} // namespace sg
