#include "TextCodec.h"

#include <QStringDecoder>

namespace sg {

std::optional<QString> TextCodec::decodeUtf8(const QByteArray& bytes)
{
    if (bytes.contains('\0'))
        return std::nullopt;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    return text;
}

int TextCodec::firstInvalidLine(const QByteArray& bytes)
{
    // Decode line by line; the first line that fails (or holds NUL) is the culprit.
    int line = 1;
    qsizetype start = 0;
    while (start <= bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        const QByteArray chunk = bytes.mid(start, end - start);
        if (!decodeUtf8(chunk))
            return line;
        ++line;
        start = end + 1;
    }
    return 0;
}

} // namespace sg
