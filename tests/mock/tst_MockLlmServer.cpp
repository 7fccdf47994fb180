#include "MockLlmServer.h"
#include "MockTestClient.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace sg::test;
using Kind = MockReply::Kind;
using Client = MockTestClient;

namespace {

QString chatUrl(const MockLlmServer& server)
{
    return server.openaiBaseUrl() + QStringLiteral("/chat/completions");
}

QString messagesUrl(const MockLlmServer& server)
{
    return server.anthropicBaseUrl() + QStringLiteral("/v1/messages");
}

// The base URL and a valid body + headers for a request in `dialect`.
struct Call
{
    QString url;
    QByteArray body;
    MockHeaders headers;
};

Call validCall(const MockLlmServer& server, const QString& dialect, const QByteArray& key = {})
{
    if (dialect == QLatin1String("anthropic"))
        return {messagesUrl(server), Client::anthropicBody(), Client::anthropicHeaders(key)};
    MockHeaders headers;
    if (!key.isEmpty())
        headers.emplaceBack("Authorization", "Bearer " + key);
    return {chatUrl(server), Client::openaiBody(), headers};
}

// The value at a JSON pointer, or null when it is not there (no crash on a bad answer).
nlohmann::json at(const nlohmann::json& json, const char* pointer)
{
    const nlohmann::json::json_pointer path(pointer);
    return json.contains(path) ? json.at(path) : nlohmann::json();
}

QString text(const nlohmann::json& json, const char* pointer)
{
    const nlohmann::json value = at(json, pointer);
    return value.is_string() ? QString::fromStdString(value.get<std::string>())
                             : QStringLiteral("<not a string>");
}

// QCOMPARE cannot take nlohmann::json (its implicit conversions confuse QTest's overloads).
#define COMPARE_JSON(actual, expected)                                                             \
    do {                                                                                           \
        const nlohmann::json a_ = (actual);                                                        \
        const nlohmann::json e_ = (expected);                                                      \
        QVERIFY2(a_ == e_, qPrintable(QStringLiteral("%1 != %2")                                   \
                                          .arg(QString::fromStdString(a_.dump()),                  \
                                               QString::fromStdString(e_.dump()))));               \
    } while (false)

} // namespace

