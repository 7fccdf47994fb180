// The mock's transport: the exact bytes of each fault, keep-alive, concurrency, threads and the
// standalone executable. tst_MockLlmServer covers the two wire formats.
#include "MockLlmServer.h"
#include "MockTestClient.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <memory>

using namespace sg::test;
using Kind = MockReply::Kind;
using Client = MockTestClient;

namespace {

QString chatUrl(const MockLlmServer& server)
{
    return server.openaiBaseUrl() + QStringLiteral("/chat/completions");
}

QByteArray chatRequest(const MockHeaders& headers = {})
{
    return Client::rawRequest("POST", "/v1/chat/completions", Client::openaiBody(), headers);
}

// The body a Completion of the default reply has for the first request (ids count from 1).
qsizetype fullBodySize(const QByteArray& head)
{
    return Client::headerValue(head, "content-length").toLongLong();
}

} // namespace

class tst_MockLlmTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resetSendsNothingAndResets()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::fault(Kind::Reset));
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        socket.write(chatRequest());
        bool closed = false;
        const QByteArray bytes = Client::readUntilClosed(socket, 5000, &closed);
        QVERIFY(closed);
        QCOMPARE(bytes, QByteArray());
        QCOMPARE(socket.error(), QAbstractSocket::RemoteHostClosedError);
        QCOMPARE(server.requestCount(), 1); // the request was read before the reset
        QTRY_COMPARE_WITH_TIMEOUT(server.inFlight(), 0, 2000);
    }

    void qnamResendsOnceAfterAReset()
    {
        // Measured on Qt 6.4.2: QNetworkAccessManager re-sends a request once, on a new
        // connection, when the server closes without answering (RST or FIN alike). One Reset is
        // invisible to the client; two make it fail. The server's log counts both sends.
        MockLlmServer server;
        QVERIFY(server.listen());
        QNetworkAccessManager manager;
        server.enqueue(MockReply::fault(Kind::Reset));
        HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 200);
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(server.connectionsOpened(), 2);
        server.enqueue(MockReply::fault(Kind::Reset));
        server.enqueue(MockReply::fault(Kind::Reset));
        r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 0);
        QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
        QCOMPARE(server.requestCount(), 4);
    }

    void resetAfterHeadersSendsTheHeadOnly()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        MockReply reply = MockReply::fault(Kind::ResetAfterHeaders);
        reply.headers = {{"x-request-id", "r-1"}};
        server.enqueue(reply);
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        socket.write(chatRequest());
        bool closed = false;
        const QByteArray bytes = Client::readUntilClosed(socket, 5000, &closed);
        QVERIFY(closed);
        const auto [head, body] = Client::splitResponse(bytes);
        QVERIFY2(head.startsWith("HTTP/1.1 200 OK\r\n"), bytes.constData());
        QVERIFY(head.endsWith("\r\n\r\n"));
        QVERIFY(fullBodySize(head) > 100);
        QCOMPARE(Client::headerValue(head, "content-type"), QByteArray("application/json"));
        QCOMPARE(Client::headerValue(head, "x-request-id"), QByteArray("r-1"));
        QCOMPARE(body, QByteArray());
        // QNetworkAccessManager reports the 200 *and* an error: check error() first.
        server.enqueue(MockReply::fault(Kind::ResetAfterHeaders));
        QNetworkAccessManager manager;
        const HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
        QVERIFY(r.body.isEmpty());
    }

    void truncatedSendsHalfTheBodyThenCloses()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::fault(Kind::Truncated));
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        socket.write(chatRequest());
        bool closed = false;
        const QByteArray bytes = Client::readUntilClosed(socket, 5000, &closed);
        QVERIFY(closed);
        const auto [head, body] = Client::splitResponse(bytes);
        QVERIFY(head.startsWith("HTTP/1.1 200 OK\r\n"));
        const qsizetype full = fullBodySize(head);
        QVERIFY(full > 100);
        QCOMPARE(body.size(), full / 2);
        QVERIFY(body.startsWith("{\"id\":\"chatcmpl-mock-1\""));
        // Through QNetworkAccessManager the cut shows as an error, never as a short success.
        server.enqueue(MockReply::fault(Kind::Truncated));
        QNetworkAccessManager manager;
        const HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
        QVERIFY(r.json.is_null()); // what did arrive is half a document
    }

    void stallSendsHalfTheBodyThenWaits()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::fault(Kind::Stall));
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        socket.write(chatRequest());
        QByteArray bytes = Client::readAtLeast(socket, 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT((bytes += socket.readAll()).contains("\r\n\r\n"), 2000);
        const auto [head, body] = Client::splitResponse(bytes);
        const qsizetype expected = fullBodySize(head) / 2;
        QTRY_COMPARE_WITH_TIMEOUT(Client::splitResponse(bytes += socket.readAll()).second.size(),
                                  expected, 2000);
        QSignalSpy more(&socket, &QTcpSocket::readyRead);
        QVERIFY(!more.wait(300));                                  // nothing more comes ...
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState); // ... and the socket stays open
        QCOMPARE(server.inFlight(), 1);
        socket.abort(); // the client gives up
        QTRY_COMPARE_WITH_TIMEOUT(server.inFlight(), 0, 2000);
    }

    void stallBeforeHeadersNeverAnswers()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.setDefault(MockReply::fault(Kind::StallBeforeHeaders));
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        socket.write(chatRequest());
        QTRY_COMPARE_WITH_TIMEOUT(server.requestCount(), 1, 2000);
        QSignalSpy anything(&socket, &QTcpSocket::readyRead);
        QVERIFY(!anything.wait(300));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(server.peakInFlight(), 1);
        // A client's transfer timeout is what ends it.
        QNetworkAccessManager manager;
        manager.setTransferTimeout(300);
        const HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QVERIFY(r.finished);
        QCOMPARE(r.status, 0);
        QCOMPARE(r.error, QNetworkReply::OperationCanceledError);
        QCOMPARE(server.peakInFlight(), 2);
    }

    void malformedJsonIsA200ThatDoesNotParse()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::fault(Kind::MalformedJson));
        MockReply own = MockReply::fault(Kind::MalformedJson);
        own.body = "{\"choices\": [}";
        server.enqueue(own);
        QNetworkAccessManager manager;
        HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
        QVERIFY(!r.body.isEmpty());
        QVERIFY(r.json.is_null());
        r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.body, QByteArray("{\"choices\": [}"));
        QVERIFY(r.json.is_null());
    }

    void rawSendsExactlyWhatItIsGiven()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        MockReply raw = MockReply::fault(Kind::Raw);
        raw.status = 418;
        raw.headers = {{"X-Thing", "1"}, {"Content-Type", "text/plain"}};
        raw.body = "hello";
        server.enqueue(raw);
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        socket.write(chatRequest());
        const QByteArray bytes = Client::readAtLeast(socket, 200, 2000); // all of it, and no more
        QCOMPARE(
            bytes,
            QByteArray("HTTP/1.1 418 Client Error\r\nX-Thing: 1\r\nContent-Type: text/plain\r\n"
                       "Content-Length: 5\r\nConnection: keep-alive\r\n\r\nhello"));
    }

    void keepAliveReusesOneConnection()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        QNetworkAccessManager manager;
        for (int i = 0; i < 3; ++i)
            QCOMPARE(Client::post(manager, chatUrl(server), Client::openaiBody()).status, 200);
        QCOMPARE(server.connectionsOpened(), 1);
        for (const MockRequest& request : server.requests())
            QCOMPARE(request.connection, 1);
        server.closeAllConnections();
        QCOMPARE(Client::post(manager, chatUrl(server), Client::openaiBody()).status, 200);
        QCOMPARE(server.connectionsOpened(), 2);
        QCOMPARE(server.requests().back().connection, 2);
    }

    void pipelinedRequestsAndConnectionClose()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(
            MockReply::completion(QStringLiteral("first"), 100)); // order survives latency
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        socket.write(chatRequest() + chatRequest() + chatRequest({{"Connection", "close"}}));
        bool closed = false;
        const QByteArray bytes = Client::readUntilClosed(socket, 5000, &closed);
        QVERIFY2(closed, "Connection: close is honoured");
        QCOMPARE(bytes.count("HTTP/1.1 200 OK"), 3);
        QVERIFY(bytes.indexOf("first") < bytes.indexOf("chatcmpl-mock-2"));
        QCOMPARE(bytes.count("Connection: keep-alive"), 2);
        QVERIFY(bytes.contains("Connection: close\r\n"));
        QCOMPARE(server.connectionsOpened(), 1);
        QCOMPARE(server.peakInFlight(), 1); // one request at a time per connection
    }

    void expectContinueIsAnswered()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        const QByteArray request = chatRequest({{"Expect", "100-continue"}});
        const auto [head, body] = Client::splitResponse(request);
        socket.write(head);
        QCOMPARE(Client::readAtLeast(socket, 25, 2000),
                 QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        socket.write(body);
        QVERIFY(Client::readAtLeast(socket, 100, 2000).startsWith("HTTP/1.1 200 OK\r\n"));
    }

    void badHttpIsRefusedAndClosed_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("words");
        QTest::newRow("chunked body")
            << QByteArray("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
            << QByteArray("Content-Length");
        QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n")
                                 << QByteArray("malformed request line");
        QTest::newRow("bad length")
            << QByteArray("POST /v1/messages HTTP/1.1\r\nContent-Length: -3\r\n\r\n")
            << QByteArray("Content-Length");
    }

    void badHttpIsRefusedAndClosed()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, words);
        MockLlmServer server;
        QVERIFY(server.listen());
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        socket.write(request);
        bool closed = false;
        const QByteArray bytes = Client::readUntilClosed(socket, 5000, &closed);
        QVERIFY(closed);
        QVERIFY2(bytes.startsWith("HTTP/1.1 400 Bad Request\r\n"), bytes.constData());
        QVERIFY(bytes.contains("Connection: close\r\n"));
        QVERIFY2(bytes.contains(words), bytes.constData());
        const auto json = nlohmann::json::parse(Client::splitResponse(bytes).second.toStdString(),
                                                nullptr, false);
        QVERIFY(json.is_object() && json.contains("error"));
    }

    void sixtyFourConcurrentRequestsThroughAManagerPool()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.setDefault(MockReply::completion(QStringLiteral("pong"), 400));
        // Qt 6.4 opens at most 6 connections per host and manager: 64 in flight need 11 managers.
        std::vector<std::unique_ptr<QNetworkAccessManager>> pool;
        for (int i = 0; i < 11; ++i)
            pool.push_back(std::make_unique<QNetworkAccessManager>());
        std::vector<QNetworkReply*> replies;
        for (int i = 0; i < 64; ++i)
            replies.push_back(Client::startPost(*pool[std::size_t(i % 11)], chatUrl(server),
                                                Client::openaiBody()));
        int ok = 0;
        for (QNetworkReply* reply : replies)
            ok += Client::result(reply, 10000).status == 200 ? 1 : 0;
        QCOMPARE(ok, 64);
        QCOMPARE(server.requestCount(), 64);
        QVERIFY2(server.peakInFlight() >= 48, qPrintable(QString::number(server.peakInFlight())));
        QVERIFY(server.connectionsOpened() <= 66);
        QTRY_COMPARE_WITH_TIMEOUT(server.inFlight(), 0, 2000);
        // One manager: never more than 6 at once, whatever the caller asks for.
        server.clearLog();
        QCOMPARE(server.peakInFlight(), 0);
        server.setDefault(MockReply::completion(QStringLiteral("pong"), 100));
        replies.clear();
        for (int i = 0; i < 12; ++i)
            replies.push_back(Client::startPost(*pool[0], chatUrl(server), Client::openaiBody()));
        for (QNetworkReply* reply : replies)
            QCOMPARE(Client::result(reply).status, 200);
        QVERIFY2(server.peakInFlight() >= 2 && server.peakInFlight() <= 6,
                 qPrintable(QString::number(server.peakInFlight())));
    }

    void serves128ConnectionsAtOnce()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.setDefault(MockReply::completion(QStringLiteral("pong"), 300));
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < 128; ++i) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            sockets.back()->connectToHost(QHostAddress::LocalHost, server.port());
        }
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionsOpened(), 128, 5000);
        for (auto& socket : sockets) {
            QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::ConnectedState, 5000);
            socket->write(chatRequest());
        }
        std::vector<QByteArray> answers(sockets.size());
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(sockets.begin(), sockets.end(),
                                             [&, i = std::size_t(0)](auto& socket) mutable {
                                                 answers[i] += socket->readAll();
                                                 return answers[i++].contains("\"usage\"");
                                             }),
                                 8000);
        QCOMPARE(server.requestCount(), 128);
        QVERIFY2(server.peakInFlight() >= 64, qPrintable(QString::number(server.peakInFlight())));
    }

    void runsInAWorkerThread()
    {
        QThread thread;
        auto* server = new MockLlmServer;
        QVERIFY(server->listen());
        server->moveToThread(&thread);
        thread.start();
        server->setDefault(MockReply::completion(QStringLiteral("threaded"), 50));
        QNetworkAccessManager manager;
        std::vector<QNetworkReply*> replies;
        for (int i = 0; i < 6; ++i)
            replies.push_back(Client::startPost(manager, chatUrl(*server), Client::openaiBody()));
        for (QNetworkReply* reply : replies)
            QVERIFY(Client::result(reply).body.contains("threaded"));
        QCOMPARE(server->requestCount(), 6);
        QCOMPARE(server->requests().size(), std::size_t(6));
        server->closeAllConnections(); // runs in the server's thread
        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));
    }

    void executableServesAndStopsOnSigterm()
    {
        QProcess process;
        process.start(QStringLiteral(MOCK_LLM_SERVER_EXE),
                      {QStringLiteral("--fail-every"), QStringLiteral("2"), QStringLiteral("--key"),
                       QStringLiteral("k1")});
        QVERIFY(process.waitForStarted(5000));
        auto stop = qScopeGuard([&process] { // on a failure, do not leave it running
            if (process.state() != QProcess::NotRunning) {
                process.kill();
                process.waitForFinished(5000);
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(
            process.bytesAvailable() > 0 && process.peek(4096).count('\n') >= 2, 5000);
        const QString openai = QString::fromUtf8(process.readLine()).trimmed();
        const QString anthropic = QString::fromUtf8(process.readLine()).trimmed();
        QVERIFY2(openai.startsWith(QStringLiteral("openai: http://127.0.0.1:")) &&
                     openai.endsWith(QStringLiteral("/v1")),
                 qPrintable(openai));
        QVERIFY2(anthropic.startsWith(QStringLiteral("anthropic: http://127.0.0.1:")),
                 qPrintable(anthropic));
        const QString url = openai.mid(8) + QStringLiteral("/chat/completions");
        QNetworkAccessManager manager;
        const MockHeaders auth{{"Authorization", "Bearer k1"}};
        QCOMPARE(Client::post(manager, url, Client::openaiBody(), auth).status, 200);
        QCOMPARE(Client::post(manager, url, Client::openaiBody(), auth).status, 503);
        QCOMPARE(Client::post(manager, url, Client::openaiBody()).status, 401);
        process.terminate(); // SIGTERM
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }

    void executableScriptsATwoTurnAgent()
    {
        QProcess process;
        process.start(QStringLiteral(MOCK_LLM_SERVER_EXE),
                      {QStringLiteral("--agent"), QStringLiteral("42")});
        QVERIFY(process.waitForStarted(5000));
        auto stop = qScopeGuard([&process] {
            process.terminate();
            if (!process.waitForFinished(5000))
                process.kill();
        });
        QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine() && process.peek(4096).count('\n') >= 2,
                                 5000);
        const QString base = QString::fromUtf8(process.readLine()).trimmed().mid(8);
        const QString anthropic = QString::fromUtf8(process.readLine()).trimmed().mid(11);
        QNetworkAccessManager manager;

        // OpenAI: no tool result yet → sql; after a "tool" message → submit_answer [ANSWER].
        const QString chat = base + QStringLiteral("/chat/completions");
        HttpResult first = Client::post(manager, chat, Client::openaiBody());
        QCOMPARE(first.status, 200);
        const auto& call = first.json["choices"][0]["message"]["tool_calls"][0]["function"];
        QCOMPARE(call["name"].get<std::string>(), std::string("sql"));
        QVERIFY(QByteArray::fromStdString(call["arguments"].get<std::string>()).contains("FROM t"));
        const nlohmann::json withResult{
            {"model", "m"},
            {"messages",
             {{{"role", "user"}, {"content", "q"}},
              {{"role", "assistant"},
               {"content", nullptr},
               {"tool_calls",
                {{{"id", "c1"},
                  {"type", "function"},
                  {"function", {{"name", "sql"}, {"arguments", "{}"}}}}}}},
              {{"role", "tool"}, {"tool_call_id", "c1"}, {"content", "1"}}}}};
        HttpResult second =
            Client::post(manager, chat, QByteArray::fromStdString(withResult.dump()));
        QCOMPARE(second.status, 200);
        const auto& submit = second.json["choices"][0]["message"]["tool_calls"][0]["function"];
        QCOMPARE(submit["name"].get<std::string>(), std::string("submit_answer"));
        QCOMPARE(submit["arguments"].get<std::string>(), std::string(R"({"values":["42"]})"));

        // Anthropic: a tool_result block counts the same.
        const nlohmann::json anthropicResult{
            {"model", "m"},
            {"max_tokens", 10},
            {"messages",
             {{{"role", "user"}, {"content", "q"}},
              {{"role", "assistant"},
               {"content", {{{"type", "tool_use"}, {"id", "t1"}, {"name", "sql"}, {"input", {}}}}}},
              {{"role", "user"},
               {"content",
                {{{"type", "tool_result"}, {"tool_use_id", "t1"}, {"content", "1"}}}}}}}};
        HttpResult third = Client::post(manager, anthropic + QStringLiteral("/v1/messages"),
                                        QByteArray::fromStdString(anthropicResult.dump()),
                                        Client::anthropicHeaders());
        QCOMPARE(third.status, 200);
        QCOMPARE(third.json["content"][0]["name"].get<std::string>(), std::string("submit_answer"));
    }

    void executableHelpAndUsageErrors()
    {
        QProcess process;
        process.start(QStringLiteral(MOCK_LLM_SERVER_EXE), {QStringLiteral("--help")});
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 0);
        const QByteArray help = process.readAllStandardOutput();
        for (const char* option :
             {"--port", "--latency-ms", "--jitter-ms", "--key", "--fail-every", "--agent"})
            QVERIFY2(help.contains(option), option);
        process.start(QStringLiteral(MOCK_LLM_SERVER_EXE),
                      {QStringLiteral("--latency-ms"), QStringLiteral("soon")});
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_MockLlmTransport)
#include "tst_MockLlmTransport.moc"
