#pragma once

// Internal to core/history: the one-writer-at-a-time lock of a skill repository.

#include "common/Result.h"

#include <QString>

#include <memory>

class QLockFile;

namespace sg {

// Holds <gitdir>/skillgrad-writer (a QLockFile) for the length of one write.
//
// Why: a writer killed mid-commit leaves index.lock, refs/heads/main.lock and the like behind,
// and libgit2 then refuses every later write. QLockFile records the owner's pid and treats the
// lock as stale once that process is gone, so whoever holds this lock knows no other SkillGrad
// writer is alive; any *.lock file left under .git was then abandoned by a dead writer and is
// removed before writing. (A git command run by hand at that very moment could lose its lock;
// SkillGrad's repositories are not meant to be written by hand while SkillGrad writes them.)
class WriterLock
{
public:
    static QString lockPath(const QString& gitDir);

    // Waits up to `timeoutMs` (0: not at all). Error code "locked" naming the holder.
    static Result<WriterLock> acquire(const QString& gitDir, int timeoutMs);

    WriterLock(WriterLock&&) noexcept;
    WriterLock& operator=(WriterLock&&) noexcept;
    ~WriterLock();

    // How many stale *.lock files were removed when the lock was taken.
    int removedLocks() const { return m_removed; }

private:
    WriterLock() = default;
    static int removeStaleFiles(const QString& gitDir);

    std::unique_ptr<QLockFile> m_file;
    int m_removed = 0;
};

} // namespace sg
