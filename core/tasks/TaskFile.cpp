#include "TaskFile.h"

#include "common/AtomicFile.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>

namespace sg {

namespace {

const QString kTaskFileName = QStringLiteral("tasks.jsonl");

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need the rest.
QString parserMessage(const char* what)
{
    QString text = QString::fromUtf8(what);
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype end = text.indexOf(QStringLiteral("] "));
        if (end > 0)
            text = text.mid(end + 2);
    }
    return text;
}

bool isBlank(const QByteArray& line)
{
    return line.trimmed().isEmpty();
}

} // namespace

Result<TaskFile> TaskFile::read(const QString& path)
{
    QFileInfo info(path);
    if (info.isDir())
        info = QFileInfo(QDir(path).filePath(kTaskFileName));
    TaskFile out;
    out.m_file = QDir::cleanPath(info.absoluteFilePath());
    out.m_root = QDir::cleanPath(info.absolutePath());
    out.m_canonicalRoot = QFileInfo(out.m_root).canonicalFilePath();
    if (!info.exists())
        return Error{QStringLiteral("the task file does not exist"),
                     QStringLiteral("give the path of a tasks.jsonl file"), out.m_file,
                     QStringLiteral("not-found")};
    if (!info.isFile())
        return Error{QStringLiteral("the task file is not a regular file"),
                     QStringLiteral("give the path of a tasks.jsonl file"), out.m_file,
                     QStringLiteral("invalid")};
    if (info.size() > TaskSet::kMaxFileBytes)
        return Error{QStringLiteral("the task file is larger than the %1 MiB cap")
                         .arg(TaskSet::kMaxFileBytes / (1024 * 1024)),
                     QStringLiteral("split it into smaller task files"), out.m_file,
                     QStringLiteral("refused")};
    auto data = AtomicFile::read(out.m_file, TaskSet::kMaxFileBytes);
    if (!data)
        return data.error();

    QByteArray bytes = *data;
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    const QList<QByteArray> lines = bytes.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray raw = lines[i];
        if (raw.endsWith('\r'))
            raw.chop(1);
        if (!isBlank(raw))
            out.m_lines.push_back({int(i + 1), raw});
    }
    if (out.m_lines.empty())
        return Error{QStringLiteral("the task file is empty"),
                     QStringLiteral("write one JSON object a line, one task each"),
                     out.m_file + QStringLiteral(":1"), QStringLiteral("invalid")};
    return out;
}

Result<TaskSet> TaskFile::collect(const QString& kind, const Convert& convert) const
{
    TaskSet set;
    set.kind = kind;
    set.file = m_file;
    set.root = m_root;
    set.tasks.reserve(m_lines.size());
    QHash<QString, int> seen; // id -> line
    for (const Line& line : m_lines) {
        const QString where = QStringLiteral("%1:%2").arg(m_file).arg(line.number);
        nlohmann::json object;
        try {
            object = nlohmann::json::parse(line.raw.cbegin(), line.raw.cend());
        } catch (const nlohmann::json::exception& e) {
            return Error{
                QStringLiteral("the line is not valid JSON: %1").arg(parserMessage(e.what())),
                QStringLiteral("write each task as one JSON object on one line"), where,
                QStringLiteral("invalid")};
        }
        if (!object.is_object())
            return Error{QStringLiteral("the line is %1, not a JSON object")
                             .arg(TaskRecord::typeName(object)),
                         QStringLiteral("write each task as one JSON object, {\"id\": ...}"), where,
                         QStringLiteral("invalid")};

        TaskRecord record(object, line.raw, m_file, m_root, m_canonicalRoot, line.number);
        std::optional<Task> task = convert(record);
        if (record.error())
            return *record.error();
        if (!task)
            return Error{
                QStringLiteral("the record was refused"), {}, where, QStringLiteral("invalid")};

        const auto previous = seen.constFind(task->id);
        if (previous != seen.cend())
            return Error{QStringLiteral("duplicate id \"%1\": line %2 has it too")
                             .arg(task->id)
                             .arg(*previous),
                         QStringLiteral("give every task its own id"), where,
                         QStringLiteral("invalid")};
        seen.insert(task->id, line.number);
        task->rawLine = line.raw;
        task->line = line.number;
        set.tasks.push_back(std::move(*task));
    }
    return set;
}

} // namespace sg
