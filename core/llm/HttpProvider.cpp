#include "HttpProvider.h"

#include "LlmErrors.h"
#include "Redactor.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

#include <algorithm>

namespace sg {

namespace {

constexpr int kConnectionsPerManager = 6; // Qt 6.4's fixed HTTP/1.1 limit per host

QByteArray header(const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& name)
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

} // namespace

// One attempt: the reply, its three timers, and the classification of how it ended.
class HttpProvider::Call final : public QObject
{
public:
    Call(HttpProvider* provider, int managerIndex, QNetworkReply* reply, Done done)
        : QObject(provider), m_provider(provider), m_managerIndex(managerIndex), m_reply(reply), m_done(std::move(done))
    {
        m_clock.start();
        const ProviderSettings& s = provider->settings();
        arm(m_connectTimer, s.connectTimeoutMs, QStringLiteral("connecting took longer than %1 s"));
        arm(m_totalTimer, s.totalTimeoutMs, QStringLiteral("no complete answer within %1 s"));
        m_connectTimer.start();
        m_totalTimer.start();
        arm(m_idleTimer, s.idleTimeoutMs, QStringLiteral("the server sent nothing for %1 s"));

        connect(reply, &QNetworkReply::requestSent, this, [this] {
            m_connectTimer.stop();
            m_idleTimer.start();
        });
        const auto touch = [this] {
            if (m_idleTimer.isActive())
                m_idleTimer.start();
        };
        connect(reply, &QNetworkReply::metaDataChanged, this, touch);
        connect(reply, &QNetworkReply::readyRead, this, touch);
        connect(reply, &QNetworkReply::uploadProgress, this, touch);
        connect(reply, &QNetworkReply::finished, this, &Call::finish);
    }

    void cancel()
    {
        m_done = nullptr; // an aborted call never reports
        if (m_reply)
            m_reply->abort();
    }

private:
    void arm(QTimer& timer, int ms, const QString& message)
    {
        timer.setSingleShot(true);
        timer.setInterval(ms);
        connect(&timer, &QTimer::timeout, this, [this, ms, message] {
            m_timeout = message.arg(ms / 1000.0);
            if (m_reply)
                m_reply->abort();
        });
    }

    void finish()
    {
        m_connectTimer.stop();
        m_idleTimer.stop();
        m_totalTimer.stop();
        ProviderReply out;
        out.latencyMs = m_clock.elapsed();
        out.httpStatus = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const auto headers = m_reply->rawHeaderPairs();
        const QByteArray body = m_reply->readAll();
        out.result = classify(out.httpStatus, headers, body);
        if (out.httpStatus == 429 || out.httpStatus == 503 || out.httpStatus == 529)
            out.retryAfterMs = HttpProvider::retryAfter(headers);
        if (out.result)
            out.result->latencyMs = out.latencyMs;
        m_reply->deleteLater();
        m_reply = nullptr;
        m_provider->m_load[std::size_t(m_managerIndex)]--;
        Done done = std::move(m_done);
        deleteLater();
        if (done)
            done(std::move(out));
    }

    Result<LlmResponse> classify(int status, const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& body)
    {
        const QString endpoint = m_provider->endpoint();
        if (!m_timeout.isEmpty())
            return LlmErrors::make(LlmErrors::kTimeout, m_timeout, endpoint);
        const QNetworkReply::NetworkError error = m_reply->error();
        if (status == 0 && error != QNetworkReply::NoError)
            return networkError(error, endpoint);
        if (status >= 400 || (status >= 300 && status < 400)) {
            QString message;
            try {
                message = m_provider->errorMessage(nlohmann::json::parse(body.constData(), body.constData() + body.size()));
            } catch (const nlohmann::json::exception&) {
                message = QString::fromUtf8(body.left(200)).simplified();
            }
            return LlmErrors::http(status, message, endpoint);
        }
        // A 2xx answer must be complete and well-formed to count as one.
        const QByteArray declared = header(headers, "content-length");
        bool known = false;
        const qint64 expected = declared.toLongLong(&known);
        if ((known && expected != body.size()) || error != QNetworkReply::NoError)
            return LlmErrors::make(LlmErrors::kTruncated,
                                   known ? QStringLiteral("the answer was cut off (%1 of %2 bytes)").arg(body.size()).arg(expected)
                                         : QStringLiteral("the answer was cut off: %1").arg(m_reply->errorString()),
                                   endpoint);
        nlohmann::json json;
        try {
            json = nlohmann::json::parse(body.constData(), body.constData() + body.size());
        } catch (const nlohmann::json::exception&) {
            return LlmErrors::make(LlmErrors::kInvalidResponse,
                                   QStringLiteral("the answer is not valid JSON (%1 bytes starting \"%2\")")
                                       .arg(body.size())
                                       .arg(QString::fromUtf8(body.left(40)).simplified()),
                                   endpoint);
        }
        return m_provider->decode(json);
    }

