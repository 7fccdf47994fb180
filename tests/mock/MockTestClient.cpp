#include "MockTestClient.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

namespace sg::test {

QNetworkReply* MockTestClient::startPost(QNetworkAccessManager& manager, const QString& url,
                                         const QByteArray& body, const MockHeaders& headers)
{
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    return manager.post(request, body);
}

HttpResult MockTestClient::result(QNetworkReply* reply, int timeoutMs)
{
    HttpResult out;
    QSignalSpy finished(reply, &QNetworkReply::finished);
    out.finished = reply->isFinished() || finished.wait(timeoutMs);
    if (!out.finished) {
        reply->abort();
        reply->deleteLater();
        return out;
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.error = reply->error();
    if (reply->isOpen())
        out.body = reply->readAll();
    for (const auto& [name, value] : reply->rawHeaderPairs())
        out.headers.insert(name.toLower(), value);
    out.json = nlohmann::json::parse(out.body.begin(), out.body.end(), nullptr, false);
    if (out.json.is_discarded())
        out.json = nullptr;
    reply->deleteLater();
    return out;
}

HttpResult MockTestClient::post(QNetworkAccessManager& manager, const QString& url,
                                const QByteArray& body, const MockHeaders& headers, int timeoutMs)
{
    return result(startPost(manager, url, body, headers), timeoutMs);
}

QByteArray MockTestClient::openaiBody(const QString& model)
{
    const nlohmann::json body = {{"model", model.toStdString()},
                                 {"messages",
                                  {{{"role", "system"}, {"content", "Be brief."}},
                                   {{"role", "user"}, {"content", "ping"}}}}};
    return QByteArray::fromStdString(body.dump());
}

QByteArray MockTestClient::anthropicBody(const QString& model)
{
    const nlohmann::json body = {{"model", model.toStdString()},
                                 {"max_tokens", 64},
                                 {"system", "Be brief."},
                                 {"messages", {{{"role", "user"}, {"content", "ping"}}}}};
    return QByteArray::fromStdString(body.dump());
}

MockHeaders MockTestClient::anthropicHeaders(const QByteArray& key)
{
    MockHeaders headers{{"anthropic-version", "2023-06-01"}};
    if (!key.isEmpty())
        headers.emplaceBack("x-api-key", key);
    return headers;
}

QByteArray MockTestClient::rawRequest(const QByteArray& method, const QByteArray& path,
                                      const QByteArray& body, const MockHeaders& headers)
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n\r\n";
    return out + body;
}

// The server runs on this thread's event loop: wait by spinning it, never by blocking.
bool MockTestClient::connectRaw(QTcpSocket& socket, quint16 port)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000);
}

QByteArray MockTestClient::readUntilClosed(QTcpSocket& socket, int timeoutMs, bool* closed)
{
    QByteArray out;
    *closed = QTest::qWaitFor(
        [&] {
            out += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    out += socket.readAll();
    return out;
}

QByteArray MockTestClient::readAtLeast(QTcpSocket& socket, qsizetype bytes, int timeoutMs)
{
    QByteArray out;
    [[maybe_unused]] const bool enough = QTest::qWaitFor(
        [&] {
            out += socket.readAll();
            return out.size() >= bytes || socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    return out;
}

std::pair<QByteArray, QByteArray> MockTestClient::splitResponse(const QByteArray& response)
{
    const qsizetype end = response.indexOf("\r\n\r\n");
    if (end < 0)
        return {response, QByteArray()};
    return {response.left(end + 4), response.mid(end + 4)};
}

QByteArray MockTestClient::headerValue(const QByteArray& head, const QByteArray& name)
{
    for (const QByteArray& line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace sg::test
