#include "TaskRecord.h"

#include "tasks/TaskSet.h"

#include <QFileInfo>

#include <algorithm>

namespace sg {

namespace {

constexpr int kMaxIdLength = 200;

QString quoted(const char* key)
{
    return QLatin1Char('"') + QString::fromUtf8(key) + QLatin1Char('"');
}

bool hasControl(const QString& text)
{
    return std::any_of(text.cbegin(), text.cend(),
                       [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

} // namespace

TaskRecord::TaskRecord(const nlohmann::json& object, const QByteArray& raw, QString file,
                       QString root, QString canonicalRoot, int line)
    : m_object(object), m_raw(raw), m_file(std::move(file)), m_root(std::move(root)),
      m_canonicalRoot(std::move(canonicalRoot)), m_line(line)
{
}

QString TaskRecord::where() const
{
    return QStringLiteral("%1:%2").arg(m_file).arg(m_line);
}

QString TaskRecord::typeName(const nlohmann::json& value)
{
    if (value.is_array())
        return QStringLiteral("a list");
    if (value.is_object())
        return QStringLiteral("an object");
    if (value.is_boolean())
        return QStringLiteral("a boolean");
    if (value.is_number())
        return QStringLiteral("a number");
    if (value.is_string())
        return QStringLiteral("a string");
    return QStringLiteral("null");
}

void TaskRecord::fail(const QString& field, const QString& message, const QString& hint,
                      const QString& code)
{
    if (m_error)
        return;
    const QString text =
        field.isEmpty() ? message : QStringLiteral("\"%1\" %2").arg(field, message);
    m_error = Error{text, hint, where(), code};
}

const nlohmann::json* TaskRecord::field(const char* key, bool required, const QString& expected)
{
    if (m_error)
        return nullptr;
    const auto it = m_object.find(key);
    if (it == m_object.end() || it->is_null()) {
        if (required)
            fail(QString::fromUtf8(key), QStringLiteral("is missing"),
                 QStringLiteral("add %1: %2 to the record").arg(quoted(key), expected));
        return nullptr;
    }
    return &*it;
}

std::optional<QString> TaskRecord::string(const char* key, bool required)
{
    const nlohmann::json* value = field(key, required, QStringLiteral("a string"));
    if (!value)
        return m_error ? std::nullopt : std::optional<QString>(QString());
    if (!value->is_string()) {
        fail(QString::fromUtf8(key),
             QStringLiteral("must be a string, not %1").arg(typeName(*value)),
             QStringLiteral("write it in double quotes"));
        return std::nullopt;
    }
    QString text = QString::fromStdString(value->get<std::string>());
    if (required && text.isEmpty()) {
        fail(QString::fromUtf8(key), QStringLiteral("is empty"), QStringLiteral("give it a value"));
        return std::nullopt;
    }
    return text;
}

std::optional<QStringList> TaskRecord::strings(const char* key, bool required)
{
    const QString expected = QStringLiteral("a list of strings, e.g. [\"a\"]");
    const nlohmann::json* value = field(key, required, expected);
    if (!value)
        return m_error ? std::nullopt : std::optional<QStringList>(QStringList());
    if (!value->is_array()) {
        fail(QString::fromUtf8(key),
             QStringLiteral("must be a list of strings, not %1").arg(typeName(*value)),
             QStringLiteral("write it as %1").arg(expected));
        return std::nullopt;
    }
    if (required && value->empty()) {
        fail(QString::fromUtf8(key), QStringLiteral("is an empty list"),
             QStringLiteral("give at least one item"));
        return std::nullopt;
    }
    QStringList out;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const nlohmann::json& item = (*value)[i];
        if (!item.is_string()) {
            fail(QStringLiteral("%1[%2]").arg(QString::fromUtf8(key)).arg(i),
                 QStringLiteral("must be a string, not %1").arg(typeName(item)),
                 QStringLiteral("write every item in double quotes"));
            return std::nullopt;
        }
        out << QString::fromStdString(item.get<std::string>());
    }
    return out;
}

std::optional<QString> TaskRecord::choice(const char* key, const QStringList& allowed,
                                          const QString& fallback)
{
    auto value = string(key, false);
    if (!value)
        return std::nullopt;
    if (!m_object.contains(key) || m_object.at(key).is_null())
        return fallback;
    if (!allowed.contains(*value)) {
        fail(QString::fromUtf8(key),
             QStringLiteral("is \"%1\", which is not one of %2")
                 .arg(*value, allowed.join(QStringLiteral(", "))),
             QStringLiteral("use one of %1, or leave it out for %2")
                 .arg(allowed.join(QStringLiteral(", ")), fallback));
        return std::nullopt;
    }
    return value;
}

std::optional<QString> TaskRecord::id()
{
    auto id = string("id", true);
    if (!id)
        return std::nullopt;
    // Run artifacts are named after the id (trajectories/<id>.json).
    if (id->contains(QLatin1Char('/')) || id->contains(QLatin1Char('\\')) || hasControl(*id) ||
        *id == QLatin1String(".") || *id == QLatin1String("..") || id->size() > kMaxIdLength) {
        fail(QStringLiteral("id"), QStringLiteral("is \"%1\", which cannot name a file").arg(*id),
             QStringLiteral(
                 "use at most %1 characters without slashes or control characters, e.g. \"q-1\"")
                 .arg(kMaxIdLength));
        return std::nullopt;
    }
    return id;
}

std::optional<QString> TaskRecord::file(const QString& fieldName, const QString& path)
{
    if (m_error)
        return std::nullopt;
    const QString relHint =
        QStringLiteral("paths are relative to the folder of the task file, %1").arg(m_root);
    QString name = path;
    name.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (name.isEmpty() || hasControl(name)) {
        fail(fieldName, QStringLiteral("is not a usable file path"), relHint);
        return std::nullopt;
    }
    if (name.startsWith(QLatin1Char('/')) || (name.size() >= 2 && name[1] == QLatin1Char(':'))) {
        fail(fieldName, QStringLiteral("is an absolute path (%1)").arg(path), relHint,
             QStringLiteral("refused"));
        return std::nullopt;
    }
    QStringList parts;
    for (const QString& part : name.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (part == QLatin1String("..")) {
            fail(fieldName,
                 QStringLiteral("climbs out of the task folder with \"..\" (%1)").arg(path),
                 QStringLiteral("keep task files inside %1").arg(m_root),
                 QStringLiteral("refused"));
            return std::nullopt;
        }
        if (part != QLatin1String("."))
            parts << part;
    }
    const QString rel = parts.join(QLatin1Char('/'));
    const QFileInfo info(m_root + QLatin1Char('/') + rel);
    if (rel.isEmpty() || !info.exists()) {
        fail(fieldName, QStringLiteral("names a file that does not exist: %1").arg(path),
             QStringLiteral("put the file at %1 or fix the path").arg(info.absoluteFilePath()),
             QStringLiteral("not-found"));
        return std::nullopt;
    }
    if (!info.isFile()) {
        fail(fieldName, QStringLiteral("names %1, which is not a regular file").arg(path), relHint);
        return std::nullopt;
    }
    const QString canonical = info.canonicalFilePath();
    const QString inside = m_canonicalRoot.endsWith(QLatin1Char('/'))
                               ? m_canonicalRoot
                               : m_canonicalRoot + QLatin1Char('/');
    if (!canonical.startsWith(inside)) {
        fail(fieldName,
             QStringLiteral("names %1, a link that leads outside the task folder").arg(path),
             QStringLiteral("copy the file into %1 instead of linking it").arg(m_root),
             QStringLiteral("refused"));
        return std::nullopt;
    }
    if (info.size() > TaskSet::kMaxFileBytes) {
        fail(fieldName,
             QStringLiteral("names %1, which is larger than the %2 MiB cap")
                 .arg(path)
                 .arg(TaskSet::kMaxFileBytes / (1024 * 1024)),
             QStringLiteral("tasks carry small files; trim the file"), QStringLiteral("refused"));
        return std::nullopt;
    }
    return rel;
}

nlohmann::json TaskRecord::extra(std::initializer_list<const char*> known) const
{
    nlohmann::json out = m_object;
    for (const char* key : known)
        out.erase(key);
    return out;
}

} // namespace sg
