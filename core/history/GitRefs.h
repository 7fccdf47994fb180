#pragma once

// Internal to core/history: proposal and tag refs.

#include "GitHandles.h"
#include "Version.h"
#include "common/Result.h"

#include <vector>

namespace sg {

class GitRefs
{
public:
    // refs/skillgrad/proposals/<run>/<NNNN>, or an error (code "invalid") for a run or iteration
    // that cannot be part of a ref name.
    static Result<QString> proposalRef(const QString& run, int iteration);
    // The run and iteration of a proposal ref name; false when it is not one.
    static bool parseProposalRef(const QString& name, QString* run, int* iteration);

    // Points `name` at `id`: creates it, or moves it from `expected` (compare-and-swap).
    static Result<void> write(git_repository* repo, const QString& name, const git_oid& id,
                              const git_oid* expected, const QByteArray& logMessage);

    static std::vector<Proposal> proposals(git_repository* repo);
    static std::vector<Tag> tags(git_repository* repo);
};

} // namespace sg
