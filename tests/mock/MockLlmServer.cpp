#include "MockLlmServer.h"

#include "HttpRequestParser.h"
#include "HttpResponse.h"
#include "MockConnection.h"
#include "MockDialect.h"

#include <QHostAddress>
#include <QMutexLocker>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

namespace sg::test {

namespace {

MockHeaders withJsonType(const MockHeaders& extra)
{
    MockHeaders headers;
    if (!HttpResponse::hasHeader(extra, "content-type"))
        headers.emplaceBack("Content-Type", "application/json");
    headers += extra;
    return headers;
}

bool asksToClose(const MockHeaders& headers)
{
    for (const auto& [name, value] : headers) {
        if (name.compare("connection", Qt::CaseInsensitive) == 0 &&
            value.toLower().contains("close"))
            return true;
    }
    return false;
}

// The bytes to write for `reply` and what to do with the connection after them.
std::pair<QByteArray, MockConnection::After> plan(const MockRequest& request,
                                                  const MockReply& reply, bool keepAlive)
{
    using After = MockConnection::After;
    using Kind = MockReply::Kind;
    const After normal = keepAlive ? After::KeepAlive : After::Close;
    HttpResponse response;
    response.keepAlive = keepAlive;
    switch (reply.kind) {
    case Kind::Completion:
        response.headers = withJsonType(reply.headers);
        response.body = MockDialect::completionBody(request, reply);
        return {response.bytes(), normal};
    case Kind::Status:
        response.status = reply.status;
        response.headers = withJsonType(reply.headers);
        response.body = reply.body.isEmpty() ? MockDialect::errorBody(request.dialect, reply.status)
                                             : reply.body;
        return {response.bytes(), normal};
    case Kind::Reset:
        return {QByteArray(), After::Reset};
    case Kind::ResetAfterHeaders:
        response.status = reply.status;
        response.headers = withJsonType(reply.headers);
        response.body = MockDialect::completionBody(request, reply);
        return {response.head(), After::Close};
    case Kind::Truncated:
    case Kind::Stall:
        response.headers = withJsonType(reply.headers);
        response.body = MockDialect::completionBody(request, reply);
        return {response.head() + response.body.left(response.body.size() / 2),
                reply.kind == Kind::Truncated ? After::Close : After::Hold};
    case Kind::StallBeforeHeaders:
        return {QByteArray(), After::Hold};
    case Kind::MalformedJson:
        response.headers = withJsonType(reply.headers);
        response.body = reply.body.isEmpty() ? MockDialect::malformedJsonBody() : reply.body;
        return {response.bytes(), normal};
    case Kind::Raw:
        response.status = reply.status;
        response.headers = reply.headers;
        response.body = reply.body;
        return {response.bytes(), asksToClose(reply.headers) ? After::Close : normal};
    }
    return {QByteArray(), After::Reset};
}

} // namespace

MockLlmServer::MockLlmServer(QObject* parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &MockLlmServer::onNewConnection);
}

MockLlmServer::~MockLlmServer()
{
    m_server->close();
    const QSet<MockConnection*> connections = m_connections;
    m_connections.clear();
    for (MockConnection* connection : connections) {
        connection->detach();
        delete connection;
    }
}

bool MockLlmServer::listen(quint16 port)
{
    if (QThread::currentThread() != thread()) {
        bool ok = false;
        QMetaObject::invokeMethod(
            this, [this, port] { return listen(port); }, Qt::BlockingQueuedConnection, &ok);
        return ok;
    }
    // Bursts of 128 connects must not overflow the accept queue (Qt's default backlog is 50).
    m_server->setListenBacklogSize(1024);
    m_server->setMaxPendingConnections(1024);
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return false;
    m_clock.start();
    m_port = m_server->serverPort();
    return true;
}

quint16 MockLlmServer::port() const
{
    return m_port;
}

QString MockLlmServer::openaiBaseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(port());
}

QString MockLlmServer::anthropicBaseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

void MockLlmServer::enqueue(const MockReply& reply)
{
    QMutexLocker lock(&m_mutex);
    m_queue.push_back(reply);
}

void MockLlmServer::setDefault(const MockReply& reply)
{
    QMutexLocker lock(&m_mutex);
    m_default = reply;
}

void MockLlmServer::setHandler(std::function<MockReply(const MockRequest&)> handler)
{
    auto shared =
        handler ? std::make_shared<std::function<MockReply(const MockRequest&)>>(std::move(handler))
                : nullptr;
    QMutexLocker lock(&m_mutex);
    m_handler = std::move(shared);
}

void MockLlmServer::setRequiredKey(const QString& key)
{
    QMutexLocker lock(&m_mutex);
    m_requiredKey = key;
}

