#pragma once

#include "MockTypes.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QRandomGenerator64>
#include <QSet>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>

class QTcpServer;

namespace sg::test {

class MockConnection;
struct HttpMessage;

// A local HTTP/1.1 server on 127.0.0.1 that speaks the OpenAI chat-completions and Anthropic
// Messages formats and injects latency and faults, for tests and benchmarks.
//
// Each request gets, in this order: the server's own refusal when a real provider would refuse it
// (unknown path 404, wrong method 405, key 401, anthropic-version 400, invalid body 400; at once,
// without latency, and without using up the queue); else the handler's reply when a handler is
// set; else the next queued reply; else the default reply. Every request is logged, refused or not.
//
// Threads: everything runs on the event loop of the thread the object lives in (one timer per
// delayed reply, no sleeping). For benchmarks the server may be moved to a QThread after listen();
// listen() and closeAllConnections() may then be called from any thread (they run in the server's
// thread and wait), the configuration and log accessors are guarded by a mutex, and a handler runs
// in the server's thread. The server must be destroyed in its own thread.
class MockLlmServer : public QObject
{
    Q_OBJECT
public:
    explicit MockLlmServer(QObject* parent = nullptr);
    ~MockLlmServer() override;

    bool listen(quint16 port = 0); // 127.0.0.1; 0 = a free port
    quint16 port() const;
    QString openaiBaseUrl() const;    // "http://127.0.0.1:<port>/v1"
    QString anthropicBaseUrl() const; // "http://127.0.0.1:<port>"

    void enqueue(const MockReply& reply);    // the next requests get these, in order
    void setDefault(const MockReply& reply); // when the queue is empty (default: a Completion)
    // When set, decides every reply (the queue is ignored); an empty function unsets it. It runs
    // in the server's thread and may keep state (a mutable lambda's counter persists).
    void setHandler(std::function<MockReply(const MockRequest&)> handler);
    // Wrong or missing key: 401 in the dialect's format, whose message echoes the key received.
    void setRequiredKey(const QString& key);
    void setSeed(quint64 seed); // for the latency jitter

    std::vector<MockRequest> requests() const;
    int requestCount() const; // requests in the log
    int queuedReplies() const;
    void clearLog();          // the log and peakInFlight(); indexes keep counting
    int peakInFlight() const; // most requests being served at once (since listen() or clearLog())
    int inFlight() const;
    int connectionsOpened() const;
    void closeAllConnections(); // abort every open connection

Q_SIGNALS:
    void requestReceived(const sg::test::MockRequest& request);

private:
    void onNewConnection();
    void onRequest(MockConnection& connection, const HttpMessage& message);
    void onRequestDone();
    MockReply chooseReply(const MockRequest& request);
    void answer(MockConnection& connection, const MockRequest& request, const MockReply& reply,
                bool keepAlive);

    QTcpServer* m_server;
    QElapsedTimer m_clock;
    std::atomic<quint16> m_port{0};
    QSet<MockConnection*> m_connections;

    mutable QMutex m_mutex; // guards everything below
    std::deque<MockReply> m_queue;
    MockReply m_default;
    // Shared so that a call outside the lock runs the stored handler itself, keeping its state.
    std::shared_ptr<std::function<MockReply(const MockRequest&)>> m_handler;
    QString m_requiredKey;
    QRandomGenerator64 m_random{1};
    std::vector<MockRequest> m_log;
    int m_nextIndex = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    int m_connectionsOpened = 0;
};

} // namespace sg::test