    Error networkError(QNetworkReply::NetworkError error, const QString& endpoint) const
    {
        const QString host = m_reply->url().host();
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            return LlmErrors::make(LlmErrors::kConnection, QStringLiteral("nothing is listening there (connection refused)"), endpoint);
        case QNetworkReply::HostNotFoundError:
            return LlmErrors::make(LlmErrors::kConnection, QStringLiteral("cannot resolve the host name %1").arg(host), endpoint);
        case QNetworkReply::RemoteHostClosedError:
            return LlmErrors::make(LlmErrors::kConnection, QStringLiteral("the server closed the connection without answering"), endpoint);
        case QNetworkReply::TimeoutError:
            return LlmErrors::make(LlmErrors::kTimeout, QStringLiteral("the connection timed out"), endpoint);
        case QNetworkReply::OperationCanceledError:
            return LlmErrors::make(LlmErrors::kCancelled, QStringLiteral("the request was cancelled"), endpoint);
        case QNetworkReply::SslHandshakeFailedError:
            return LlmErrors::make(LlmErrors::kConnection, QStringLiteral("the TLS handshake failed: %1").arg(m_reply->errorString()), endpoint);
        default:
            return LlmErrors::make(LlmErrors::kConnection, m_reply->errorString(), endpoint);
        }
    }

    HttpProvider* m_provider;
    int m_managerIndex;
    QNetworkReply* m_reply;
    Done m_done;
    QElapsedTimer m_clock;
    QTimer m_connectTimer;
    QTimer m_idleTimer;
    QTimer m_totalTimer;
    QString m_timeout;
};

namespace {

// The handle the scheduler holds; the call itself is a QObject that deletes itself.
class Handle final : public ProviderCall
{
public:
    explicit Handle(QObject* call, std::function<void()> cancel) : m_call(call), m_cancel(std::move(cancel)) {}
    void abort() override
    {
        if (m_call)
            m_cancel();
    }

private:
    QPointer<QObject> m_call;
    std::function<void()> m_cancel;
};

} // namespace

HttpProvider::HttpProvider(ProviderSettings settings, QObject* parent) : Provider(parent), m_settings(std::move(settings)) {}

HttpProvider::~HttpProvider() = default;

QString HttpProvider::endpoint() const
{
    QUrl u = url();
    u.setUserInfo(QString());
    return QStringLiteral("%1 at %2").arg(m_settings.kind, u.toString());
}

QNetworkAccessManager* HttpProvider::pickManager()
{
    // Created on first use, in the thread that uses them (DESIGN.md 14).
    if (m_managers.empty()) {
        const int count = std::max(1, (m_settings.concurrency + kConnectionsPerManager - 1) / kConnectionsPerManager);
        for (int i = 0; i < count; ++i) {
            auto* manager = new QNetworkAccessManager(this);
            manager->setAutoDeleteReplies(false);
            m_managers.push_back(manager);
            m_load.push_back(0);
        }
    }
    const auto least = std::min_element(m_load.begin(), m_load.end());
    ++*least;
    return m_managers[std::size_t(least - m_load.begin())];
}

std::unique_ptr<ProviderCall> HttpProvider::start(const LlmRequest& request, Done done)
{
    QNetworkRequest http(url());
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    http.setRawHeader("Accept", "application/json");
    http.setRawHeader("User-Agent", "SkillGrad/" SKILLGRAD_VERSION);
    addHeaders(http);
    const QByteArray body = QByteArray::fromStdString(encode(request).dump());
    QNetworkAccessManager* manager = pickManager();
    const int index = int(std::find(m_managers.begin(), m_managers.end(), manager) - m_managers.begin());
    QNetworkReply* reply = manager->post(http, body);
    auto* call = new Call(this, index, reply, std::move(done));
    return std::make_unique<Handle>(call, [call] { call->cancel(); });
}

std::optional<qint64> HttpProvider::retryAfter(const QList<QPair<QByteArray, QByteArray>>& headers)
{
    bool ok = false;
    const QByteArray ms = header(headers, "retry-after-ms").trimmed();
    if (!ms.isEmpty()) {
        const double value = ms.toDouble(&ok);
        if (ok && value >= 0)
            return qint64(value);
    }
    const QByteArray seconds = header(headers, "retry-after").trimmed();
    if (seconds.isEmpty())
        return std::nullopt;
    const double value = seconds.toDouble(&ok);
    if (ok && value >= 0)
        return qint64(value * 1000);
    const QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(seconds), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (when.isValid()) {
        QDateTime utc = when;
        utc.setTimeSpec(Qt::UTC);
        return std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(utc));
    }
    return std::nullopt;
}

} // namespace sg
