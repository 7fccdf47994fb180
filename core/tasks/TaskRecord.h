#pragma once

#include "common/Result.h"

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace sg {

// One line of a task file, parsed, with typed access to its fields. The first problem found is
// kept as an Error naming "<file>:<line>" and the field; later reads then return nothing, so a
// source can read every field and check `error()` once.
class TaskRecord
{
public:
    TaskRecord(const nlohmann::json& object, const QByteArray& raw, QString file, QString root,
               QString canonicalRoot, int line);

    const nlohmann::json& object() const { return m_object; }
    const QByteArray& raw() const { return m_raw; } // the line as read
    int line() const { return m_line; }

    // A string field. Null counts as absent; `required` also refuses an empty string.
    std::optional<QString> string(const char* key, bool required);
    // A list of strings; `required` also refuses an empty list. Absent gives an empty list.
    std::optional<QStringList> strings(const char* key, bool required);
    // An optional string that must be one of `allowed`; absent gives `fallback`.
    std::optional<QString> choice(const char* key, const QStringList& allowed,
                                  const QString& fallback);
    // The task id: a required string usable as a file name (later steps name files after it).
    std::optional<QString> id();
    // A path a task needs: relative, no "..", an existing regular file inside the task folder,
    // under the size cap. Returns it cleaned ('/'-separated, no "./").
    std::optional<QString> file(const QString& field, const QString& path);

    // The record without the fields a source maps onto Task members.
    nlohmann::json extra(std::initializer_list<const char*> known) const;

    // Records an error; the first one wins.
    void fail(const QString& field, const QString& message, const QString& hint,
              const QString& code = QStringLiteral("invalid"));
    bool failed() const { return m_error.has_value(); }
    const std::optional<Error>& error() const { return m_error; }

    // "<file>:<line>"
    QString where() const;
    static QString typeName(const nlohmann::json& value);

private:
    // The field's value, or nullptr when absent or null (then `required` records an error).
    const nlohmann::json* field(const char* key, bool required, const QString& expected);

    const nlohmann::json& m_object;
    const QByteArray& m_raw;
    QString m_file;
    QString m_root;
    QString m_canonicalRoot;
    int m_line = 0;
    std::optional<Error> m_error;
};

} // namespace sg