void MockLlmServer::setSeed(quint64 seed)
{
    QMutexLocker lock(&m_mutex);
    m_random.seed(seed);
}

std::vector<MockRequest> MockLlmServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_log;
}

int MockLlmServer::requestCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_log.size());
}

int MockLlmServer::queuedReplies() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_queue.size());
}

void MockLlmServer::clearLog()
{
    QMutexLocker lock(&m_mutex);
    m_log.clear();
    m_peakInFlight = m_inFlight;
}

int MockLlmServer::peakInFlight() const
{
    QMutexLocker lock(&m_mutex);
    return m_peakInFlight;
}

int MockLlmServer::inFlight() const
{
    QMutexLocker lock(&m_mutex);
    return m_inFlight;
}

int MockLlmServer::connectionsOpened() const
{
    QMutexLocker lock(&m_mutex);
    return m_connectionsOpened;
}

void MockLlmServer::closeAllConnections()
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(
            this, [this] { closeAllConnections(); }, Qt::BlockingQueuedConnection);
        return;
    }
    const QSet<MockConnection*> connections = m_connections;
    for (MockConnection* connection : connections)
        connection->abort();
}

void MockLlmServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        int id = 0;
        {
            QMutexLocker lock(&m_mutex);
            id = ++m_connectionsOpened;
        }
        MockConnection::Hooks hooks;
        hooks.request = [this](MockConnection& connection, const HttpMessage& message) {
            onRequest(connection, message);
        };
        hooks.done = [this](MockConnection&) {
            onRequestDone();
        };
        hooks.closed = [this](MockConnection& connection) {
            m_connections.remove(&connection);
        };
        m_connections.insert(new MockConnection(socket, id, std::move(hooks), this));
    }
}

void MockLlmServer::onRequest(MockConnection& connection, const HttpMessage& message)
{
    MockRequest request;
    request.method = message.method;
    request.path = message.target;
    request.headers = message.headers;
    request.body = message.body;
    request.json = nlohmann::json::parse(message.body.begin(), message.body.end(), nullptr, false);
    if (request.json.is_discarded())
        request.json = nullptr;
    request.dialect = MockDialect::ofTarget(message.target);
    request.connection = connection.id();
    QString requiredKey;
    {
        QMutexLocker lock(&m_mutex);
        request.index = m_nextIndex++;
        request.receivedMs = m_clock.elapsed();
        m_log.push_back(request);
        m_peakInFlight = std::max(m_peakInFlight, ++m_inFlight);
        requiredKey = m_requiredKey;
    }
    Q_EMIT requestReceived(request);

    if (message.chunked) {
        HttpResponse response;
        response.status = 400;
        response.keepAlive = false;
        response.headers = withJsonType({});
        response.body =
            MockDialect::errorBody(request.dialect, 400,
                                   QStringLiteral("Chunked request bodies are not supported; "
                                                  "send the body with a Content-Length."));
        connection.respond(response.bytes(), MockConnection::After::Close);
        return;
    }
    if (std::optional<HttpResponse> refusal = MockDialect::check(request, requiredKey)) {
        refusal->keepAlive = message.keepAlive;
        connection.respond(refusal->bytes(), message.keepAlive ? MockConnection::After::KeepAlive
                                                               : MockConnection::After::Close);
        return;
    }
    answer(connection, request, chooseReply(request), message.keepAlive);
}

MockReply MockLlmServer::chooseReply(const MockRequest& request)
{
    std::shared_ptr<std::function<MockReply(const MockRequest&)>> handler;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_handler) {
            if (m_queue.empty())
                return m_default;
            MockReply reply = m_queue.front();
            m_queue.pop_front();
            return reply;
        }
        handler = m_handler;
    }
    // Outside the lock: a handler may look at the log or change the configuration.
    return (*handler)(request);
}

void MockLlmServer::answer(MockConnection& connection, const MockRequest& request,
                           const MockReply& reply, bool keepAlive)
{
    int delay = std::max(0, reply.latencyMs);
    if (reply.jitterMs > 0) {
        QMutexLocker lock(&m_mutex);
        delay += int(m_random.bounded(quint64(reply.jitterMs) + 1));
    }
    auto [bytes, after] = plan(request, reply, keepAlive);
    if (delay == 0) {
        connection.respond(bytes, after);
        return;
    }
    // The connection is the timer's context: a client that leaves cancels the answer.
    QTimer::singleShot(delay, Qt::PreciseTimer, &connection,
                       [target = &connection, bytes = std::move(bytes), after = after] {
                           target->respond(bytes, after);
                       });
}

void MockLlmServer::onRequestDone()
{
    QMutexLocker lock(&m_mutex);
    --m_inFlight;
}

} // namespace sg::test
