#include "GitError.h"

#include <git2.h>

namespace sg {

Error GitError::last(const QString& operation, int code)
{
    const git_error* e = git_error_last();
    const QString detail = e && e->message ? QString::fromUtf8(e->message).trimmed()
                                           : QStringLiteral("libgit2 error %1").arg(code);
    Error out{operation + QStringLiteral(": ") + detail, {}, {}, QStringLiteral("git")};
    // libgit2 1.5.1 reports a repository owned by another user as GIT_ENOTFOUND ("config value
    // 'safe.directory' was not found") when no safe.directory is configured at all.
    if (code == GIT_ENOTFOUND && detail.contains(QLatin1String("safe.directory")))
        code = GIT_EOWNER;
    switch (code) {
    case GIT_ENOTFOUND:
        out.code = QStringLiteral("not-found");
        break;
    case GIT_EEXISTS:
        out.code = QStringLiteral("exists");
        break;
    case GIT_EAMBIGUOUS:
        out.code = QStringLiteral("ambiguous");
        out.hint = QStringLiteral("give more characters of the sha");
        break;
    case GIT_ELOCKED:
        out.code = QStringLiteral("locked");
        out.hint = QStringLiteral("another git program is writing the repository; try again when "
                                  "it is done");
        break;
    case GIT_EOWNER:
        // libgit2 1.5 refuses repositories owned by another user (CVE-2022-24765), like git.
        out.message = operation + QStringLiteral(": the repository belongs to another user");
        out.hint = QStringLiteral("the repository belongs to another user; run SkillGrad as its "
                                  "owner, or trust it with: git config --global --add "
                                  "safe.directory <folder>");
        out.code = QStringLiteral("owner");
        break;
    default:
        break;
    }
    git_error_clear();
    return out;
}

} // namespace sg
