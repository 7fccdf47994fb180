#include "HttpRequestParser.h"

#include <QList>

namespace sg::test {

namespace {

bool isToken(const QByteArray& text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || QByteArray("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

HttpRequestParser::State HttpRequestParser::parse(QByteArray& buffer)
{
    if (!m_headDone) {
        const State head = parseHead(buffer);
        if (head != State::Complete)
            return head;
        if (m_message.chunked) {
            m_headDone = false;
            return State::Complete;
        }
    }
    if (buffer.size() < m_contentLength)
        return State::NeedMore;
    m_message.body = buffer.left(m_contentLength);
    buffer.remove(0, m_contentLength);
    m_headDone = false;
    m_continuePending = false;
    return State::Complete;
}

bool HttpRequestParser::takeContinue()
{
    const bool pending = m_continuePending;
    m_continuePending = false;
    return pending;
}

HttpRequestParser::State HttpRequestParser::parseHead(QByteArray& buffer)
{
    // Tolerate bare LF line ends as well as CRLF (RFC 9112, 2.2).
    qsizetype end = buffer.indexOf("\r\n\r\n");
    qsizetype skip = 4;
    const qsizetype bareEnd = buffer.indexOf("\n\n");
    if (bareEnd >= 0 && (end < 0 || bareEnd < end)) {
        end = bareEnd;
        skip = 2;
    }
    if (end < 0) {
        if (buffer.size() > kMaxHeadBytes)
            return fail(431, "the request head is larger than 64 KiB");
        return State::NeedMore;
    }
    if (end > kMaxHeadBytes)
        return fail(431, "the request head is larger than 64 KiB");
    const QByteArray head = buffer.left(end);
    buffer.remove(0, end + skip);
    m_message = HttpMessage{};

    QList<QByteArray> lines = head.split('\n');
    for (QByteArray& line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    // A client may send empty lines before the request line (RFC 9112, 2.2).
    while (!lines.isEmpty() && lines.first().isEmpty())
        lines.removeFirst();
    if (lines.isEmpty())
        return fail(400, "empty request");
    const QList<QByteArray> requestLine = lines.takeFirst().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty() ||
        !requestLine[2].startsWith("HTTP/1."))
        return fail(400, "malformed request line");
    m_message.method = requestLine[0];
    m_message.target = requestLine[1];
    m_message.version = requestLine[2];

    for (const QByteArray& line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return fail(400, "malformed header line");
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        auto it = m_message.headers.find(name);
        if (it == m_message.headers.end())
            m_message.headers.insert(name, value);
        else
            it.value() += ", " + value;
    }

    const QByteArray connection = m_message.headers.value("connection").toLower();
    if (m_message.version == "HTTP/1.0")
        m_message.keepAlive = connection.contains("keep-alive");
    else
        m_message.keepAlive = !connection.contains("close");

    const QByteArray encoding = m_message.headers.value("transfer-encoding").toLower();
    if (!encoding.isEmpty() && encoding != "identity") {
        m_message.chunked = true;
        m_message.keepAlive = false; // the body's end is unknown: the connection cannot go on
        return State::Complete;
    }
    m_contentLength = 0;
    if (m_message.headers.contains("content-length")) {
        bool ok = false;
        const qlonglong length = m_message.headers.value("content-length").toLongLong(&ok);
        if (!ok || length < 0)
            return fail(400, "invalid Content-Length");
        if (length > kMaxBodyBytes)
            return fail(413, "the request body is larger than 64 MiB");
        m_contentLength = qsizetype(length);
    }
    m_headDone = true;
    m_continuePending = m_contentLength > buffer.size() &&
                        m_message.headers.value("expect").toLower() == "100-continue";
    return State::Complete;
}

HttpRequestParser::State HttpRequestParser::fail(int status, const QByteArray& message)
{
    m_errorStatus = status;
    m_errorMessage = message;
    m_headDone = false;
    return State::Error;
}

} // namespace sg::test
