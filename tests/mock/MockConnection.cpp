#include "MockConnection.h"

#include "HttpResponse.h"
#include "MockDialect.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace sg::test {

MockConnection::MockConnection(QTcpSocket* socket, int id, Hooks hooks, QObject* parent)
    : QObject(parent), m_socket(socket), m_id(id), m_hooks(std::move(hooks))
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &MockConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &MockConnection::onDisconnected);
    // Bytes may have arrived before the signals were connected.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &MockConnection::onReadyRead, Qt::QueuedConnection);
}

MockConnection::~MockConnection()
{
    // The server detaches before it destroys its connections; nothing to report then.
    if (m_state == State::Busy || m_state == State::Held)
        finishRequest();
}

void MockConnection::respond(const QByteArray& bytes, After after)
{
    if (m_state != State::Busy)
        return; // the client went away while the answer was delayed
    if (!bytes.isEmpty())
        m_socket->write(bytes);
    switch (after) {
    case After::KeepAlive:
        finishRequest();
        m_state = State::Idle;
        processBuffer();
        break;
    case After::Close:
        finishRequest();
        m_state = State::Closing;
        m_socket->disconnectFromHost(); // after the written bytes are flushed
        break;
    case After::Reset: {
        finishRequest();
        m_state = State::Closing;
        // SO_LINGER with a zero timeout turns close() into a reset.
        const qintptr fd = m_socket->socketDescriptor();
        if (fd >= 0) {
            const linger option{1, 0};
            ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &option, sizeof option);
        }
        m_socket->abort();
        onDisconnected();
        break;
    }
    case After::Hold:
        m_state = State::Held; // still in flight until the client closes
        break;
    }
}

void MockConnection::abort()
{
    if (m_state == State::Closed)
        return;
    m_socket->abort();
    onDisconnected();
}

void MockConnection::onReadyRead()
{
    if (m_state == State::Closed)
        return;
    m_buffer += m_socket->readAll();
    processBuffer();
}

void MockConnection::onDisconnected()
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Busy || m_state == State::Held)
        finishRequest();
    m_state = State::Closed;
    if (m_hooks.closed)
        m_hooks.closed(*this);
    deleteLater();
}

void MockConnection::processBuffer()
{
    // A reply sent synchronously from the request hook comes back here; the loop below picks up
    // the next pipelined request instead of recursing.
    if (m_processing)
        return;
    m_processing = true;
    while (m_state == State::Idle && !m_buffer.isEmpty()) {
        const HttpRequestParser::State state = m_parser.parse(m_buffer);
        if (m_parser.takeContinue())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        if (state == HttpRequestParser::State::NeedMore)
            break;
        if (state == HttpRequestParser::State::Error) {
            HttpResponse response;
            response.status = m_parser.errorStatus();
            response.keepAlive = false;
            response.headers = {{"Content-Type", "application/json"}};
            response.body = MockDialect::errorBody(QStringLiteral("unknown"), response.status,
                                                   QString::fromUtf8(m_parser.errorMessage()));
            m_socket->write(response.bytes());
            m_state = State::Closing;
            m_buffer.clear();
            m_socket->disconnectFromHost();
            break;
        }
        m_state = State::Busy;
        if (m_hooks.request)
            m_hooks.request(*this, m_parser.message());
    }
    m_processing = false;
}

void MockConnection::finishRequest()
{
    if (m_state != State::Busy && m_state != State::Held)
        return;
    if (m_hooks.done)
        m_hooks.done(*this);
}

} // namespace sg::test
