#include "TaskSet.h"

#include "common/AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace sg {

namespace {

// Removes what a failed copy wrote: its files, then the folders it made, deepest first.
// rmdir only removes empty folders, so nothing written by anyone else is touched.
void undo(const QStringList& written, QStringList madeFolders)
{
    for (const QString& path : written)
        QFile::remove(path);
    std::sort(madeFolders.begin(), madeFolders.end(),
              [](const QString& a, const QString& b) { return a.size() > b.size(); });
    for (const QString& folder : madeFolders)
        QDir().rmdir(folder);
}

// `path`'s ancestors that do not exist yet, up to the first one that does.
QStringList missingFolders(const QString& path)
{
    QStringList out;
    QString folder = QFileInfo(path).absolutePath();
    while (!QFileInfo::exists(folder)) {
        out << folder;
        const QString parent = QFileInfo(folder).absolutePath();
        if (parent == folder)
            break;
        folder = parent;
    }
    return out;
}

} // namespace

const Task* TaskSet::find(const QString& id) const
{
    for (const Task& task : tasks) {
        if (task.id == id)
            return &task;
    }
    return nullptr;
}

QStringList TaskSet::ids(const QString& split) const
{
    QStringList out;
    for (const Task& task : tasks) {
        if (split.isEmpty() || task.split == split)
            out << task.id;
    }
    return out;
}

QStringList TaskSet::files() const
{
    QStringList out;
    QSet<QString> seen;
    for (const Task& task : tasks) {
        for (const QString& f : task.files) {
            if (!seen.contains(f)) {
                seen.insert(f);
                out << f;
            }
        }
    }
    return out;
}

Result<void> TaskSet::copyTo(const QString& dir) const
{
    if (tasks.empty())
        return Error{QStringLiteral("there are no tasks to copy"),
                     QStringLiteral("load a task file first"), file, QStringLiteral("invalid")};
    const QString target = QDir(dir).absolutePath();
    const QString taskFile = target + QStringLiteral("/tasks.jsonl");
    const QStringList relFiles = files();

    // Check everything before writing a byte: nothing is overwritten, so undo can be complete.
    QStringList targets{taskFile};
    for (const QString& rel : relFiles)
        targets << target + QLatin1Char('/') + rel;
    QStringList madeFolders;
    QSet<QString> seenFolders;
    for (const QString& path : targets) {
        if (QFileInfo(path).exists() || QFileInfo(path).isSymLink())
            return Error{QStringLiteral("refused to overwrite an existing file"),
                         QStringLiteral("copy the tasks into a new or empty folder"), path,
                         QStringLiteral("refused")};
        for (const QString& folder : missingFolders(path)) {
            if (!seenFolders.contains(folder)) {
                seenFolders.insert(folder);
                madeFolders << folder;
            }
        }
    }

    QStringList written;
    auto fail = [&](const Error& error) {
        undo(written, madeFolders);
        return error;
    };
    for (const QString& rel : relFiles) {
        auto data = AtomicFile::read(root + QLatin1Char('/') + rel, kMaxFileBytes);
        if (!data)
            return fail(data.error());
        const QString to = target + QLatin1Char('/') + rel;
        written << to; // before writing: a failed write may still leave a folder behind
        auto saved = AtomicFile::write(to, *data);
        if (!saved)
            return fail(saved.error());
    }
    // The task file last, so a reader that sees it also sees every table.
    QByteArray lines;
    for (const Task& task : tasks)
        lines += task.rawLine + '\n';
    written << taskFile;
    auto saved = AtomicFile::write(taskFile, lines);
    if (!saved)
        return fail(saved.error());
    return {};
}

} // namespace sg
