#pragma once

#include "common/Result.h"

#include <QString>

namespace sg {

// Turns libgit2's last error into an Error value. Call it on the failing thread right after the
// failing call: libgit2 keeps the last error per thread and the next call may overwrite it.
class GitError
{
public:
    // Error{"<operation>: <libgit2 message>", hint, "", code}. `code` is the failing call's return
    // value: GIT_ENOTFOUND gives code "not-found", GIT_ELOCKED "locked", GIT_EEXISTS "exists",
    // GIT_EOWNER a message about the owner with a hint; anything else gives code "git".
    static Error last(const QString& operation, int code = -1);
};

} // namespace sg
