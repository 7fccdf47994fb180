#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace sg {

// Strict UTF-8 handling for package text: a file that is not valid UTF-8, or holds NUL bytes,
// is binary to us and gets a clear error instead of being shown as mojibake.
class TextCodec
{
public:
    // The decoded text, or nullopt when the bytes are not valid UTF-8 or contain NUL.
    // A leading byte-order mark is dropped.
    static std::optional<QString> decodeUtf8(const QByteArray& bytes);

    // The 1-based line of the first invalid byte, for error messages (0 when valid).
    static int firstInvalidLine(const QByteArray& bytes);
};

} // namespace sg
