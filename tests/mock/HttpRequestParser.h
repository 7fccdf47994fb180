#pragma once

#include <QByteArray>
#include <QMap>

namespace sg::test {

// One HTTP/1.x request as it came off the wire.
struct HttpMessage
{
    QByteArray method;
    QByteArray target;
    QByteArray version;                   // "HTTP/1.1"
    QMap<QByteArray, QByteArray> headers; // lower-cased names
    QByteArray body;
    bool keepAlive = true; // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only when asked
    bool chunked = false;  // a chunked body, which this server refuses (the body is not read)
};

// Incremental request parser for one connection: feed it the connection's buffer as bytes
// arrive; it takes exactly one request's bytes off the front when the request is complete, so
// pipelined requests stay in the buffer for the next call.
class HttpRequestParser
{
public:
    enum class State { NeedMore, Complete, Error };

    static constexpr qsizetype kMaxHeadBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024 * 1024;

    State parse(QByteArray& buffer);

    // After Complete: the request (valid until the next parse()).
    const HttpMessage& message() const { return m_message; }
    // After Error: the status to answer with (400, 413, 431) and why.
    int errorStatus() const { return m_errorStatus; }
    QByteArray errorMessage() const { return m_errorMessage; }
    // True once per request when the head asked for "Expect: 100-continue" and the body is due.
    bool takeContinue();

private:
    State parseHead(QByteArray& buffer);
    State fail(int status, const QByteArray& message);

    HttpMessage m_message;
    bool m_headDone = false;
    bool m_continuePending = false;
    qsizetype m_contentLength = 0;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

} // namespace sg::test
