#include "MainWriter.h"

#include "GitDiff.h"
#include "GitError.h"
#include "GitObjects.h"
#include "common/AtomicFile.h"

#include <QFile>
#include <QFileInfo>
#include <QList>

#include <vector>

namespace sg {

namespace {

const char* const kMainRef = "refs/heads/main";
const QString kJournalName = QStringLiteral("skillgrad-worktree");

QString journalPath(const QString& gitDir)
{
    return gitDir + QLatin1Char('/') + kJournalName;
}

Result<git::Commit> lookupCommit(git_repository* repo, const git_oid& id)
{
    git_commit* raw = nullptr;
    if (int rc = git_commit_lookup(&raw, repo, &id); rc < 0)
        return GitError::last(QStringLiteral("cannot read commit %1").arg(git::toString(id)), rc);
    return git::Commit(raw);
}

} // namespace

Result<Version> MainWriter::commit(git_repository* repo, const QString& gitDir, const git_oid& tree,
                                   const std::optional<git_oid>& head, const QByteArray& message)
{
    auto signature = GitObjects::signature(repo);
    if (!signature)
        return signature.error();
    git_tree* rawTree = nullptr;
    if (int rc = git_tree_lookup(&rawTree, repo, &tree); rc < 0)
        return GitError::last(QStringLiteral("cannot read the new tree"), rc);
    git::Tree newTree(rawTree);

    git::Commit parent;
    git_oid baseline;
    if (head) {
        auto found = lookupCommit(repo, *head);
        if (!found)
            return found.error();
        parent = std::move(found.value());
        git_oid_cpy(&baseline, git_commit_tree_id(parent.get()));
    }
    const git_commit* parents[] = {parent.get()};
    git_oid id;
    if (int rc = git_commit_create(&id, repo, nullptr, signature->get(), signature->get(), nullptr,
                                   message.constData(), newTree.get(), head ? 1 : 0, parents);
        rc < 0)
        return GitError::last(QStringLiteral("cannot create the commit"), rc);

    const QString journal = journalPath(gitDir);
    const QByteArray journalText = (head ? git::toString(baseline).toLatin1() : QByteArray("-")) +
                                   '\n' + git::toString(id).toLatin1() + '\n';
    if (auto written = AtomicFile::write(journal, journalText); !written)
        return written.error();

    const QByteArray logMessage =
        (head ? QByteArray("commit: ") : QByteArray("commit (initial): ")) +
        message.left(message.indexOf('\n'));
    git_reference* rawRef = nullptr;
    // Compare-and-swap against the head we read, so a commit made by another program in between
    // is never lost.
    const int rc =
        head ? git_reference_create_matching(&rawRef, repo, kMainRef, &id, 1, &*head,
                                             logMessage.constData())
             : git_reference_create(&rawRef, repo, kMainRef, &id, 0, logMessage.constData());
    if (rc < 0) {
        Error e = GitError::last(QStringLiteral("cannot move main"), rc);
        QFile::remove(journal);
        if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
            e.code = QStringLiteral("conflict");
            e.hint = QStringLiteral("main was changed by another program; try again");
        }
        return e;
    }
    git::Reference ref(rawRef);

    if (auto synced = syncWorkTree(repo, head ? &baseline : nullptr, id); !synced)
        return synced.error(); // the journal stays: the next write finishes the job
    QFile::remove(journal);

    auto created = lookupCommit(repo, id);
    if (!created)
        return created.error();
    return GitObjects::version(created->get());
}

