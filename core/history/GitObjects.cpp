#include "GitObjects.h"

#include "GitError.h"

#include <QSet>

#include <algorithm>
#include <map>
#include <mutex>

namespace sg {

namespace git {

void ensureLibrary()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // Never shut down: handles may live until the process exits.
        git_libgit2_init();
        // Objects, refs and the index are fsynced before they are renamed into place, so a crash
        // or power loss cannot leave a ref pointing at a half-written object.
        git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
    });
}

} // namespace git

namespace {

const char* const kMainRef = "refs/heads/main";

struct Entry
{
    QString path;
    git_oid id;
    git_filemode_t mode;
};

int collectEntry(const char* root, const git_tree_entry* entry, void* payload)
{
    const git_object_t type = git_tree_entry_type(entry);
    if (type != GIT_OBJECT_BLOB)
        return 0; // trees are walked into; submodule links (commits) are not skill content
    auto* entries = static_cast<std::vector<Entry>*>(payload);
    entries->push_back({QString::fromUtf8(root) + QString::fromUtf8(git_tree_entry_name(entry)),
                        *git_tree_entry_id(entry), git_tree_entry_filemode(entry)});
    return 0;
}

Result<std::vector<Entry>> entries(const git_tree* tree)
{
    std::vector<Entry> out;
    if (!tree)
        return out;
    if (int rc = git_tree_walk(tree, GIT_TREEWALK_PRE, collectEntry, &out); rc < 0)
        return GitError::last(QStringLiteral("cannot walk a tree"), rc);
    return out;
}

Error invalid(const QString& what, const QString& why, const QString& hint)
{
    return Error{why, hint, what, QStringLiteral("invalid")};
}

bool isTrailerKey(const QString& key)
{
    if (key.isEmpty())
        return false;
    for (const QChar c : key) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('-'))
            return false;
    }
    return true;
}

QString oneLine(const QString& text)
{
    return text.simplified(); // newlines and runs of spaces become single spaces
}

} // namespace

Result<void> GitObjects::checkPath(const QString& path)
{
    const QString hint =
        QStringLiteral("give a path relative to the skill folder, with '/' separators");
    const QString where = path.isEmpty() ? QStringLiteral("(empty path)") : path;
    if (path.isEmpty())
        return invalid(where, QStringLiteral("invalid path: the path is empty"), hint);
    if (path.startsWith(QLatin1Char('/')) || (path.size() >= 2 && path[1] == QLatin1Char(':')))
        return invalid(where, QStringLiteral("invalid path: absolute path"), hint);
    if (path.contains(QLatin1Char('\\')) || path.contains(QChar(0)))
        return invalid(where, QStringLiteral("invalid path: backslash or NUL in the path"), hint);
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const QString& part : parts) {
        if (part.isEmpty())
            return invalid(where,
                           QStringLiteral("invalid path: an empty part ('//' or a '/' at an end)"),
                           hint);
        if (part == QLatin1String(".") || part == QLatin1String(".."))
            return invalid(where, QStringLiteral("invalid path: \"%1\" is not allowed").arg(part),
                           hint);
        if (part.compare(QLatin1String(".git"), Qt::CaseInsensitive) == 0)
            return invalid(where, QStringLiteral("invalid path: .git is never package content"),
                           hint);
    }
    return {};
}

Result<git_oid> GitObjects::writeTree(git_repository* repo, const std::vector<TreeFile>& files)
{
    // An in-memory index builds the nested trees for us; the repository's own index is untouched.
    git_index* rawIndex = nullptr;
    if (int rc = git_index_new(&rawIndex); rc < 0)
        return GitError::last(QStringLiteral("cannot create an index"), rc);
    git::Index index(rawIndex);

    QSet<QString> seen;
    for (const TreeFile& file : files) {
        if (auto ok = checkPath(file.path); !ok)
            return ok.error();
        if (seen.contains(file.path))
            return invalid(file.path, QStringLiteral("the path is given twice"),
                           QStringLiteral("give each file once"));
        seen.insert(file.path);

        git_oid blob;
        if (int rc = git_blob_create_from_buffer(&blob, repo, file.data.constData(),
                                                 size_t(file.data.size()));
            rc < 0)
            return GitError::last(QStringLiteral("cannot store %1").arg(file.path), rc);
        const QByteArray path = file.path.toUtf8();
        git_index_entry entry{};
        entry.path = path.constData();
        entry.mode = file.executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
        entry.id = blob;
        if (int rc = git_index_add(index.get(), &entry); rc < 0) {
            Error e = GitError::last(QStringLiteral("cannot add %1").arg(file.path), rc);
            e.code = QStringLiteral("invalid");
            return e;
        }
    }
    git_oid tree;
    if (int rc = git_index_write_tree_to(&tree, index.get(), repo); rc < 0)
        return GitError::last(QStringLiteral("cannot write the tree"), rc);
    return tree;
}

