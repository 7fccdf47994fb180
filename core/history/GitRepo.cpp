#include "GitRepo.h"

#include "GitDiff.h"
#include "GitError.h"
#include "GitHandles.h"
#include "GitObjects.h"
#include "GitRefs.h"
#include "MainWriter.h"
#include "WriterLock.h"
#include "skill/SkillSource.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace sg {

namespace {

constexpr int kMaxListedPaths = 5;

Error noVersionYet()
{
    return Error{QStringLiteral("main has no version yet"),
                 QStringLiteral("commit the seed skill first"),
                 {},
                 QStringLiteral("not-found")};
}

bool hasTrailer(const Trailers& trailers, const QString& key)
{
    return std::any_of(trailers.begin(), trailers.end(), [&](const auto& t) {
        return t.first.compare(key, Qt::CaseInsensitive) == 0;
    });
}

Result<git::Commit> lookupCommit(git_repository* repo, const git_oid& id)
{
    git_commit* raw = nullptr;
    if (int rc = git_commit_lookup(&raw, repo, &id); rc < 0)
        return GitError::last(QStringLiteral("cannot read commit %1").arg(git::toString(id)), rc);
    return git::Commit(raw);
}

} // namespace

void GitRepo::RepoDeleter::operator()(git_repository* repo) const noexcept
{
    git_repository_free(repo);
}

GitRepo::GitRepo(git_repository* repo, QString workdir)
    : m_repo(repo), m_workdir(std::move(workdir))
{
}

GitRepo::GitRepo(GitRepo&&) noexcept = default;
GitRepo& GitRepo::operator=(GitRepo&&) noexcept = default;
GitRepo::~GitRepo() = default;

QString GitRepo::workdir() const
{
    return m_workdir;
}

QString GitRepo::gitDir() const
{
    return m_workdir + QStringLiteral("/.git");
}

Result<GitRepo> GitRepo::init(const QString& workdir)
{
    git::ensureLibrary();
    const QString dir = QDir::cleanPath(QFileInfo(workdir).absoluteFilePath());
    if (!QDir().mkpath(dir))
        return Error{QStringLiteral("cannot create the folder"),
                     QStringLiteral("check the parent folder's permissions"), dir};
    if (QFileInfo::exists(dir + QStringLiteral("/.git")))
        return Error{QStringLiteral("the folder already has a git repository"),
                     QStringLiteral("open it instead"), dir, QStringLiteral("exists")};
    git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
    // git_repository_init would name the branch "master".
    opts.initial_head = "main";
    git_repository* raw = nullptr;
    if (int rc = git_repository_init_ext(&raw, QFile::encodeName(dir).constData(), &opts); rc < 0)
        return GitError::last(QStringLiteral("cannot create the skill history in %1").arg(dir), rc);
    return GitRepo(raw, dir);
}

