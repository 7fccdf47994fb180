#pragma once

#include "Result.h"

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace sg {

// Reads one JSON object strictly: every field read is type-checked, and `finish()` reports any
// field nobody asked for. Errors name the file and the field's dotted path ("optimizer.batch"),
// so a typo in a config file is never silently ignored.
class JsonReader
{
public:
    JsonReader(const nlohmann::json& object, QString file, QString path = {});

    bool has(const char* key) const;
    std::optional<QString> string(const char* key, bool required = false);
    std::optional<qint64> integer(const char* key, qint64 min, qint64 max, bool required = false);
    std::optional<double> number(const char* key, double min, double max, bool required = false);
    std::optional<bool> boolean(const char* key, bool required = false);
    std::optional<QStringList> strings(const char* key, bool required = false);
    // A nested object's reader (its errors are collected here); nullopt when absent or mistyped.
    std::optional<JsonReader> object(const char* key, bool required = false);
    // The keys of this object, for maps with free-form keys (roles, prices).
    QStringList keys() const;
    // A string that must be one of `allowed`.
    std::optional<QString> choice(const char* key, const QStringList& allowed, bool required = false);

    // Reports fields that were never read. Call once, after reading everything.
    void finish();
    // The first error of this reader or any reader made from it.
    std::optional<Error> error() const;
    QString fieldPath(const char* key) const;

private:
    const nlohmann::json* field(const char* key, bool required, const char* expected);
    void fail(const QString& key, const QString& message, const QString& hint);

    const nlohmann::json& m_object;
    QString m_file;
    QString m_path;
    QStringList m_read;
    std::shared_ptr<std::optional<Error>> m_error;
};

} // namespace sg
