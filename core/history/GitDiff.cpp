#include "GitDiff.h"

#include "GitError.h"
#include "GitObjects.h"

#include <QFile>

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

namespace sg {

namespace {

// Higher than the on-disk backends (1 and 2), so new objects go to memory.
constexpr int kMempackPriority = 999;

FileDiff::Status statusOf(git_delta_t status)
{
    switch (status) {
    case GIT_DELTA_ADDED:
        return FileDiff::Status::Added;
    case GIT_DELTA_DELETED:
        return FileDiff::Status::Deleted;
    case GIT_DELTA_RENAMED:
        return FileDiff::Status::Renamed;
    default:
        return FileDiff::Status::Modified; // modified, copied, type change
    }
}

QString lineText(const git_diff_line* line)
{
    QByteArray bytes(line->content, qsizetype(line->content_len));
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    return QString::fromUtf8(bytes);
}

} // namespace

git_diff_options GitDiff::options()
{
    git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
    opts.flags |= GIT_DIFF_INDENT_HEURISTIC; // git's default since 2.14
    opts.context_lines = 3;
    return opts;
}

Result<void> GitDiff::findRenames(git_diff* diff)
{
    git_diff_find_options opts = GIT_DIFF_FIND_OPTIONS_INIT;
    opts.flags = GIT_DIFF_FIND_RENAMES;
    if (int rc = git_diff_find_similar(diff, &opts); rc < 0)
        return GitError::last(QStringLiteral("cannot detect renames"), rc);
    return {};
}

Result<std::vector<FileDiff>> GitDiff::files(git_diff* diff)
{
    std::vector<FileDiff> out;
    const size_t count = git_diff_num_deltas(diff);
    for (size_t i = 0; i < count; ++i) {
        git_patch* rawPatch = nullptr;
        if (int rc = git_patch_from_diff(&rawPatch, diff, i); rc < 0)
            return GitError::last(QStringLiteral("cannot compute the diff"), rc);
        git::Patch patch(rawPatch);
        const git_diff_delta* delta =
            patch ? git_patch_get_delta(patch.get()) : git_diff_get_delta(diff, i);
        FileDiff file;
        file.status = statusOf(delta->status);
        file.oldPath = QString::fromUtf8(delta->old_file.path);
        file.newPath = QString::fromUtf8(delta->new_file.path);
        // The flag is only reliable once the patch has loaded the content.
        file.binary = (delta->flags & GIT_DIFF_FLAG_BINARY) != 0;
        if (patch && !file.binary) {
            size_t additions = 0;
            size_t deletions = 0;
            git_patch_line_stats(nullptr, &additions, &deletions, patch.get());
            file.additions = int(additions);
            file.deletions = int(deletions);
            const size_t hunks = git_patch_num_hunks(patch.get());
            for (size_t h = 0; h < hunks; ++h) {
                const git_diff_hunk* rawHunk = nullptr;
                size_t lines = 0;
                if (int rc = git_patch_get_hunk(&rawHunk, &lines, patch.get(), h); rc < 0)
                    return GitError::last(QStringLiteral("cannot read a hunk"), rc);
                DiffHunk hunk;
                hunk.header =
                    QString::fromUtf8(rawHunk->header, qsizetype(rawHunk->header_len)).trimmed();
                hunk.oldStart = rawHunk->old_start;
                hunk.oldLines = rawHunk->old_lines;
                hunk.newStart = rawHunk->new_start;
                hunk.newLines = rawHunk->new_lines;
                for (size_t l = 0; l < lines; ++l) {
                    const git_diff_line* line = nullptr;
                    if (int rc = git_patch_get_line_in_hunk(&line, patch.get(), h, l); rc < 0)
                        return GitError::last(QStringLiteral("cannot read a diff line"), rc);
                    char origin = 0;
                    switch (line->origin) {
                    case GIT_DIFF_LINE_CONTEXT:
                        origin = ' ';
                        break;
                    case GIT_DIFF_LINE_ADDITION:
                        origin = '+';
                        break;
                    case GIT_DIFF_LINE_DELETION:
                        origin = '-';
                        break;
                    default:
                        continue; // "\ No newline at end of file" markers
                    }
                    hunk.lines.push_back(
                        {origin, lineText(line), line->old_lineno, line->new_lineno});
                }
                file.hunks.push_back(std::move(hunk));
            }
        }
        out.push_back(std::move(file));
    }
    return out;
}

Result<QString> GitDiff::patchText(git_diff* diff)
{
    git::Buf buf;
    if (int rc = git_diff_to_buf(&buf.buf, diff, GIT_DIFF_FORMAT_PATCH); rc < 0)
        return GitError::last(QStringLiteral("cannot format the diff"), rc);
    return QString::fromUtf8(buf.buf.ptr, qsizetype(buf.buf.size));
}

Result<git::Repository> GitDiff::inMemoryTree(const QString& gitDir,
                                              const std::vector<TreeFile>& files, git_oid* tree)
{
    git_repository* rawRepo = nullptr;
    if (int rc = git_repository_open_ext(&rawRepo, QFile::encodeName(gitDir).constData(),
                                         GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
        rc < 0)
        return GitError::last(QStringLiteral("cannot open the skill history"), rc);
    git::Repository repo(rawRepo);
    git_odb* rawOdb = nullptr;
    if (int rc = git_repository_odb(&rawOdb, repo.get()); rc < 0)
        return GitError::last(QStringLiteral("cannot open the object store"), rc);
    git::Odb odb(rawOdb);
    git_odb_backend* mempack = nullptr;
    if (int rc = git_mempack_new(&mempack); rc < 0)
        return GitError::last(QStringLiteral("cannot create an in-memory object store"), rc);
    if (int rc = git_odb_add_backend(odb.get(), mempack, kMempackPriority); rc < 0) {
        mempack->free(mempack); // the odb owns it only once added
        return GitError::last(QStringLiteral("cannot add an in-memory object store"), rc);
    }
    auto written = GitObjects::writeTree(repo.get(), files);
    if (!written)
        return written.error();
    *tree = *written;
    return repo;
}

} // namespace sg