Result<GitRepo> GitRepo::open(const QString& workdir)
{
    git::ensureLibrary();
    const QString dir = QDir::cleanPath(QFileInfo(workdir).absoluteFilePath());
    const QString gitDir = dir + QStringLiteral("/.git");
    if (!QFileInfo(gitDir).isDir())
        return Error{QStringLiteral("no skill history here (no .git folder)"),
                     QStringLiteral("create it with skillgrad init"), dir,
                     QStringLiteral("not-found")};
    git_repository* raw = nullptr;
    if (int rc = git_repository_open_ext(&raw, QFile::encodeName(gitDir).constData(),
                                         GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
        rc < 0)
        return GitError::last(QStringLiteral("cannot open the skill history in %1").arg(dir), rc);
    GitRepo repo(raw, dir);
    const char* libWorkdir = git_repository_workdir(raw);
    if (git_repository_is_bare(raw) || !libWorkdir ||
        QFileInfo(QFile::decodeName(libWorkdir)).canonicalFilePath() !=
            QFileInfo(dir).canonicalFilePath())
        return Error{QStringLiteral("the repository's work tree is not this folder"),
                     QStringLiteral("remove core.worktree/core.bare from .git/config"), dir};
    repo.clearStaleLocks();
    return repo;
}

int GitRepo::clearStaleLocks()
{
    auto lock = WriterLock::acquire(gitDir(), 0);
    if (!lock)
        return 0; // a live writer holds it: its lock files are not stale
    (void)MainWriter::finishInterrupted(m_repo.get(), gitDir()); // the next write retries
    return lock->removedLocks();
}

Result<WriterLock> GitRepo::beginWrite()
{
    auto lock = WriterLock::acquire(gitDir(), m_lockTimeoutMs);
    if (!lock)
        return lock.error();
    if (auto done = MainWriter::finishInterrupted(m_repo.get(), gitDir()); !done)
        return done.error();
    return lock;
}

Result<std::vector<TreeFile>> GitRepo::readWorkTree() const
{
    auto read = SkillSource::readFolder(m_workdir);
    if (!read)
        return read.error();
    std::vector<TreeFile> out;
    out.reserve(read->files.size());
    for (SkillFile& f : read->files)
        out.push_back({std::move(f.path), std::move(f.data), f.executable});
    return out;
}

Result<void> GitRepo::requireClean(const git_tree* mainTree) const
{
    auto work = readWorkTree();
    if (!work)
        return work.error();
    auto changed = GitObjects::changedPaths(mainTree, *work);
    if (!changed)
        return changed.error();
    if (changed->isEmpty())
        return {};
    QStringList shown = changed->mid(0, kMaxListedPaths);
    if (changed->size() > kMaxListedPaths)
        shown << QStringLiteral("and %1 more").arg(changed->size() - kMaxListedPaths);
    return Error{QStringLiteral("the skill folder has changes that are not in main: %1")
                     .arg(shown.join(QStringLiteral(", "))),
                 QStringLiteral("commit them as a version, or discard them, first"), m_workdir,
                 QStringLiteral("dirty")};
}

Result<Version> GitRepo::commitFiles(const std::vector<TreeFile>& files, const QString& summary,
                                     const QString& body, const Trailers& trailers)
{
    auto message = GitObjects::message(summary, body, trailers);
    if (!message)
        return message.error();
    for (const TreeFile& f : files) {
        if (auto ok = GitObjects::checkPath(f.path); !ok)
            return ok.error();
    }
    auto lock = beginWrite();
    if (!lock)
        return lock.error();
    git_repository* repo = m_repo.get();
    auto head = GitObjects::mainHead(repo);
    if (!head)
        return head.error();
    git::Tree mainTree;
    if (*head) {
        auto t = GitObjects::tree(repo, **head);
        if (!t)
            return t.error();
        mainTree = std::move(t.value());
        if (auto clean = requireClean(mainTree.get()); !clean)
            return clean.error();
    }
    auto tree = GitObjects::writeTree(repo, files);
    if (!tree)
        return tree.error();
    if (mainTree && git_oid_equal(&*tree, git_tree_id(mainTree.get())))
        return Error{QStringLiteral("nothing to commit: the files equal main"),
                     {},
                     {},
                     QStringLiteral("unchanged")};
    return MainWriter::commit(m_repo.get(), gitDir(), *tree, *head, *message);
}

Result<Version> GitRepo::commitWorkTree(const QString& summary, const QString& body,
                                        const Trailers& trailers)
{
    auto message = GitObjects::message(summary, body, trailers);
    if (!message)
        return message.error();
    auto lock = beginWrite();
    if (!lock)
        return lock.error();
    git_repository* repo = m_repo.get();
    auto head = GitObjects::mainHead(repo);
    if (!head)
        return head.error();
    auto work = readWorkTree();
    if (!work)
        return work.error();
    auto tree = GitObjects::writeTree(repo, *work);
    if (!tree)
        return tree.error();
    if (*head) {
        auto mainTree = GitObjects::tree(repo, **head);
        if (!mainTree)
            return mainTree.error();
        if (git_oid_equal(&*tree, git_tree_id(mainTree->get())))
            return Error{QStringLiteral("nothing to commit: the skill folder equals main"),
                         {},
                         m_workdir,
                         QStringLiteral("unchanged")};
    }
    return MainWriter::commit(m_repo.get(), gitDir(), *tree, *head, *message);
}

Result<Version> GitRepo::createProposal(const QString& run, int iteration,
                                        const std::vector<TreeFile>& files, const QString& summary,
                                        const Trailers& trailers)
{
    auto ref = GitRefs::proposalRef(run, iteration);
    if (!ref)
        return ref.error();
    Trailers all;
    if (!hasTrailer(trailers, QStringLiteral("SkillGrad-Run")))
        all.emplace_back(QStringLiteral("SkillGrad-Run"), run);
    if (!hasTrailer(trailers, QStringLiteral("SkillGrad-Iteration")))
        all.emplace_back(QStringLiteral("SkillGrad-Iteration"), QString::number(iteration));
    all.insert(all.end(), trailers.begin(), trailers.end());
    auto message = GitObjects::message(summary, {}, all);
    if (!message)
        return message.error();

    auto lock = beginWrite();
    if (!lock)
        return lock.error();
    git_repository* repo = m_repo.get();
    auto head = GitObjects::mainHead(repo);
    if (!head)
        return head.error();
    if (!*head)
        return noVersionYet();
    auto tree = GitObjects::writeTree(repo, files);
    if (!tree)
        return tree.error();

    // An existing proposal is replaced only by the same files (a resumed run redoing a step).
    std::optional<git_oid> existing;
    if (auto old = GitObjects::resolve(repo, *ref); old) {
        if (!git_oid_equal(git_commit_tree_id(old->get()), &*tree))
            return Error{QStringLiteral("the proposal already exists with other files"),
                         QStringLiteral("use a new iteration number"), *ref,
                         QStringLiteral("exists")};
        existing = *git_commit_id(old->get());
    } else if (old.error().code != QLatin1String("not-found")) {
        return old.error();
    }

    auto signature = GitObjects::signature(repo);
    if (!signature)
        return signature.error();
    auto parent = lookupCommit(repo, **head);
    if (!parent)
        return parent.error();
    git_tree* rawTree = nullptr;
    if (int rc = git_tree_lookup(&rawTree, repo, &*tree); rc < 0)
        return GitError::last(QStringLiteral("cannot read the proposal's tree"), rc);
    git::Tree proposalTree(rawTree);
    const git_commit* parents[] = {parent->get()};
    git_oid id;
    if (int rc = git_commit_create(&id, repo, nullptr, signature->get(), signature->get(), nullptr,
                                   message->constData(), proposalTree.get(), 1, parents);
        rc < 0)
        return GitError::last(QStringLiteral("cannot create the proposal commit"), rc);
    const QByteArray log = "proposal: " + message->left(message->indexOf('\n'));
    if (auto written = GitRefs::write(repo, *ref, id, existing ? &*existing : nullptr, log);
        !written)
        return written.error();
    auto commit = lookupCommit(repo, id);
    if (!commit)
        return commit.error();
    return GitObjects::version(commit->get());
}

std::vector<Proposal> GitRepo::proposals() const
{
    return GitRefs::proposals(m_repo.get());
}

Result<Version> GitRepo::accept(const QString& proposalRefOrSha, const QString& summary,
                                const Trailers& trailers,
                                const std::optional<std::vector<TreeFile>>& editedFiles)
{
    git_repository* repo = m_repo.get();
    auto proposal = GitObjects::resolve(repo, proposalRefOrSha);
    if (!proposal)
        return proposal.error();
    const Version proposed = GitObjects::version(proposal->get());
    Trailers all;
    for (const auto& t : trailers) {
        if (t.first.compare(QStringLiteral("SkillGrad-Proposal"), Qt::CaseInsensitive) != 0)
            all.push_back(t);
    }
    if (!hasTrailer(all, QStringLiteral("SkillGrad-Decision")))
        all.emplace_back(QStringLiteral("SkillGrad-Decision"),
                         editedFiles ? QStringLiteral("edited") : QStringLiteral("accepted"));
    all.emplace_back(QStringLiteral("SkillGrad-Proposal"), proposed.sha);
    const QString subject = summary.trimmed().isEmpty()
                                ? QStringLiteral("Accept proposal %1").arg(proposed.shortSha())
                                : summary;
    auto message = GitObjects::message(subject, {}, all);
    if (!message)
        return message.error();

    auto lock = beginWrite();
    if (!lock)
        return lock.error();
    auto head = GitObjects::mainHead(repo);
    if (!head)
        return head.error();
    if (!*head)
        return noVersionYet();
    auto mainTree = GitObjects::tree(repo, **head);
    if (!mainTree)
        return mainTree.error();
    if (auto clean = requireClean(mainTree->get()); !clean)
        return clean.error();
    const QString mainSha = git::toString(**head);
    if (!editedFiles && (proposed.parents.isEmpty() || proposed.parents.first() != mainSha))
        return Error{QStringLiteral("main has moved since the proposal was made (from %1, main is "
                                    "now %2); accepting its files would undo those versions")
                         .arg(proposed.parents.value(0).left(7), mainSha.left(7)),
                     QStringLiteral("review the diff against main and accept edited files"),
                     proposalRefOrSha, QStringLiteral("outdated")};
    git_oid tree;
    if (editedFiles) {
        auto written = GitObjects::writeTree(repo, *editedFiles);
        if (!written)
            return written.error();
        tree = *written;
    } else {
        git_oid_cpy(&tree, git_commit_tree_id(proposal->get()));
    }
    return MainWriter::commit(m_repo.get(), gitDir(), tree, *head, *message);
}

Result<Version> GitRepo::restore(const QString& ref, const QString& summary)
{
    git_repository* repo = m_repo.get();
    auto target = GitObjects::resolve(repo, ref);
    if (!target)
        return target.error();
    const QString sha = git::toString(*git_commit_id(target->get()));
    const QString subject = summary.trimmed().isEmpty()
                                ? QStringLiteral("Restore version %1").arg(sha.left(7))
                                : summary;
    auto message =
        GitObjects::message(subject, {}, {{QStringLiteral("SkillGrad-Restored-From"), sha}});
    if (!message)
        return message.error();

    auto lock = beginWrite();
    if (!lock)
        return lock.error();
    auto head = GitObjects::mainHead(repo);
    if (!head)
        return head.error();
    if (!*head)
        return noVersionYet();
    auto mainTree = GitObjects::tree(repo, **head);
    if (!mainTree)
        return mainTree.error();
    if (auto clean = requireClean(mainTree->get()); !clean)
        return clean.error();
    const git_oid* tree = git_commit_tree_id(target->get());
    if (git_oid_equal(tree, git_tree_id(mainTree->get())))
        return Error{QStringLiteral("main already has the files of %1").arg(sha.left(7)),
                     {},
                     ref,
                     QStringLiteral("unchanged")};
    return MainWriter::commit(m_repo.get(), gitDir(), *tree, *head, *message);
}

Result<Version> GitRepo::version(const QString& ref) const
{
    auto commit = GitObjects::resolve(m_repo.get(), ref);
    if (!commit)
        return commit.error();
    return GitObjects::version(commit->get());
}

Result<std::vector<Version>> GitRepo::versions(const QString& ref, int limit) const
{
    std::vector<Version> out;
    auto commit = GitObjects::resolve(m_repo.get(), ref);
    if (!commit) {
        const bool mainRef = ref == QLatin1String("main") || ref == QLatin1String("HEAD");
        auto head = GitObjects::mainHead(m_repo.get());
        if (mainRef && head && !*head)
            return out; // no commit yet
        return commit.error();
    }
    git::Commit current = std::move(commit.value());
    while (current && (limit < 0 || int(out.size()) < limit)) {
        out.push_back(GitObjects::version(current.get()));
        if (git_commit_parentcount(current.get()) == 0)
            break;
        git_commit* rawParent = nullptr;
        if (int rc = git_commit_parent(&rawParent, current.get(), 0); rc < 0)
            return GitError::last(
                QStringLiteral("cannot read the parent of %1").arg(out.back().sha), rc);
        current.reset(rawParent);
    }
    return out;
}

Result<std::vector<TreeFile>> GitRepo::files(const QString& ref) const
{
    auto commit = GitObjects::resolve(m_repo.get(), ref);
    if (!commit)
        return commit.error();
    auto tree = GitObjects::tree(m_repo.get(), *git_commit_id(commit->get()));
    if (!tree)
        return tree.error();
    return GitObjects::readTree(m_repo.get(), tree->get());
}

Result<bool> GitRepo::isDirty() const
{
    auto head = GitObjects::mainHead(m_repo.get());
    if (!head)
        return head.error();
    git::Tree mainTree;
    if (*head) {
        auto t = GitObjects::tree(m_repo.get(), **head);
        if (!t)
            return t.error();
        mainTree = std::move(t.value());
    }
    auto work = readWorkTree();
    if (!work)
        return work.error();
    auto changed = GitObjects::changedPaths(mainTree.get(), *work);
    if (!changed)
        return changed.error();
    return !changed->isEmpty();
}

Result<std::vector<FileDiff>> GitRepo::diff(const QString& from, const QString& to) const
{
    std::vector<FileDiff> out;
    auto done = runDiff(from, to, [&](git_diff* d) -> Result<void> {
        auto files = GitDiff::files(d);
        if (!files)
            return files.error();
        out = std::move(files.value());
        return {};
    });
    if (!done)
        return done.error();
    return out;
}

Result<QString> GitRepo::unifiedDiff(const QString& from, const QString& to) const
{
    QString out;
    auto done = runDiff(from, to, [&](git_diff* d) -> Result<void> {
        auto text = GitDiff::patchText(d);
        if (!text)
            return text.error();
        out = std::move(text.value());
        return {};
    });
    if (!done)
        return done.error();
    return out;
}

Result<void> GitRepo::runDiff(const QString& from, const QString& to,
                              const std::function<Result<void>(git_diff*)>& use) const
{
    git_repository* repo = m_repo.get();
    git::Repository scratch;
    git::Tree toTree;
    if (to.isEmpty()) {
        // The work tree goes to an in-memory object store: the diff sees exactly what SkillSource
        // reads (the view isDirty has) and nothing is written to disk.
        auto work = readWorkTree();
        if (!work)
            return work.error();
        git_oid treeId;
        auto opened = GitDiff::inMemoryTree(gitDir(), *work, &treeId);
        if (!opened)
            return opened.error();
        scratch = std::move(opened.value());
        repo = scratch.get();
        git_tree* rawTree = nullptr;
        if (int rc = git_tree_lookup(&rawTree, repo, &treeId); rc < 0)
            return GitError::last(QStringLiteral("cannot read the work tree's tree"), rc);
        toTree.reset(rawTree);
    } else {
        auto toCommit = GitObjects::resolve(repo, to);
        if (!toCommit)
            return toCommit.error();
        auto t = GitObjects::tree(repo, *git_commit_id(toCommit->get()));
        if (!t)
            return t.error();
        toTree = std::move(t.value());
    }
    git::Tree fromTree; // null: the empty tree
    if (!from.isEmpty()) {
        auto fromCommit = GitObjects::resolve(repo, from);
        if (!fromCommit)
            return fromCommit.error();
        auto t = GitObjects::tree(repo, *git_commit_id(fromCommit->get()));
        if (!t)
            return t.error();
        fromTree = std::move(t.value());
    }

    git_diff_options opts = GitDiff::options();
    git_diff* rawDiff = nullptr;
    if (int rc = git_diff_tree_to_tree(&rawDiff, repo, fromTree.get(), toTree.get(), &opts); rc < 0)
        return GitError::last(QStringLiteral("cannot compare %1 with %2")
                                  .arg(from, to.isEmpty() ? QStringLiteral("the work tree") : to),
                              rc);
    git::Diff diff(rawDiff);
    if (auto renamed = GitDiff::findRenames(diff.get()); !renamed)
        return renamed.error();
    return use(diff.get());
}

Result<Tag> GitRepo::tag(const QString& name, const QString& ref, const QString& message)
{
    int valid = 0;
    if (name.isEmpty() || git_tag_name_is_valid(&valid, name.toUtf8().constData()) < 0 || !valid) {
        git_error_clear();
        return Error{QStringLiteral("not a valid tag name"),
                     QStringLiteral("use letters, digits, '.', '-' and '/'; no spaces, '..', '~', "
                                    "'^', ':', '?', '*' or '['"),
                     name.isEmpty() ? QStringLiteral("(empty tag name)") : name,
                     QStringLiteral("invalid")};
    }
    git_repository* repo = m_repo.get();
    auto commit = GitObjects::resolve(repo, ref);
    if (!commit)
        return commit.error();
    QString text = message.trimmed();
    if (text.isEmpty())
        text = name;
    text += QLatin1Char('\n');

    auto lock = beginWrite();
    if (!lock)
        return lock.error();
    auto tagger = GitObjects::signature(repo);
    if (!tagger)
        return tagger.error();
    git_oid id;
    if (int rc = git_tag_create(&id, repo, name.toUtf8().constData(),
                                reinterpret_cast<const git_object*>(commit->get()), tagger->get(),
                                text.toUtf8().constData(), 0);
        rc < 0) {
        Error e = GitError::last(QStringLiteral("cannot create tag %1").arg(name), rc);
        if (rc == GIT_EEXISTS)
            e.hint = QStringLiteral("pick another name; tags are never moved");
        return e;
    }
    return Tag{name, git::toString(*git_commit_id(commit->get())), text};
}

std::vector<Tag> GitRepo::tags() const
{
    return GitRefs::tags(m_repo.get());
}

} // namespace sg