class tst_MockLlmServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openaiCompletionFollowsTheWireFormat()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        QVERIFY(server.openaiBaseUrl().endsWith(QStringLiteral(":%1/v1").arg(server.port())));
        QNetworkAccessManager manager;
        const HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QVERIFY(r.finished);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(r.headers.value("content-length"), QByteArray::number(r.body.size()));
        QCOMPARE(r.headers.value("connection"), QByteArray("keep-alive"));
        const nlohmann::json& j = r.json;
        QCOMPARE(text(j, "/id"), QStringLiteral("chatcmpl-mock-1"));
        QCOMPARE(text(j, "/object"), QStringLiteral("chat.completion"));
        QVERIFY(at(j, "/created").is_number_integer() &&
                at(j, "/created").get<qint64>() > 1700000000);
        QCOMPARE(text(j, "/model"), QStringLiteral("gpt-test"));
        QCOMPARE(at(j, "/choices").size(), std::size_t(1));
        const nlohmann::json choice = at(j, "/choices/0");
        COMPARE_JSON(at(choice, "/index"), 0);
        QCOMPARE(text(choice, "/message/role"), QStringLiteral("assistant"));
        QCOMPARE(text(choice, "/message/content"), QStringLiteral("pong"));
        QVERIFY(at(choice, "/message/tool_calls").is_null());
        QCOMPARE(text(choice, "/finish_reason"), QStringLiteral("stop"));
        COMPARE_JSON(at(j, "/usage"),
                     (nlohmann::json{
                         {"prompt_tokens", 12}, {"completion_tokens", 4}, {"total_tokens", 16}}));
    }

    void openaiToolCallsCarryArgumentsAsAString()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        MockReply reply;
        reply.content.clear();
        reply.model = QStringLiteral("other-model");
        reply.toolCalls = {
            {QStringLiteral("call_a"), QStringLiteral("sql"), {{"query", "SELECT 1"}}, {}},
            {{}, QStringLiteral("sql"), {}, QStringLiteral("{\"query\": \"SEL")}};
        server.enqueue(reply);
        QNetworkAccessManager manager;
        const HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 200);
        QVERIFY2(at(r.json, "/choices/0/message").contains("content") &&
                     at(r.json, "/choices/0/message/content").is_null(),
                 r.body.constData());
        QCOMPARE(text(r.json, "/model"), QStringLiteral("other-model"));
        QCOMPARE(text(r.json, "/choices/0/finish_reason"), QStringLiteral("tool_calls"));
        const nlohmann::json calls = at(r.json, "/choices/0/message/tool_calls");
        QCOMPARE(calls.size(), std::size_t(2));
        QCOMPARE(text(calls, "/0/id"), QStringLiteral("call_a"));
        QCOMPARE(text(calls, "/0/type"), QStringLiteral("function"));
        QCOMPARE(text(calls, "/0/function/name"), QStringLiteral("sql"));
        QVERIFY(at(calls, "/0/function/arguments").is_string());
        COMPARE_JSON(nlohmann::json::parse(text(calls, "/0/function/arguments").toStdString(),
                                           nullptr, false),
                     (nlohmann::json{{"query", "SELECT 1"}}));
        QCOMPARE(text(calls, "/1/id"), QStringLiteral("call_mock_1_1"));
        QCOMPARE(text(calls, "/1/function/arguments"), QStringLiteral("{\"query\": \"SEL"));
    }

    void anthropicCompletionFollowsTheWireFormat()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        QNetworkAccessManager manager;
        const HttpResult r = Client::post(manager, messagesUrl(server), Client::anthropicBody(),
                                          Client::anthropicHeaders());
        QCOMPARE(r.status, 200);
        const nlohmann::json& j = r.json;
        QCOMPARE(text(j, "/id"), QStringLiteral("msg_mock_1"));
        QCOMPARE(text(j, "/type"), QStringLiteral("message"));
        QCOMPARE(text(j, "/role"), QStringLiteral("assistant"));
        QCOMPARE(text(j, "/model"), QStringLiteral("claude-test"));
        COMPARE_JSON(at(j, "/content"),
                     (nlohmann::json::array({{{"type", "text"}, {"text", "pong"}}})));
        QCOMPARE(text(j, "/stop_reason"), QStringLiteral("end_turn"));
        QVERIFY(j.contains("stop_sequence") && j["stop_sequence"].is_null());
        COMPARE_JSON(at(j, "/usage"), (nlohmann::json{{"input_tokens", 12}, {"output_tokens", 4}}));
    }

    void anthropicToolUseCarriesAnInputObject()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        MockReply withText = MockReply::toolCall(QStringLiteral("sql"), {{"query", "SELECT 1"}},
                                                 QStringLiteral("toolu_1"));
        withText.content = QStringLiteral("Let me look.");
        server.enqueue(withText);
        server.enqueue(MockReply::toolCall(QStringLiteral("sql"), {{"query", "SELECT 2"}}));
        QNetworkAccessManager manager;
        HttpResult r = Client::post(manager, messagesUrl(server), Client::anthropicBody(),
                                    Client::anthropicHeaders());
        QCOMPARE(r.status, 200);
        COMPARE_JSON(at(r.json, "/content"),
                     (nlohmann::json::array({{{"type", "text"}, {"text", "Let me look."}},
                                             {{"type", "tool_use"},
                                              {"id", "toolu_1"},
                                              {"name", "sql"},
                                              {"input", {{"query", "SELECT 1"}}}}})));
        QCOMPARE(text(r.json, "/stop_reason"), QStringLiteral("tool_use"));
        r = Client::post(manager, messagesUrl(server), Client::anthropicBody(),
                         Client::anthropicHeaders());
        QCOMPARE(at(r.json, "/content").size(), std::size_t(1)); // no empty text block
        QCOMPARE(text(r.json, "/content/0/type"), QStringLiteral("tool_use"));
        QCOMPARE(text(r.json, "/content/0/id"), QStringLiteral("toolu_mock_2_0"));
        QVERIFY(at(r.json, "/content/0/input").is_object());
    }

    void finishReasonsMapToEachDialect_data()
    {
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("openai");
        QTest::addColumn<QString>("anthropic");
        QTest::newRow("default") << ""
                                 << "stop"
                                 << "end_turn";
        QTest::newRow("stop") << "stop"
                              << "stop"
                              << "end_turn";
        QTest::newRow("tool_calls") << "tool_calls"
                                    << "tool_calls"
                                    << "tool_use";
        QTest::newRow("length") << "length"
                                << "length"
                                << "max_tokens";
        QTest::newRow("content_filter") << "content_filter"
                                        << "content_filter"
                                        << "refusal";
        QTest::newRow("other") << "stop_sequence"
                               << "stop_sequence"
                               << "stop_sequence";
    }

    void finishReasonsMapToEachDialect()
    {
        QFETCH(QString, reason);
        QFETCH(QString, openai);
        QFETCH(QString, anthropic);
        MockLlmServer server;
        QVERIFY(server.listen());
        MockReply reply;
        reply.finishReason = reason;
        server.setDefault(reply);
        QNetworkAccessManager manager;
        HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(text(r.json, "/choices/0/finish_reason"), openai);
        r = Client::post(manager, messagesUrl(server), Client::anthropicBody(),
                         Client::anthropicHeaders());
        QCOMPARE(text(r.json, "/stop_reason"), anthropic);
    }

    void statusRepliesCarryDialectErrorBodies_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::newRow("openai 429") << "openai" << 429 << "requests";
        QTest::newRow("openai 500") << "openai" << 500 << "server_error";
        QTest::newRow("openai 503") << "openai" << 503 << "server_error";
        QTest::newRow("openai 400") << "openai" << 400 << "invalid_request_error";
        QTest::newRow("anthropic 429") << "anthropic" << 429 << "rate_limit_error";
        QTest::newRow("anthropic 529") << "anthropic" << 529 << "overloaded_error";
        QTest::newRow("anthropic 500") << "anthropic" << 500 << "api_error";
        QTest::newRow("anthropic 401") << "anthropic" << 401 << "authentication_error";
        QTest::newRow("anthropic 404") << "anthropic" << 404 << "not_found_error";
        QTest::newRow("anthropic 400") << "anthropic" << 400 << "invalid_request_error";
    }

    void statusRepliesCarryDialectErrorBodies()
    {
        QFETCH(QString, dialect);
        QFETCH(int, status);
        QFETCH(QString, type);
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::error(status));
        server.enqueue(MockReply::error(
            status, {{"retry-after", "2"}, {"x-ratelimit-remaining-requests", "0"}}));
        QNetworkAccessManager manager;
        const Call call = validCall(server, dialect);
        HttpResult r = Client::post(manager, call.url, call.body, call.headers);
        QCOMPARE(r.status, status);
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
        QVERIFY2(!r.headers.contains("retry-after"), "retry-after only when the reply asks for it");
        QCOMPARE(text(r.json, "/error/type"), type);
        QVERIFY(!at(r.json, "/error/message").empty());
        if (dialect == QLatin1String("anthropic"))
            QCOMPARE(text(r.json, "/type"), QStringLiteral("error"));
        else
            QVERIFY(at(r.json, "/error").contains("code"));
        r = Client::post(manager, call.url, call.body, call.headers);
        QCOMPARE(r.status, status);
        QCOMPARE(r.headers.value("retry-after"), QByteArray("2"));
        QCOMPARE(r.headers.value("x-ratelimit-remaining-requests"), QByteArray("0"));
        QCOMPARE(server.requestCount(), 2);
    }

    void statusReplyMaySendItsOwnBody()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        MockReply reply = MockReply::error(502);
        reply.body = "<html>bad gateway</html>";
        reply.headers = {{"Content-Type", "text/html"}};
        server.enqueue(reply);
        QNetworkAccessManager manager;
        const HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 502);
        QCOMPARE(r.body, QByteArray("<html>bad gateway</html>"));
        QCOMPARE(r.headers.value("content-type"), QByteArray("text/html"));
    }

    void faultsThenSuccessAreScriptedInOrder()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::error(429, {{"retry-after", "1"}}));
        server.enqueue(MockReply::error(503));
        server.enqueue(MockReply::fault(Kind::MalformedJson));
        server.setDefault(MockReply::completion(QStringLiteral("finally")));
        QCOMPARE(server.queuedReplies(), 3);
        QNetworkAccessManager manager;
        QList<int> statuses;
        for (int i = 0; i < 4; ++i)
            statuses << Client::post(manager, chatUrl(server), Client::openaiBody()).status;
        QCOMPARE(statuses, (QList<int>{429, 503, 200, 200}));
        const HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(text(r.json, "/choices/0/message/content"), QStringLiteral("finally"));
        QCOMPARE(server.queuedReplies(), 0);
    }

    void handlerDecidesEveryReply()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::error(500)); // ignored while a handler is set
        QList<int> seen;
        server.setHandler([&seen, calls = 0](const MockRequest& request) mutable {
            seen << request.index;
            return ++calls % 2 == 1 ? MockReply::completion(QStringLiteral("call %1").arg(calls))
                                    : MockReply::error(429);
        });
        QNetworkAccessManager manager;
        HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(text(r.json, "/choices/0/message/content"), QStringLiteral("call 1"));
        QCOMPARE(Client::post(manager, chatUrl(server), Client::openaiBody()).status, 429);
        r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(text(r.json, "/choices/0/message/content"),
                 QStringLiteral("call 3")); // state kept
        QCOMPARE(seen, (QList<int>{0, 1, 2}));
        server.setHandler({});
        QCOMPARE(Client::post(manager, chatUrl(server), Client::openaiBody()).status, 500);
    }

    void latencyIsApplied()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::completion(QStringLiteral("slow"), 250));
        MockReply jittery = MockReply::completion(QStringLiteral("jitter"), 100);
        jittery.jitterMs = 50;
        server.enqueue(jittery);
        server.enqueue(MockReply::fault(Kind::Reset, 150));
        QNetworkAccessManager manager;
        QElapsedTimer clock;
        clock.start();
        HttpResult r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 200);
        QVERIFY2(clock.elapsed() >= 245, qPrintable(QString::number(clock.elapsed())));
        clock.restart();
        r = Client::post(manager, chatUrl(server), Client::openaiBody());
        QCOMPARE(r.status, 200);
        QVERIFY2(clock.elapsed() >= 95, qPrintable(QString::number(clock.elapsed())));
        // A fault waits too before it strikes.
        QTcpSocket socket;
        QVERIFY(Client::connectRaw(socket, server.port()));
        clock.restart();
        socket.write(Client::rawRequest("POST", "/v1/chat/completions", Client::openaiBody()));
        bool closed = false;
        QVERIFY(Client::readUntilClosed(socket, 5000, &closed).isEmpty());
        QVERIFY(closed);
        QVERIFY2(clock.elapsed() >= 145, qPrintable(QString::number(clock.elapsed())));
    }

    void requestLogRecordsWhatArrived()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        QSignalSpy received(&server, &MockLlmServer::requestReceived);
        QNetworkAccessManager manager;
        QCOMPARE(
            Client::post(manager, chatUrl(server), Client::openaiBody(), {{"X-Trace-Id", "t-1"}})
                .status,
            200);
        QCOMPARE(Client::post(manager, messagesUrl(server), Client::anthropicBody(),
                              Client::anthropicHeaders())
                     .status,
                 200);
        QCOMPARE(Client::post(manager, server.anthropicBaseUrl() + QStringLiteral("/nope?x=1"),
                              "not json")
                     .status,
                 404);
        QCOMPARE(received.count(), 3);
        const std::vector<MockRequest> log = server.requests();
        QCOMPARE(log.size(), std::size_t(3));
        QCOMPARE(server.requestCount(), 3);
        QCOMPARE(log[0].index, 0);
        QCOMPARE(log[0].method, QByteArray("POST"));
        QCOMPARE(log[0].path, QByteArray("/v1/chat/completions"));
        QCOMPARE(log[0].dialect, QStringLiteral("openai"));
        QCOMPARE(log[0].headers.value("x-trace-id"), QByteArray("t-1"));
        QCOMPARE(log[0].headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(log[0].body, Client::openaiBody());
        QCOMPARE(text(log[0].json, "/model"), QStringLiteral("gpt-test"));
        QCOMPARE(log[0].connection, 1);
        QCOMPARE(log[1].index, 1);
        QCOMPARE(log[1].dialect, QStringLiteral("anthropic"));
        QCOMPARE(log[1].headers.value("anthropic-version"), QByteArray("2023-06-01"));
        COMPARE_JSON(at(log[1].json, "/max_tokens"), 64);
        QCOMPARE(log[2].path, QByteArray("/nope?x=1"));
        QCOMPARE(log[2].dialect, QStringLiteral("unknown"));
        QVERIFY(log[2].json.is_null());
        QVERIFY(log[0].receivedMs <= log[1].receivedMs && log[1].receivedMs <= log[2].receivedMs);
        QCOMPARE(received.at(1).at(0).value<MockRequest>().dialect, QStringLiteral("anthropic"));
        server.clearLog();
        QCOMPARE(server.requestCount(), 0);
        QCOMPARE(Client::post(manager, chatUrl(server), Client::openaiBody()).status, 200);
        QCOMPARE(server.requests().at(0).index, 3); // indexes keep counting
    }

    void requiredKeyIsCheckedAndEchoed_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<int>("status");
        QTest::newRow("openai right") << "openai" << QByteArray("sk-right") << 200;
        QTest::newRow("openai wrong") << "openai" << QByteArray("sk-wrong-12345") << 401;
        QTest::newRow("openai missing") << "openai" << QByteArray() << 401;
        QTest::newRow("anthropic right") << "anthropic" << QByteArray("sk-right") << 200;
        QTest::newRow("anthropic wrong") << "anthropic" << QByteArray("sk-wrong-12345") << 401;
        QTest::newRow("anthropic missing") << "anthropic" << QByteArray() << 401;
    }

    void requiredKeyIsCheckedAndEchoed()
    {
        QFETCH(QString, dialect);
        QFETCH(QByteArray, key);
        QFETCH(int, status);
        MockLlmServer server;
        QVERIFY(server.listen());
        server.setRequiredKey(QStringLiteral("sk-right"));
        server.enqueue(MockReply::completion(QStringLiteral("queued")));
        QNetworkAccessManager manager;
        const Call call = validCall(server, dialect, key);
        const HttpResult r = Client::post(manager, call.url, call.body, call.headers);
        QCOMPARE(r.status, status);
        if (status == 200)
            return;
        const QString type = dialect == QLatin1String("anthropic")
                                 ? QStringLiteral("authentication_error")
                                 : QStringLiteral("invalid_request_error");
        QCOMPARE(text(r.json, "/error/type"), type);
        if (!key.isEmpty())
            QVERIFY2(r.body.contains(key),
                     r.body.constData());    // echoed, so that redaction can be tested
        QCOMPARE(server.queuedReplies(), 1); // a refusal does not use up the script
    }

    void anthropicVersionIsRequired()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        QNetworkAccessManager manager;
        const HttpResult r = Client::post(manager, messagesUrl(server), Client::anthropicBody());
        QCOMPARE(r.status, 400);
        QCOMPARE(text(r.json, "/error/type"), QStringLiteral("invalid_request_error"));
        QVERIFY(r.body.contains("anthropic-version"));
    }

    void invalidRequestsAreRefusedLikeTheProviders_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("words");
        QTest::newRow("anthropic without max_tokens")
            << "anthropic"
            << QByteArray(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})")
            << "max_tokens";
        QTest::newRow("anthropic first message from assistant")
            << "anthropic"
            << QByteArray(
                   R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":"hi"},{"role":"user","content":"x"}]})")
            << "first message";
        QTest::newRow("anthropic system role in messages")
            << "anthropic"
            << QByteArray(
                   R"({"model":"m","max_tokens":5,"messages":[{"role":"system","content":"s"},{"role":"user","content":"hi"}]})")
            << "system";
        QTest::newRow("anthropic empty text block")
            << "anthropic"
            << QByteArray(
                   R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":""}]}]})")
            << "non-empty";
        QTest::newRow("anthropic without messages")
            << "anthropic" << QByteArray(R"({"model":"m","max_tokens":5})") << "messages";
        QTest::newRow("anthropic not json") << "anthropic" << QByteArray("{model: m") << "JSON";
        QTest::newRow("openai without model")
            << "openai" << QByteArray(R"({"messages":[{"role":"user","content":"hi"}]})")
            << "model";
        QTest::newRow("openai without messages")
            << "openai" << QByteArray(R"({"model":"m"})") << "messages";
        QTest::newRow("openai not json") << "openai" << QByteArray("[1,2") << "JSON";
    }

    void invalidRequestsAreRefusedLikeTheProviders()
    {
        QFETCH(QString, dialect);
        QFETCH(QByteArray, body);
        QFETCH(QString, words);
        MockLlmServer server;
        QVERIFY(server.listen());
        server.enqueue(MockReply::completion(QStringLiteral("queued")));
        QNetworkAccessManager manager;
        const Call call = validCall(server, dialect);
        HttpResult r = Client::post(manager, call.url, body, call.headers);
        QCOMPARE(r.status, 400);
        QCOMPARE(text(r.json, "/error/type"), QStringLiteral("invalid_request_error"));
        if (dialect == QLatin1String("anthropic"))
            QCOMPARE(text(r.json, "/type"), QStringLiteral("error"));
        QVERIFY2(text(r.json, "/error/message").contains(words), r.body.constData());
        // The refusal came from the server: the scripted reply is still there for a good request.
        r = Client::post(manager, call.url, call.body, call.headers);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("queued"));
        QCOMPARE(server.requestCount(), 2);
    }

    void unknownPathAndMethodGetJsonErrors()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        QNetworkAccessManager manager;
        HttpResult r = Client::post(
            manager, server.openaiBaseUrl() + QStringLiteral("/completions"), Client::openaiBody());
        QCOMPARE(r.status, 404);
        QVERIFY(text(r.json, "/error/message").contains(QStringLiteral("/v1/completions")));
        r = Client::post(manager, server.anthropicBaseUrl() + QStringLiteral("/messages"),
                         Client::anthropicBody(), Client::anthropicHeaders());
        QCOMPARE(r.status, 404);
        QCOMPARE(text(r.json, "/error/type"),
                 QStringLiteral("not_found_error")); // Anthropic's shape
        QNetworkReply* get = manager.get(QNetworkRequest(QUrl(chatUrl(server))));
        r = Client::result(get);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.headers.value("allow"), QByteArray("POST"));
    }
};

QTEST_GUILESS_MAIN(tst_MockLlmServer)
#include "tst_MockLlmServer.moc"
