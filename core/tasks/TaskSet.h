#pragma once

#include "common/Result.h"
#include "tasks/Task.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace sg {

// The tasks of one source file, in file order.
struct TaskSet
{
    QString kind; // "wtq" | "jsonl"
    QString file; // the tasks.jsonl it was loaded from (absolute)
    QString root; // the folder task files are relative to: the file's folder (absolute)
    std::vector<Task> tasks;

    // The cap on a task file and on every file a task references.
    static constexpr qint64 kMaxFileBytes = 64 * 1024 * 1024;

    const Task* find(const QString& id) const;
    // All ids, or those of one source split, in file order.
    QStringList ids(const QString& split = {}) const;
    // Every file the tasks reference, once each, in order of first use.
    QStringList files() const;

    // Copies the tasks into `dir`: `dir/tasks.jsonl` holds the raw lines (same order) and every
    // referenced file is copied to the same relative path, each written atomically. Refuses to
    // overwrite anything; on any error it removes what it wrote (and folders it made).
    Result<void> copyTo(const QString& dir) const;
};

} // namespace sg
