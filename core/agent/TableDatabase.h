#pragma once

#include "common/Result.h"
#include "tasks/Task.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace sg {

// A task's tables loaded into a private in-memory SQLite database for the `sql` tool: the first
// table is `t`, further ones `t2`, `t3` …; every column is TEXT, named after its header (blank or
// repeated headers get a suffix). Queries are read-only: one SELECT/WITH/VALUES statement (or a
// PRAGMA table_info), under `PRAGMA query_only`.
class TableDatabase
{
public:
    // `root` is the folder the task's files are relative to. Files that are not .csv/.tsv tables
    // are skipped (they are still copied into /task for python).
    static Result<std::unique_ptr<TableDatabase>> open(const Task& task, const QString& root);
    ~TableDatabase();
    TableDatabase(const TableDatabase&) = delete;
    TableDatabase& operator=(const TableDatabase&) = delete;

    // The result as a text table for the model, at most `maxRows` rows (and a note when cut),
    // or an error message the model can read.
    QString query(const QString& sql, int maxRows = 50);
    // One line per table for the prompt: name, file under /task, rows, columns.
    QString describe() const;
    int tableCount() const { return int(m_tables.size()); }

private:
    TableDatabase() = default;

    struct TableInfo
    {
        QString name;
        QString file;
        QStringList columns;
        int rows = 0;
    };
    QString m_connection;
    std::vector<TableInfo> m_tables;
};

} // namespace sg
