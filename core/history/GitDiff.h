#pragma once

// Internal to core/history: turns a git_diff into values and patch text.

#include "DiffHunk.h"
#include "GitHandles.h"
#include "Version.h"
#include "common/Result.h"

#include <vector>

namespace sg {

class GitDiff
{
public:
    // The options GitRepo diffs with: git's defaults (3 lines of context, indent heuristic).
    static git_diff_options options();

    // Rename detection, as `git diff` does by default (diff.renames).
    static Result<void> findRenames(git_diff* diff);

    static Result<std::vector<FileDiff>> files(git_diff* diff);

    // The `git diff` patch text, with a/ and b/ prefixes.
    static Result<QString> patchText(git_diff* diff);

    // A second handle on the repository at `gitDir` whose new objects go to memory only, with
    // `files` written as the tree `*tree`: a work tree can be diffed without writing to disk.
    static Result<git::Repository> inMemoryTree(const QString& gitDir,
                                                const std::vector<TreeFile>& files, git_oid* tree);
};

} // namespace sg
