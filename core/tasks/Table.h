#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace sg {

// A task's table: a header row and rows of exactly as many cells, read from the two WTQ formats
// (see data/wtq/README.md).
struct Table
{
    QStringList header;
    std::vector<QStringList> rows;

    static constexpr qint64 kMaxBytes = 64 * 1024 * 1024;

    // By extension: .csv or .tsv. Errors have `where` = "<path>:<line>".
    static Result<Table> read(const QString& path, qint64 maxBytes = kMaxBytes);

    // WTQ CSV: fields double-quoted, `\"` and `\\` are backslash escapes (not RFC-4180 doubling,
    // though a doubled quote is accepted too), real newlines inside quotes. Unquoted fields are
    // taken as they are. Blank lines between rows are skipped.
    // `origin` names the data in errors ("<origin>:<line>"; "line N" when empty).
    static Result<Table> parseCsv(const QByteArray& data, const QString& origin = {});

    // WTQ TSV: one row a line, split on tabs; in a cell `\n` is a newline, `\p` is `|` and `\\`
    // is a backslash, unescaped in one pass (so `\\n` is a backslash and an n).
    static Result<Table> parseTsv(const QByteArray& data, const QString& origin = {});
};

} // namespace sg