// If main is at the journal's commit, the paths that differ between the journal's baseline and
// main are checked out again. Only those paths are forced, so edits made to other files since
// are kept. If main never moved, the work tree was never touched.
Result<void> MainWriter::finishInterrupted(git_repository* repo, const QString& gitDir)
{
    const QString journal = journalPath(gitDir);
    if (!QFileInfo::exists(journal))
        return {};
    auto content = AtomicFile::read(journal, 4096);
    if (!content)
        return content.error();
    const QList<QByteArray> lines = content->split('\n');
    git_oid baseline;
    git_oid target;
    const bool hasBaseline =
        !lines.isEmpty() && git_oid_fromstr(&baseline, lines[0].constData()) == 0;
    const bool hasTarget = lines.size() > 1 && git_oid_fromstr(&target, lines[1].constData()) == 0;
    git_error_clear();
    if (hasTarget) {
        auto head = GitObjects::mainHead(repo);
        if (!head)
            return head.error();
        if (*head && git_oid_equal(&**head, &target)) {
            if (auto synced = syncWorkTree(repo, hasBaseline ? &baseline : nullptr, target);
                !synced)
                return synced.error();
        }
    }
    QFile::remove(journal);
    return {};
}

// Makes the work tree and the index match `target`, touching only the paths that differ between
// `baselineTree` (what the work tree held; null = nothing) and the target.
Result<void> MainWriter::syncWorkTree(git_repository* repo, const git_oid* baselineTree,
                                      const git_oid& target)
{
    auto targetTree = GitObjects::tree(repo, target);
    if (!targetTree)
        return targetTree.error();
    git::Tree baseline;
    if (baselineTree) {
        git_tree* raw = nullptr;
        if (int rc = git_tree_lookup(&raw, repo, baselineTree); rc < 0)
            return GitError::last(QStringLiteral("cannot read the previous tree"), rc);
        baseline.reset(raw);
    }

    git_diff_options diffOpts = GitDiff::options();
    git_diff* rawDiff = nullptr;
    if (int rc =
            git_diff_tree_to_tree(&rawDiff, repo, baseline.get(), targetTree->get(), &diffOpts);
        rc < 0)
        return GitError::last(QStringLiteral("cannot compare the trees"), rc);
    git::Diff diff(rawDiff);
    QList<QByteArray> paths;
    for (size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i)
        paths << QByteArray(git_diff_get_delta(diff.get(), i)->new_file.path);

    if (!paths.isEmpty()) {
        std::vector<char*> pointers;
        for (QByteArray& p : paths)
            pointers.push_back(p.data());
        // The baseline is given explicitly: the default (HEAD) already points at the target, so
        // checkout would learn what to remove only from the index, which a killed writer may have
        // left half written.
        git_index* rawEmpty = nullptr;
        if (int rc = git_index_new(&rawEmpty); rc < 0)
            return GitError::last(QStringLiteral("cannot create an index"), rc);
        git::Index empty(rawEmpty);

        git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
        opts.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
        opts.disable_filters = 1; // the work tree holds the stored bytes (no CRLF conversion)
        opts.paths = {pointers.data(), pointers.size()};
        if (baseline)
            opts.baseline = baseline.get();
        else
            opts.baseline_index = empty.get();
        if (int rc = git_checkout_tree(repo, reinterpret_cast<const git_object*>(targetTree->get()),
                                       &opts);
            rc < 0)
            return GitError::last(QStringLiteral("cannot update the skill folder"), rc);
    }

    // Checkout only touched the changed paths; make the index exactly the target tree (entries
    // whose content did not change keep their stat data, so `git status` stays fast).
    git_index* rawIndex = nullptr;
    if (int rc = git_repository_index(&rawIndex, repo); rc < 0)
        return GitError::last(QStringLiteral("cannot open the index"), rc);
    git::Index index(rawIndex);
    if (int rc = git_index_read(index.get(), 0); rc < 0)
        return GitError::last(QStringLiteral("cannot read the index"), rc);
    if (int rc = git_index_read_tree(index.get(), targetTree->get()); rc < 0)
        return GitError::last(QStringLiteral("cannot update the index"), rc);
    if (int rc = git_index_write(index.get()); rc < 0)
        return GitError::last(QStringLiteral("cannot write the index"), rc);
    return {};
}

} // namespace sg
