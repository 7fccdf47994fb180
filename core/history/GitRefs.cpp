#include "GitRefs.h"

#include "GitError.h"
#include "GitObjects.h"

#include <algorithm>

namespace sg {

namespace {

const QString kProposalPrefix = QStringLiteral("refs/skillgrad/proposals/");
constexpr int kMaxIteration = 9999;

} // namespace

Result<QString> GitRefs::proposalRef(const QString& run, int iteration)
{
    if (iteration < 0 || iteration > kMaxIteration)
        return Error{QStringLiteral("the iteration must be between 0 and %1").arg(kMaxIteration),
                     {},
                     QString::number(iteration),
                     QStringLiteral("invalid")};
    const QString ref = kProposalPrefix + run + QLatin1Char('/') +
                        QStringLiteral("%1").arg(iteration, 4, 10, QLatin1Char('0'));
    int valid = 0;
    if (run.isEmpty() || run.contains(QLatin1Char('/')) ||
        git_reference_name_is_valid(&valid, ref.toUtf8().constData()) < 0 || !valid) {
        git_error_clear();
        return Error{QStringLiteral("not a valid run id for a git ref"),
                     QStringLiteral("use letters, digits, '-' and '_'"),
                     run.isEmpty() ? QStringLiteral("(empty run id)") : run,
                     QStringLiteral("invalid")};
    }
    return ref;
}

bool GitRefs::parseProposalRef(const QString& name, QString* run, int* iteration)
{
    if (!name.startsWith(kProposalPrefix))
        return false;
    const QStringList parts = name.mid(kProposalPrefix.size()).split(QLatin1Char('/'));
    bool ok = false;
    const int number = parts.size() == 2 ? parts[1].toInt(&ok) : 0;
    if (!ok || parts[0].isEmpty())
        return false;
    *run = parts[0];
    *iteration = number;
    return true;
}

Result<void> GitRefs::write(git_repository* repo, const QString& name, const git_oid& id,
                            const git_oid* expected, const QByteArray& logMessage)
{
    const QByteArray refName = name.toUtf8();
    git_reference* raw = nullptr;
    const int rc = expected ? git_reference_create_matching(&raw, repo, refName.constData(), &id, 1,
                                                            expected, logMessage.constData())
                            : git_reference_create(&raw, repo, refName.constData(), &id, 0,
                                                   logMessage.constData());
    if (rc < 0)
        return GitError::last(QStringLiteral("cannot write %1").arg(name), rc);
    git_reference_free(raw);
    return {};
}

std::vector<Proposal> GitRefs::proposals(git_repository* repo)
{
    std::vector<Proposal> out;
    git_reference_iterator* rawIt = nullptr;
    const QByteArray glob = (kProposalPrefix + QLatin1Char('*')).toUtf8();
    if (git_reference_iterator_glob_new(&rawIt, repo, glob.constData()) < 0) {
        git_error_clear();
        return out;
    }
    git::ReferenceIterator it(rawIt);
    git_reference* rawRef = nullptr;
    while (git_reference_next(&rawRef, it.get()) == 0) {
        git::Reference ref(rawRef);
        Proposal p;
        p.ref = QString::fromUtf8(git_reference_name(ref.get()));
        if (!parseProposalRef(p.ref, &p.run, &p.iteration))
            continue;
        git_object* rawCommit = nullptr;
        if (git_reference_peel(&rawCommit, ref.get(), GIT_OBJECT_COMMIT) < 0)
            continue;
        git::Commit commit(reinterpret_cast<git_commit*>(rawCommit));
        p.version = GitObjects::version(commit.get());
        out.push_back(std::move(p));
    }
    git_error_clear(); // GIT_ITEROVER, or a ref that would not peel
    std::sort(out.begin(), out.end(), [](const Proposal& a, const Proposal& b) {
        return a.run != b.run ? a.run < b.run : a.iteration < b.iteration;
    });
    return out;
}

std::vector<Tag> GitRefs::tags(git_repository* repo)
{
    std::vector<Tag> out;
    git_strarray names{};
    if (git_tag_list(&names, repo) < 0) {
        git_error_clear();
        return out;
    }
    for (size_t i = 0; i < names.count; ++i) {
        const QString name = QString::fromUtf8(names.strings[i]);
        const QByteArray refName = (QStringLiteral("refs/tags/") + name).toUtf8();
        git_object* rawObject = nullptr;
        if (git_revparse_single(&rawObject, repo, refName.constData()) < 0)
            continue;
        git::Object object(rawObject);
        Tag t{name, {}, {}};
        if (git_object_type(object.get()) == GIT_OBJECT_TAG)
            t.message =
                QString::fromUtf8(git_tag_message(reinterpret_cast<const git_tag*>(object.get())));
        git_object* rawCommit = nullptr;
        if (git_object_peel(&rawCommit, object.get(), GIT_OBJECT_COMMIT) < 0)
            continue;
        git::Object commit(rawCommit);
        t.sha = git::toString(*git_object_id(commit.get()));
        out.push_back(std::move(t));
    }
    git_strarray_dispose(&names);
    git_error_clear();
    std::sort(out.begin(), out.end(), [](const Tag& a, const Tag& b) { return a.name < b.name; });
    return out;
}

} // namespace sg