Result<std::vector<TreeFile>> GitObjects::readTree(git_repository* repo, const git_tree* tree)
{
    auto list = entries(tree);
    if (!list)
        return list.error();
    std::vector<TreeFile> out;
    out.reserve(list->size());
    for (const Entry& e : list.value()) {
        git_blob* rawBlob = nullptr;
        if (int rc = git_blob_lookup(&rawBlob, repo, &e.id); rc < 0)
            return GitError::last(QStringLiteral("cannot read %1").arg(e.path), rc);
        git::Blob blob(rawBlob);
        // A symlink made by other tools comes back as a file holding its target, as git does
        // with core.symlinks=false; SkillGrad itself never writes links.
        out.push_back({e.path,
                       QByteArray(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                  qsizetype(git_blob_rawsize(blob.get()))),
                       e.mode == GIT_FILEMODE_BLOB_EXECUTABLE});
    }
    std::sort(out.begin(), out.end(),
              [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
    return out;
}

Result<QStringList> GitObjects::changedPaths(const git_tree* tree,
                                             const std::vector<TreeFile>& files)
{
    auto list = entries(tree);
    if (!list)
        return list.error();
    std::map<QString, const Entry*> byPath;
    for (const Entry& e : list.value())
        byPath[e.path] = &e;

    QStringList changed;
    for (const TreeFile& file : files) {
        auto it = byPath.find(file.path);
        if (it == byPath.end()) {
            changed << file.path;
            continue;
        }
        git_oid id;
        if (int rc =
                git_odb_hash(&id, file.data.constData(), size_t(file.data.size()), GIT_OBJECT_BLOB);
            rc < 0)
            return GitError::last(QStringLiteral("cannot hash %1").arg(file.path), rc);
        const bool executable = it->second->mode == GIT_FILEMODE_BLOB_EXECUTABLE;
        if (!git_oid_equal(&id, &it->second->id) || executable != file.executable)
            changed << file.path;
        byPath.erase(it);
    }
    for (const auto& [path, entry] : byPath)
        changed << path;
    changed.sort();
    return changed;
}

Result<QByteArray> GitObjects::message(const QString& summary, const QString& body,
                                       const Trailers& trailers)
{
    const QString subject = oneLine(summary);
    if (subject.isEmpty())
        return invalid(QStringLiteral("summary"), QStringLiteral("the summary is empty"),
                       QStringLiteral("describe the change in one line"));
    QString text = subject + QLatin1Char('\n');

    QString paragraph = body;
    paragraph.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    paragraph = paragraph.trimmed();
    if (!paragraph.isEmpty())
        text += QLatin1Char('\n') + paragraph + QLatin1Char('\n');

    if (!trailers.empty()) {
        text += QLatin1Char('\n');
        for (const auto& [key, value] : trailers) {
            // git only parses "Token: value" lines whose token is letters, digits and '-'.
            if (!isTrailerKey(key))
                return invalid(key.isEmpty() ? QStringLiteral("(empty trailer key)") : key,
                               QStringLiteral("not a valid trailer key"),
                               QStringLiteral("use letters, digits and '-', e.g. SkillGrad-Run"));
            const QString v = oneLine(value);
            if (v.isEmpty())
                return invalid(key, QStringLiteral("the trailer has no value"),
                               QStringLiteral("leave the trailer out instead"));
            text += key + QStringLiteral(": ") + v + QLatin1Char('\n');
        }
    }
    return text.toUtf8();
}

Result<git::Signature> GitObjects::signature(git_repository* repo)
{
    git_signature* raw = nullptr;
    if (git_signature_default(&raw, repo) == 0)
        return git::Signature(raw);
    // No user.name/user.email in git config (libgit2 fails rather than guessing).
    git_error_clear();
    if (int rc = git_signature_now(&raw, "SkillGrad", "skillgrad@localhost"); rc < 0)
        return GitError::last(QStringLiteral("cannot make a signature"), rc);
    return git::Signature(raw);
}

Version GitObjects::version(const git_commit* commit)
{
    Version v;
    v.sha = git::toString(*git_commit_id(commit));
    v.message = QString::fromUtf8(git_commit_message(commit));
    v.summary = v.message.section(QLatin1Char('\n'), 0, 0).trimmed();
    const git_signature* author = git_commit_author(commit);
    v.author = QString::fromUtf8(author->name);
    v.authorEmail = QString::fromUtf8(author->email);
    v.time = QDateTime::fromSecsSinceEpoch(author->when.time, Qt::OffsetFromUTC,
                                           author->when.offset * 60);
    for (unsigned i = 0; i < git_commit_parentcount(commit); ++i)
        v.parents << git::toString(*git_commit_parent_id(commit, i));

    git_message_trailer_array trailers{};
    if (git_message_trailers(&trailers, git_commit_message(commit)) == 0) {
        for (size_t i = 0; i < trailers.count; ++i)
            v.trailers.emplace_back(QString::fromUtf8(trailers.trailers[i].key),
                                    QString::fromUtf8(trailers.trailers[i].value));
        git_message_trailer_array_free(&trailers);
    } else {
        git_error_clear();
    }
    return v;
}

Result<git::Commit> GitObjects::resolve(git_repository* repo, const QString& spec)
{
    const QString hint =
        QStringLiteral("give main, HEAD~N, a sha or its first characters, a tag or a proposal ref");
    if (spec.trimmed().isEmpty())
        return Error{QStringLiteral("no version given"), hint, {}, QStringLiteral("not-found")};
    git_object* rawObject = nullptr;
    if (int rc = git_revparse_single(&rawObject, repo, spec.toUtf8().constData()); rc < 0) {
        Error e = GitError::last(QStringLiteral("no version \"%1\"").arg(spec), rc);
        if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
            e.code = QStringLiteral("not-found");
            e.hint = hint;
        }
        return e;
    }
    git::Object object(rawObject);
    git_object* rawCommit = nullptr;
    if (int rc = git_object_peel(&rawCommit, object.get(), GIT_OBJECT_COMMIT); rc < 0) {
        Error e = GitError::last(QStringLiteral("\"%1\" is not a version").arg(spec), rc);
        e.code = QStringLiteral("not-found");
        e.hint = hint;
        return e;
    }
    return git::Commit(reinterpret_cast<git_commit*>(rawCommit));
}

Result<std::optional<git_oid>> GitObjects::mainHead(git_repository* repo)
{
    git_oid id;
    const int rc = git_reference_name_to_id(&id, repo, kMainRef);
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        return std::optional<git_oid>();
    }
    if (rc < 0)
        return GitError::last(QStringLiteral("cannot read main"), rc);
    return std::optional<git_oid>(id);
}

Result<git::Tree> GitObjects::tree(git_repository* repo, const git_oid& commitId)
{
    git_commit* rawCommit = nullptr;
    if (int rc = git_commit_lookup(&rawCommit, repo, &commitId); rc < 0)
        return GitError::last(QStringLiteral("cannot read commit %1").arg(git::toString(commitId)),
                              rc);
    git::Commit commit(rawCommit);
    git_tree* rawTree = nullptr;
    if (int rc = git_commit_tree(&rawTree, commit.get()); rc < 0)
        return GitError::last(
            QStringLiteral("cannot read the tree of %1").arg(git::toString(commitId)), rc);
    return git::Tree(rawTree);
}

} // namespace sg
