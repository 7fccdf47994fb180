#pragma once

#include "MockTypes.h"

#include <QByteArray>

namespace sg::test {

// An HTTP/1.1 response to serialise. Content-Length and Connection are added unless `headers`
// already has them (Raw replies choose their own).
struct HttpResponse
{
    int status = 200;
    MockHeaders headers;
    QByteArray body;
    bool keepAlive = true;

    // The status line and headers, with Content-Length: `contentLength` (-1: the body's size).
    QByteArray head(qsizetype contentLength = -1) const;
    QByteArray bytes() const { return head() + body; }

    static QByteArray reasonPhrase(int status);
    static bool hasHeader(const MockHeaders& headers, const QByteArray& name);
};

} // namespace sg::test
