#pragma once

#include "DiffHunk.h"
#include "Version.h"
#include "common/Result.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

struct git_diff;
struct git_repository;
struct git_tree;

namespace sg {

class WriterLock;

// The skill's version history: a git repository in the skill folder (DESIGN.md 3). `main` is the
// line of accepted versions; proposals live on refs/skillgrad/proposals/<run>/<iteration>; history
// is never rewritten (restoring makes a new commit). Every write keeps the work tree and the index
// equal to main, so plain `git status` stays clean.
//
// Threads: one GitRepo is used by one thread at a time (libgit2 handles are not thread-safe).
// Other threads open their own GitRepo or get Version/TreeFile values. Writers in any number of
// threads or processes are serialised by a lock file (see WriterLock.h); a write that cannot take
// it within lockTimeout() fails with code "locked".
class GitRepo
{
public:
    // Creates `workdir` if needed and workdir/.git with branch main (no commit yet). Error code
    // "exists" when workdir/.git already exists.
    static Result<GitRepo> init(const QString& workdir);
    // Opens workdir/.git (never a repository in a parent folder). When no other writer is alive it
    // also removes stale lock files and finishes a write a killed writer left half done.
    static Result<GitRepo> open(const QString& workdir);

    GitRepo(GitRepo&&) noexcept;
    GitRepo& operator=(GitRepo&&) noexcept;
    GitRepo(const GitRepo&) = delete;
    GitRepo& operator=(const GitRepo&) = delete;
    ~GitRepo();

    QString workdir() const;
    QString gitDir() const;

    // How long a write waits for another writer (default 5000 ms; 0 = not at all).
    void setLockTimeout(int ms) { m_lockTimeoutMs = ms; }
    int lockTimeout() const { return m_lockTimeoutMs; }

    // A new commit on main whose tree is exactly `files`, the work tree and index updated to match.
    // Refuses with code "dirty" when the work tree has edits not in main (unless main has no commit
    // yet; files already in the folder that `files` lacks are then left alone), "unchanged" when
    // `files` equal main's tree, "invalid" for a bad path or trailer.
    Result<Version> commitFiles(const std::vector<TreeFile>& files, const QString& summary,
                                const QString& body, const Trailers& trailers);
    // Records the work tree (read with SkillSource::readFolder: links that leave are refused) as a
    // new commit on main. Code "unchanged" when it equals main's tree.
    Result<Version> commitWorkTree(const QString& summary, const QString& body,
                                   const Trailers& trailers);

    // A commit whose parent is main's head, on refs/skillgrad/proposals/<run>/<NNNN>; main and the
    // work tree are untouched. SkillGrad-Run and SkillGrad-Iteration trailers are added when
    // missing. Re-creating a ref replaces it only when the tree is the same (else code "exists").
    Result<Version> createProposal(const QString& run, int iteration,
                                   const std::vector<TreeFile>& files, const QString& summary,
                                   const Trailers& trailers);
    // Every proposal, by run then iteration; empty when they cannot be read.
    std::vector<Proposal> proposals() const;

    // A new main commit with the proposal's tree, or `editedFiles` for an edited acceptance, with
    // `trailers` + SkillGrad-Decision (accepted|edited, when not given) + SkillGrad-Proposal. The
    // work tree is updated. Refuses when it is dirty, and with code "outdated" when main has moved
    // since the proposal was made (accepting its tree would undo those commits) unless
    // `editedFiles` are given. An empty summary becomes "Accept proposal <sha>".
    Result<Version> accept(const QString& proposalRefOrSha, const QString& summary,
                           const Trailers& trailers,
                           const std::optional<std::vector<TreeFile>>& editedFiles = std::nullopt);
    // A new main commit whose tree is `ref`'s, trailer SkillGrad-Restored-From; history is never
    // rewritten. Refuses when the work tree is dirty; code "unchanged" when main has that tree.
    Result<Version> restore(const QString& ref, const QString& summary = {});

    // Any rev-parse spec: "main", "HEAD~1", a sha prefix, a tag, a proposal ref. Code "not-found".
    Result<Version> version(const QString& ref) const;
    // Newest first, following first parents; empty while main has no commit.
    Result<std::vector<Version>> versions(const QString& ref = QStringLiteral("main"),
                                          int limit = -1) const;
    // A version's files, sorted by path.
    Result<std::vector<TreeFile>> files(const QString& ref) const;
    // Whether the work tree (read with SkillSource) differs from main's tree.
    Result<bool> isDirty() const;

    // From one version to another, or to the work tree when `to` is empty (new files included).
    // An empty `from` is the empty tree (the diff of a first commit).
    Result<std::vector<FileDiff>> diff(const QString& from, const QString& to = {}) const;
    // The same as `git diff` patch text (a/ and b/ prefixes, 3 lines of context).
    Result<QString> unifiedDiff(const QString& from, const QString& to = {}) const;

    // An annotated tag. Code "invalid" for a name git refuses, "exists" when it exists.
    Result<Tag> tag(const QString& name, const QString& ref, const QString& message);
    // Every tag, by name; empty when they cannot be read.
    std::vector<Tag> tags() const;

    // Removes *.lock files left under .git by a dead writer, when no writer is alive (does not
    // wait), and finishes a half-done write. Returns how many lock files were removed.
    int clearStaleLocks();

private:
    struct RepoDeleter
    {
        void operator()(git_repository* repo) const noexcept;
    };

    GitRepo(git_repository* repo, QString workdir);

    // Takes the writer lock and finishes a write a killed writer left half done.
    Result<WriterLock> beginWrite();
    Result<std::vector<TreeFile>> readWorkTree() const;
    Result<void> requireClean(const git_tree* mainTree) const;
    Result<void> runDiff(const QString& from, const QString& to,
                         const std::function<Result<void>(git_diff*)>& use) const;

    std::unique_ptr<git_repository, RepoDeleter> m_repo;
    QString m_workdir;
    int m_lockTimeoutMs = 5000;
};

} // namespace sg
