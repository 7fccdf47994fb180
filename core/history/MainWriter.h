#pragma once

// Internal to core/history: moving main and keeping the work tree and index equal to it.

#include "GitHandles.h"
#include "Version.h"
#include "common/Result.h"

#include <optional>

namespace sg {

// Commits onto main so that a writer killed at any instant leaves a repository the next writer
// can finish: the commit is written, then a journal (<gitdir>/skillgrad-worktree: the tree the work
// tree held, the commit main moves to), then main moves, then the work tree and index are
// updated, then the journal goes. Callers hold the WriterLock.
class MainWriter
{
public:
    // A commit with `tree` and parent `head` (none when nullopt), main moved to it from `head`.
    static Result<Version> commit(git_repository* repo, const QString& gitDir, const git_oid& tree,
                                  const std::optional<git_oid>& head, const QByteArray& message);

    // Finishes what a killed writer's journal says was under way; nothing when there is none.
    static Result<void> finishInterrupted(git_repository* repo, const QString& gitDir);

private:
    static Result<void> syncWorkTree(git_repository* repo, const git_oid* baselineTree,
                                     const git_oid& target);
};

} // namespace sg
