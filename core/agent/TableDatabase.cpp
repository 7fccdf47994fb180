#include "TableDatabase.h"

#include "tasks/Table.h"

#include <QDir>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>

namespace sg {

namespace {

QString quoteIdentifier(const QString& name)
{
    return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QStringList uniqueColumns(const QStringList& header)
{
    QStringList out;
    for (int i = 0; i < header.size(); ++i) {
        QString name = header[i].simplified();
        if (name.isEmpty())
            name = QStringLiteral("column%1").arg(i + 1);
        QString candidate = name;
        for (int n = 2; out.contains(candidate, Qt::CaseInsensitive); ++n)
            candidate = QStringLiteral("%1_%2").arg(name).arg(n);
        out << candidate;
    }
    return out;
}

bool isTableFile(const QString& path)
{
    return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) || path.endsWith(QLatin1String(".tsv"), Qt::CaseInsensitive);
}

QString cell(const QString& value)
{
    QString v = value;
    v.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    v.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    return v.size() > 200 ? v.left(200) + QStringLiteral("…") : v;
}

} // namespace

Result<std::unique_ptr<TableDatabase>> TableDatabase::open(const Task& task, const QString& root)
{
    std::unique_ptr<TableDatabase> db(new TableDatabase());
    db->m_connection = QStringLiteral("skillgrad-tables-%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    QSqlDatabase sql = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), db->m_connection);
    sql.setDatabaseName(QStringLiteral(":memory:"));
    if (!sql.open())
        return Error{QStringLiteral("cannot open an in-memory database: %1").arg(sql.lastError().text()), QStringLiteral("install libqt6sql6-sqlite"), {},
                     QStringLiteral("config")};

    // WTQ tasks list the same table as .csv and .tsv: the first form of each stem is loaded.
    QStringList loadedStems;
    for (const QString& file : task.files) {
        if (!isTableFile(file))
            continue;
        const QString stem = file.left(file.lastIndexOf(QLatin1Char('.')));
        if (loadedStems.contains(stem))
            continue;
        auto table = Table::read(QDir(root).filePath(file));
        if (!table)
            return table.error();
        loadedStems << stem;
        TableInfo info;
        info.name = db->m_tables.empty() ? QStringLiteral("t") : QStringLiteral("t%1").arg(db->m_tables.size() + 1);
        info.file = QStringLiteral("/task/") + file;
        info.columns = uniqueColumns(table->header);
        info.rows = int(table->rows.size());

        QStringList defs, marks;
        for (const QString& c : info.columns) {
            defs << quoteIdentifier(c) + QStringLiteral(" TEXT");
            marks << QStringLiteral("?");
        }
        QSqlQuery q(sql);
        if (!q.exec(QStringLiteral("CREATE TABLE %1 (%2)").arg(info.name, defs.join(QStringLiteral(", ")))))
            return Error{QStringLiteral("cannot load the table: %1").arg(q.lastError().text()), {}, file, QStringLiteral("invalid")};
        sql.transaction();
        q.prepare(QStringLiteral("INSERT INTO %1 VALUES (%2)").arg(info.name, marks.join(QStringLiteral(", "))));
        for (const QStringList& row : table->rows) {
            for (int i = 0; i < info.columns.size(); ++i)
                q.bindValue(i, i < row.size() ? row[i] : QString());
            q.exec();
        }
        sql.commit();
        db->m_tables.push_back(info);
    }
    QSqlQuery(sql).exec(QStringLiteral("PRAGMA query_only = ON"));
    return db;
}

TableDatabase::~TableDatabase()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QString TableDatabase::describe() const
{
    QStringList lines;
    for (const TableInfo& t : m_tables) {
        QStringList cols;
        for (const QString& c : t.columns)
            cols << quoteIdentifier(c);
        lines << QStringLiteral("Table %1 (%2, %3 rows): %4").arg(t.name, t.file).arg(t.rows).arg(cols.join(QStringLiteral(", ")));
    }
    return lines.join(QLatin1Char('\n'));
}

QString TableDatabase::query(const QString& sqlText, int maxRows)
{
    static const QRegularExpression allowed(QStringLiteral("^\\s*(select|with|values|pragma\\s+table_info)\\b"),
                                            QRegularExpression::CaseInsensitiveOption);
    if (!allowed.match(sqlText).hasMatch())
        return QStringLiteral("SQL error: only read-only queries are allowed (SELECT, WITH, VALUES or PRAGMA table_info).");
    QString statement = sqlText.trimmed();
    while (statement.endsWith(QLatin1Char(';')))
        statement.chop(1);
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.setForwardOnly(true);
    if (!q.exec(statement))
        return QStringLiteral("SQL error: %1").arg(q.lastError().databaseText().isEmpty() ? q.lastError().text() : q.lastError().databaseText());
    const QSqlRecord record = q.record();
    QStringList header;
    for (int i = 0; i < record.count(); ++i)
        header << record.fieldName(i);
    QStringList lines{header.join(QStringLiteral(" | "))};
    int rows = 0;
    while (q.next()) {
        if (rows < maxRows) {
            QStringList cells;
            for (int i = 0; i < record.count(); ++i)
                cells << cell(q.value(i).toString());
            lines << cells.join(QStringLiteral(" | "));
        }
        ++rows;
    }
    lines << (rows > maxRows ? QStringLiteral("(%1 rows; the first %2 shown)").arg(rows).arg(maxRows) : QStringLiteral("(%1 rows)").arg(rows));
    return lines.join(QLatin1Char('\n'));
}

} // namespace sg
