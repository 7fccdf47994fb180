#pragma once

#include "MockTypes.h"

#include <QNetworkReply>
#include <QTcpSocket>

class QNetworkAccessManager;

namespace sg::test {

// A finished QNetworkAccessManager exchange, as a client sees it.
struct HttpResult
{
    bool finished = false;
    int status = 0; // 0: no HTTP status (connection error)
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    nlohmann::json json;                  // null when the body is not JSON
    QMap<QByteArray, QByteArray> headers; // lower-cased names
};

// The plain clients the mock's tests talk through: QNetworkAccessManager for normal flows,
// QTcpSocket where the raw bytes matter.
class MockTestClient
{
public:
    static QNetworkReply* startPost(QNetworkAccessManager& manager, const QString& url,
                                    const QByteArray& body, const MockHeaders& headers = {});
    static HttpResult result(QNetworkReply* reply, int timeoutMs = 5000); // waits, then deletes
    static HttpResult post(QNetworkAccessManager& manager, const QString& url,
                           const QByteArray& body, const MockHeaders& headers = {},
                           int timeoutMs = 5000);

    // Minimal valid request bodies and the headers each provider wants.
    static QByteArray openaiBody(const QString& model = QStringLiteral("gpt-test"));
    static QByteArray anthropicBody(const QString& model = QStringLiteral("claude-test"));
    static MockHeaders anthropicHeaders(const QByteArray& key = {});

    // One HTTP/1.1 request's bytes, with Host and Content-Length.
    static QByteArray rawRequest(const QByteArray& method, const QByteArray& path,
                                 const QByteArray& body, const MockHeaders& headers = {});
    // Connects a raw socket to 127.0.0.1:port (waits for the connection).
    static bool connectRaw(QTcpSocket& socket, quint16 port);
    // Reads until the server closes the socket or `timeoutMs` passes; `closed` says which.
    static QByteArray readUntilClosed(QTcpSocket& socket, int timeoutMs, bool* closed);
    // Reads until at least `bytes` bytes have arrived or `timeoutMs` passes.
    static QByteArray readAtLeast(QTcpSocket& socket, qsizetype bytes, int timeoutMs);
    // Splits a raw response into its head (status line and headers) and body.
    static std::pair<QByteArray, QByteArray> splitResponse(const QByteArray& response);
    // A header's value in a raw head (case-insensitive name), or empty.
    static QByteArray headerValue(const QByteArray& head, const QByteArray& name);
};

} // namespace sg::test
