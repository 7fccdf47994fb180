#pragma once

#include "HttpRequestParser.h"

#include <QObject>

#include <functional>

class QTcpSocket;

namespace sg::test {

// One accepted TCP connection: reads requests one at a time (pipelined ones wait in the buffer),
// hands each to the server, and writes what the server decides. Lives in the server's thread.
class MockConnection : public QObject
{
    Q_OBJECT
public:
    // What happens to the connection after an answer.
    enum class After {
        KeepAlive, // read the next request
        Close,     // flush, then close (FIN)
        Reset,     // close at once with a TCP RST
        Hold       // stay open and silent until the client goes away
    };

    struct Hooks
    {
        std::function<void(MockConnection&, const HttpMessage&)> request; // a full request arrived
        std::function<void(MockConnection&)> done; // the current request is over (answered or not)
        std::function<void(MockConnection&)> closed; // the socket is gone; deleteLater follows
    };

    MockConnection(QTcpSocket* socket, int id, Hooks hooks, QObject* parent);
    ~MockConnection() override;

    int id() const { return m_id; }
    bool isOpen() const { return m_state != State::Closed; }

    // Answers the current request.
    void respond(const QByteArray& bytes, After after);
    // Closes the connection from the server's side at once.
    void abort();
    // Stops calling the hooks (the server is going away).
    void detach() { m_hooks = {}; }

private:
    enum class State { Idle, Busy, Held, Closing, Closed };

    void onReadyRead();
    void onDisconnected();
    void processBuffer();
    void finishRequest();

    QTcpSocket* m_socket;
    int m_id;
    Hooks m_hooks;
    HttpRequestParser m_parser;
    QByteArray m_buffer;
    State m_state = State::Idle;
    bool m_processing = false;
};

} // namespace sg::test
