#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace sg {

// An error a user can act on: what went wrong (naming the thing), where, and what to do.
struct Error
{
    QString message;
    QString hint;
    QString where; // a file, file:line, entry or field; empty when the message already names it
    QString code;  // a stable kind for callers and scripts, e.g. "refused", "not-found"; may be empty

    // One line for a terminal: "where: message (hint)".
    QString text() const
    {
        QString out = where.isEmpty() ? message : where + QStringLiteral(": ") + message;
        if (!hint.isEmpty())
            out += QStringLiteral(" (") + hint + QLatin1Char(')');
        return out;
    }
};

// A value or an Error. Errors are values in this code base; nothing user-facing throws.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(m_data); }
    T& value() & { return std::get<T>(m_data); }
    T&& value() && { return std::get<T>(std::move(m_data)); }
    const T* operator->() const { return &std::get<T>(m_data); }
    T* operator->() { return &std::get<T>(m_data); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace sg
