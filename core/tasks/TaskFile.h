#pragma once

#include "common/Result.h"
#include "tasks/TaskRecord.h"
#include "tasks/TaskSet.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace sg {

// A tasks.jsonl file read into lines, shared by the JSON-lines task sources: it finds the file,
// enforces the size cap, parses each line as a JSON object and checks that ids are unique.
// Reading creates nothing.
class TaskFile
{
public:
    // `path` is a tasks.jsonl file, or a folder holding one.
    static Result<TaskFile> read(const QString& path);

    // Turns one record into a Task, or records its error on the record and returns nullopt.
    using Convert = std::function<std::optional<Task>(TaskRecord&)>;

    // Converts every non-blank line in file order. The first error stops it: a malformed line,
    // a record `convert` refuses, or an id seen before.
    Result<TaskSet> collect(const QString& kind, const Convert& convert) const;

    const QString& file() const { return m_file; }
    const QString& root() const { return m_root; }

private:
    struct Line
    {
        int number = 0;
        QByteArray raw;
    };

    QString m_file;
    QString m_root;
    QString m_canonicalRoot;
    std::vector<Line> m_lines;
};

} // namespace sg
