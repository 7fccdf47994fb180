#include "Table.h"

#include "common/AtomicFile.h"
#include "common/TextCodec.h"

#include <QFileInfo>

namespace sg {

namespace {

struct ParsedRow
{
    QStringList cells;
    int line = 0; // where the row starts
};

QString where(const QString& origin, int line)
{
    return origin.isEmpty() ? QStringLiteral("line %1").arg(line)
                            : QStringLiteral("%1:%2").arg(origin).arg(line);
}

Error tableError(const QString& origin, int line, const QString& message, const QString& hint)
{
    return Error{message, hint, where(origin, line), QStringLiteral("invalid")};
}

Result<QString> decode(const QByteArray& data, const QString& origin)
{
    if (auto text = TextCodec::decodeUtf8(data))
        return *text;
    return tableError(origin, TextCodec::firstInvalidLine(data),
                      QStringLiteral("the table is not UTF-8 text"),
                      QStringLiteral("save the table as UTF-8"));
}

// The first row is the header; every other row must have as many cells.
Result<Table> assemble(std::vector<ParsedRow>&& rows, const QString& origin)
{
    if (rows.empty())
        return tableError(origin, 1, QStringLiteral("the table is empty: it has no header row"),
                          QStringLiteral("the first row of a table names its columns"));
    Table table;
    table.header = std::move(rows.front().cells);
    table.rows.reserve(rows.size() - 1);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        if (rows[i].cells.size() != table.header.size())
            return tableError(
                origin, rows[i].line,
                QStringLiteral("the row has %1 fields, the header has %2")
                    .arg(rows[i].cells.size())
                    .arg(table.header.size()),
                QStringLiteral(
                    "every row needs one field per column; check quotes and separators"));
        table.rows.push_back(std::move(rows[i].cells));
    }
    return table;
}

// `\n` -> newline, `\p` -> '|', `\\` -> '\'; any other backslash is kept as it is.
QString unescapeTsv(const QString& cell)
{
    if (!cell.contains(QLatin1Char('\\')))
        return cell;
    QString out;
    out.reserve(cell.size());
    for (qsizetype i = 0; i < cell.size(); ++i) {
        const QChar c = cell[i];
        if (c == QLatin1Char('\\') && i + 1 < cell.size()) {
            const QChar next = cell[i + 1];
            if (next == QLatin1Char('n')) {
                out += QLatin1Char('\n');
                ++i;
                continue;
            }
            if (next == QLatin1Char('p')) {
                out += QLatin1Char('|');
                ++i;
                continue;
            }
            if (next == QLatin1Char('\\')) {
                out += QLatin1Char('\\');
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

} // namespace

Result<Table> Table::read(const QString& path, qint64 maxBytes)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("csv") && suffix != QLatin1String("tsv"))
        return Error{QStringLiteral("unknown table format \".%1\"").arg(suffix),
                     QStringLiteral("tables are .csv or .tsv files"), path,
                     QStringLiteral("invalid")};
    auto data = AtomicFile::read(path, maxBytes);
    if (!data)
        return data.error();
    return suffix == QLatin1String("csv") ? parseCsv(*data, path) : parseTsv(*data, path);
}

Result<Table> Table::parseCsv(const QByteArray& data, const QString& origin)
{
    auto decoded = decode(data, origin);
    if (!decoded)
        return decoded.error();
    const QString& text = *decoded;

    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };
    State state = State::FieldStart;
    std::vector<ParsedRow> rows;
    QStringList cells;
    QString field;
    bool rowStarted = false; // anything read since the last row ended (blank lines are skipped)
    int line = 1;
    int rowLine = 1;
    int quoteLine = 1;

    const qsizetype n = text.size();
    // Ends the row at text[i] ('\r' or '\n'); "\r\n" counts as one line break.
    auto endRow = [&](qsizetype& i) {
        if (text[i] == QLatin1Char('\r') && i + 1 < n && text[i + 1] == QLatin1Char('\n'))
            ++i;
        if (rowStarted) {
            cells << field;
            rows.push_back({cells, rowLine});
        }
        cells.clear();
        field.clear();
        rowStarted = false;
        state = State::FieldStart;
        rowLine = ++line;
    };
    // Appends the character after a backslash; false when the data ends there.
    auto escaped = [&](qsizetype& i) {
        if (i + 1 >= n)
            return false;
        field += text[++i];
        if (text[i] == QLatin1Char('\n'))
            ++line;
        return true;
    };
    auto trailingBackslash = [&] {
        return tableError(
            origin, line, QStringLiteral("the table ends with a lone backslash"),
            QStringLiteral("a backslash escapes the next character: write \\\\ for a backslash"));
    };

    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text[i];
        const bool lineBreak = c == QLatin1Char('\n') || c == QLatin1Char('\r');
        switch (state) {
        case State::FieldStart:
        case State::Unquoted:
            if (c == QLatin1Char('"') && state == State::FieldStart) {
                state = State::Quoted;
                quoteLine = line;
                rowStarted = true;
            } else if (c == QLatin1Char(',')) {
                cells << field;
                field.clear();
                state = State::FieldStart;
                rowStarted = true;
            } else if (lineBreak) {
                endRow(i);
            } else if (c == QLatin1Char('\\')) {
                if (!escaped(i))
                    return trailingBackslash();
                state = State::Unquoted;
                rowStarted = true;
            } else {
                // Lenient: an unquoted field (or a quote inside one) is taken as written.
                field += c;
                state = State::Unquoted;
                rowStarted = true;
            }
            break;
        case State::Quoted:
            if (c == QLatin1Char('\\')) {
                if (!escaped(i))
                    return trailingBackslash();
            } else if (c == QLatin1Char('"')) {
                state = State::QuoteInQuoted;
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field += c;
            }
            break;
        case State::QuoteInQuoted:
            if (c == QLatin1Char('"')) {
                field += c; // RFC-4180 doubling, accepted as Python's csv module does
                state = State::Quoted;
            } else if (c == QLatin1Char(',')) {
                cells << field;
                field.clear();
                state = State::FieldStart;
            } else if (lineBreak) {
                endRow(i);
            } else {
                // Text after the closing quote: keep it, as Python's csv module does.
                field += c;
                state = State::Unquoted;
            }
            break;
        }
    }
    if (state == State::Quoted)
        return tableError(
            origin, quoteLine, QStringLiteral("a quoted field that starts here is never closed"),
            QStringLiteral("close the field with \"; write a quote inside a field as \\\""));
    if (rowStarted) {
        cells << field;
        rows.push_back({cells, rowLine});
    }
    return assemble(std::move(rows), origin);
}

Result<Table> Table::parseTsv(const QByteArray& data, const QString& origin)
{
    auto decoded = decode(data, origin);
    if (!decoded)
        return decoded.error();
    QStringList lines = decoded->split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // the final newline
    std::vector<ParsedRow> rows;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines[i];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        // A blank line is a row of one empty cell in a one-column table, noise otherwise.
        if (line.isEmpty() && (rows.empty() || rows.front().cells.size() != 1))
            continue;
        QStringList cells = line.split(QLatin1Char('\t'));
        for (QString& cell : cells)
            cell = unescapeTsv(cell);
        rows.push_back({cells, int(i + 1)});
    }
    return assemble(std::move(rows), origin);
}

} // namespace sg
