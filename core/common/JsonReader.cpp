#include "JsonReader.h"

#include <cmath>

namespace sg {

namespace {

QString typeName(const nlohmann::json& value)
{
    return QString::fromLatin1(value.type_name());
}

} // namespace

JsonReader::JsonReader(const nlohmann::json& object, QString file, QString path)
    : m_object(object), m_file(std::move(file)), m_path(std::move(path)), m_error(std::make_shared<std::optional<Error>>())
{
    if (!m_object.is_object())
        fail(QString(), QStringLiteral("must be a JSON object, not %1").arg(typeName(m_object)), QStringLiteral("write it as {\"key\": value, …}"));
}

QString JsonReader::fieldPath(const char* key) const
{
    const QString k = QString::fromUtf8(key);
    return m_path.isEmpty() ? k : (k.isEmpty() ? m_path : m_path + QLatin1Char('.') + k);
}

void JsonReader::fail(const QString& key, const QString& message, const QString& hint)
{
    if (m_error->has_value())
        return; // the first error is the one worth reading
    const QString field = m_path.isEmpty() ? key : (key.isEmpty() ? m_path : m_path + QLatin1Char('.') + key);
    const QString where = field.isEmpty() ? m_file : m_file + QStringLiteral(": field \"") + field + QLatin1Char('"');
    *m_error = Error{message, hint, where, QStringLiteral("invalid")};
}

bool JsonReader::has(const char* key) const
{
    return m_object.is_object() && m_object.contains(key) && !m_object.at(key).is_null();
}

const nlohmann::json* JsonReader::field(const char* key, bool required, const char* expected)
{
    m_read << QString::fromUtf8(key);
    if (!has(key)) {
        if (required)
            fail(QString::fromUtf8(key), QStringLiteral("is missing"), QStringLiteral("add it: a %1").arg(QString::fromLatin1(expected)));
        return nullptr;
    }
    return &m_object.at(key);
}

std::optional<QString> JsonReader::string(const char* key, bool required)
{
    const nlohmann::json* v = field(key, required, "string");
    if (!v)
        return std::nullopt;
    if (!v->is_string()) {
        fail(QString::fromUtf8(key), QStringLiteral("must be a string, not %1").arg(typeName(*v)), QStringLiteral("quote it"));
        return std::nullopt;
    }
    return QString::fromStdString(v->get<std::string>());
}

std::optional<QString> JsonReader::choice(const char* key, const QStringList& allowed, bool required)
{
    auto value = string(key, required);
    if (value && !allowed.contains(*value)) {
        fail(QString::fromUtf8(key), QStringLiteral("\"%1\" is not one of %2").arg(*value, allowed.join(QStringLiteral(", "))),
             QStringLiteral("use one of the listed values"));
        return std::nullopt;
    }
    return value;
}

std::optional<qint64> JsonReader::integer(const char* key, qint64 min, qint64 max, bool required)
{
    const nlohmann::json* v = field(key, required, "whole number");
    if (!v)
        return std::nullopt;
    if (!v->is_number_integer()) {
        fail(QString::fromUtf8(key), QStringLiteral("must be a whole number, not %1").arg(typeName(*v)), QStringLiteral("write a number without quotes"));
        return std::nullopt;
    }
    const qint64 value = v->get<qint64>();
    if (value < min || value > max) {
        fail(QString::fromUtf8(key), QStringLiteral("is %1; it must be between %2 and %3").arg(value).arg(min).arg(max),
             QStringLiteral("pick a value in range"));
        return std::nullopt;
    }
    return value;
}

std::optional<double> JsonReader::number(const char* key, double min, double max, bool required)
{
    const nlohmann::json* v = field(key, required, "number");
    if (!v)
        return std::nullopt;
    if (!v->is_number()) {
        fail(QString::fromUtf8(key), QStringLiteral("must be a number, not %1").arg(typeName(*v)), QStringLiteral("write a number without quotes"));
        return std::nullopt;
    }
    const double value = v->get<double>();
    if (!std::isfinite(value) || value < min || value > max) {
        fail(QString::fromUtf8(key), QStringLiteral("is %1; it must be between %2 and %3").arg(value).arg(min).arg(max),
             QStringLiteral("pick a value in range"));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> JsonReader::boolean(const char* key, bool required)
{
    const nlohmann::json* v = field(key, required, "true or false");
    if (!v)
        return std::nullopt;
    if (!v->is_boolean()) {
        fail(QString::fromUtf8(key), QStringLiteral("must be true or false, not %1").arg(typeName(*v)), QStringLiteral("write true or false"));
        return std::nullopt;
    }
    return v->get<bool>();
}

std::optional<QStringList> JsonReader::strings(const char* key, bool required)
{
    const nlohmann::json* v = field(key, required, "list of strings");
    if (!v)
        return std::nullopt;
    QStringList out;
    if (v->is_array()) {
        for (const auto& item : *v) {
            if (!item.is_string()) {
                out.clear();
                break;
            }
            out << QString::fromStdString(item.get<std::string>());
        }
        if (out.size() == qsizetype(v->size()))
            return out;
    }
    fail(QString::fromUtf8(key), QStringLiteral("must be a list of strings"), QStringLiteral("write it as [\"a\", \"b\"]"));
    return std::nullopt;
}

std::optional<JsonReader> JsonReader::object(const char* key, bool required)
{
    const nlohmann::json* v = field(key, required, "JSON object");
    if (!v)
        return std::nullopt;
    if (!v->is_object()) {
        fail(QString::fromUtf8(key), QStringLiteral("must be an object, not %1").arg(typeName(*v)), QStringLiteral("write it as {\"key\": value, …}"));
        return std::nullopt;
    }
    JsonReader child(*v, m_file, fieldPath(key));
    child.m_error = m_error; // one error slot for the whole document
    return child;
}

QStringList JsonReader::keys() const
{
    QStringList out;
    if (m_object.is_object()) {
        for (auto it = m_object.begin(); it != m_object.end(); ++it)
            out << QString::fromStdString(it.key());
    }
    return out;
}

void JsonReader::finish()
{
    for (const QString& key : keys()) {
        if (!m_read.contains(key)) {
            fail(key, QStringLiteral("is not a known field"), QStringLiteral("remove it or fix its spelling"));
            return;
        }
    }
}

std::optional<Error> JsonReader::error() const
{
    return *m_error;
}

} // namespace sg
