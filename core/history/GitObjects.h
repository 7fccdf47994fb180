#pragma once

// Internal to core/history: building and reading git objects for GitRepo.

#include "GitHandles.h"
#include "Version.h"
#include "common/Result.h"

#include <QStringList>

#include <optional>
#include <vector>

namespace sg {

class GitObjects
{
public:
    // A package path as git stores it, or an error naming it: absolute paths, "..", ".", empty
    // parts and anything under .git are refused.
    static Result<void> checkPath(const QString& path);

    // Writes the blobs and trees for exactly `files` and returns the root tree's id.
    static Result<git_oid> writeTree(git_repository* repo, const std::vector<TreeFile>& files);

    // Every file of `tree`, sorted by path.
    static Result<std::vector<TreeFile>> readTree(git_repository* repo, const git_tree* tree);

    // Paths where `files` differ from `tree` (content, executable bit, presence), sorted. A null
    // tree is the empty tree. Hashes in memory; writes nothing.
    static Result<QStringList> changedPaths(const git_tree* tree,
                                            const std::vector<TreeFile>& files);

    // "summary\n\nbody\n\nKey: value\n"; errors on trailer keys git would not parse back.
    static Result<QByteArray> message(const QString& summary, const QString& body,
                                      const Trailers& trailers);

    // git config user.name/user.email, else SkillGrad <skillgrad@localhost>.
    static Result<git::Signature> signature(git_repository* repo);

    static Version version(const git_commit* commit);

    // `spec` (anything git rev-parse takes) peeled to a commit; code "not-found" when missing.
    static Result<git::Commit> resolve(git_repository* repo, const QString& spec);

    // The commit main points to; nullopt while main has no commit.
    static Result<std::optional<git_oid>> mainHead(git_repository* repo);

    static Result<git::Tree> tree(git_repository* repo, const git_oid& commitId);
};

} // namespace sg
