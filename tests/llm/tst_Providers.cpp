#include "LlmTestKit.h"

#include "llm/LlmErrors.h"
#include "llm/Redactor.h"

using namespace sg;
using namespace sg::test;

namespace {

ToolDefinition sqlTool()
{
    return {QStringLiteral("sql"), QStringLiteral("Run a read-only SQL query"),
            {{"type", "object"}, {"properties", {{"query", {{"type", "string"}}}}}, {"required", {"query"}}}};
}

QString errorText(const Result<LlmResponse>& r)
{
    return r ? QStringLiteral("(no error)") : r.error().text();
}

} // namespace

// Both dialects against the mock: what we send, what we read, and how each fault is classified.
class tst_Providers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { Redactor::clearForTests(); }

    void completes_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << "openai";
        QTest::newRow("anthropic") << "anthropic";
    }

    void completes()
    {
        QFETCH(QString, kind);
        LlmTestKit kit(kind);
        auto r = kit.call(LlmTestKit::ping());
        QVERIFY2(r, qPrintable(errorText(r)));
        QCOMPARE(r->content, QStringLiteral("pong"));
        QCOMPARE(r->usage.inputTokens, 12);
        QCOMPARE(r->usage.outputTokens, 4);
        QCOMPARE(r->finish, FinishReason::Stop);
        QCOMPARE(r->attempts, 1);

        const MockRequest sent = kit.server.requests().front();
        QCOMPARE(sent.dialect, kind);
        QCOMPARE(sent.json["model"].get<std::string>(), std::string("mock-model"));
        QCOMPARE(sent.json["max_tokens"].get<int>(), 64);
        if (kind == QLatin1String("openai")) {
            QCOMPARE(sent.headers.value("authorization"), QByteArray("Bearer sk-test-key-000111222"));
            QCOMPARE(sent.json["messages"][0]["role"].get<std::string>(), std::string("system"));
        } else {
            QCOMPARE(sent.headers.value("x-api-key"), QByteArray("sk-test-key-000111222"));
            QCOMPARE(sent.headers.value("anthropic-version"), QByteArray("2023-06-01"));
            QCOMPARE(sent.json["system"].get<std::string>(), std::string("You are terse."));
            QCOMPARE(sent.json["messages"][0]["role"].get<std::string>(), std::string("user"));
        }
    }

    void toolCallRoundTrip_data() { completes_data(); }

    void toolCallRoundTrip()
    {
        QFETCH(QString, kind);
        LlmTestKit kit(kind);
        kit.server.enqueue(MockReply::toolCall(QStringLiteral("sql"), {{"query", "SELECT 1"}}, QStringLiteral("call_7")));
        kit.server.enqueue(MockReply::completion(QStringLiteral("The answer is 1.")));

        LlmRequest request = LlmTestKit::ping(QStringLiteral("What is one?"));
        request.tools = {sqlTool()};
        auto first = kit.call(request);
        QVERIFY2(first, qPrintable(errorText(first)));
        QCOMPARE(first->finish, FinishReason::ToolCalls);
        QCOMPARE(first->toolCalls.size(), std::size_t(1));
        const ToolCall call = first->toolCalls.front();
        QCOMPARE(call.id, QStringLiteral("call_7"));
        QCOMPARE(call.name, QStringLiteral("sql"));
        QVERIFY(call.argumentsValid);
        QCOMPARE(call.arguments["query"].get<std::string>(), std::string("SELECT 1"));

        request.messages.push_back(LlmMessage::assistant(first->content, first->toolCalls));
        request.messages.push_back(LlmMessage::toolResult(call, QStringLiteral("1")));
        auto second = kit.call(request);
        QVERIFY2(second, qPrintable(errorText(second)));
        QCOMPARE(second->content, QStringLiteral("The answer is 1."));

        const nlohmann::json sent = kit.server.requests().back().json;
        if (kind == QLatin1String("openai")) {
            QCOMPARE(sent["tools"][0]["function"]["name"].get<std::string>(), std::string("sql"));
            const auto& assistant = sent["messages"][2];
            QCOMPARE(assistant["tool_calls"][0]["id"].get<std::string>(), std::string("call_7"));
            // OpenAI wants the arguments as a JSON string.
            QVERIFY(assistant["tool_calls"][0]["function"]["arguments"].is_string());
            QCOMPARE(sent["messages"][3]["role"].get<std::string>(), std::string("tool"));
            QCOMPARE(sent["messages"][3]["tool_call_id"].get<std::string>(), std::string("call_7"));
        } else {
            QCOMPARE(sent["tools"][0]["input_schema"]["type"].get<std::string>(), std::string("object"));
            const auto& assistant = sent["messages"][1];
            QCOMPARE(assistant["role"].get<std::string>(), std::string("assistant"));
            const auto& use = assistant["content"].back();
            QCOMPARE(use["type"].get<std::string>(), std::string("tool_use"));
            QVERIFY(use["input"].is_object());
            const auto& result = sent["messages"][2];
            QCOMPARE(result["role"].get<std::string>(), std::string("user"));
            QCOMPARE(result["content"][0]["type"].get<std::string>(), std::string("tool_result"));
            QCOMPARE(result["content"][0]["tool_use_id"].get<std::string>(), std::string("call_7"));
        }
    }

    void malformedToolArgumentsAreKeptForTheModel()
    {
        LlmTestKit kit;
        MockReply reply = MockReply::toolCall(QStringLiteral("sql"), nlohmann::json::object());
        reply.toolCalls[0].rawArguments = QStringLiteral("{\"query\": SELECT");
        kit.server.enqueue(reply);
        auto r = kit.call(LlmTestKit::ping());
        QVERIFY2(r, qPrintable(errorText(r)));
        QVERIFY(!r->toolCalls.front().argumentsValid);
        QCOMPARE(r->toolCalls.front().rawArguments, QStringLiteral("{\"query\": SELECT"));
    }

    void faultsAreClassified_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("fault"); // MockReply::Kind
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("retried");
        using K = MockReply::Kind;
        for (const char* dialect : {"openai", "anthropic"}) {
            const QString d = QString::fromLatin1(dialect);
            const auto row = [&](const char* name) -> QTestData& { return QTest::addRow("%s: %s", dialect, name); };
            row("400") << d << int(K::Status) << 400 << LlmErrors::kBadRequest << false;
            row("401") << d << int(K::Status) << 401 << LlmErrors::kAuth << false;
            row("403") << d << int(K::Status) << 403 << LlmErrors::kAuth << false;
            row("404") << d << int(K::Status) << 404 << LlmErrors::kNotFound << false;
            row("408") << d << int(K::Status) << 408 << LlmErrors::kServer << true;
            row("409") << d << int(K::Status) << 409 << LlmErrors::kServer << true;
            row("429") << d << int(K::Status) << 429 << LlmErrors::kRateLimited << true;
            row("500") << d << int(K::Status) << 500 << LlmErrors::kServer << true;
            row("503") << d << int(K::Status) << 503 << LlmErrors::kServer << true;
            row("529") << d << int(K::Status) << 529 << LlmErrors::kServer << true;
            row("reset") << d << int(K::Reset) << 0 << LlmErrors::kConnection << true;
            row("reset after headers") << d << int(K::ResetAfterHeaders) << 200 << LlmErrors::kTruncated << true;
            row("truncated body") << d << int(K::Truncated) << 200 << LlmErrors::kTruncated << true;
            row("stalled body") << d << int(K::Stall) << 200 << LlmErrors::kTimeout << true;
            row("stalled before headers") << d << int(K::StallBeforeHeaders) << 0 << LlmErrors::kTimeout << true;
            row("malformed JSON") << d << int(K::MalformedJson) << 200 << LlmErrors::kInvalidResponse << true;
        }
    }

    void faultsAreClassified()
    {
        QFETCH(QString, kind);
        QFETCH(int, fault);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(bool, retried);
        LlmTestKit kit(kind);
        MockReply reply;
        reply.kind = MockReply::Kind(fault);
        reply.status = status;
        kit.server.setDefault(reply); // every attempt fails the same way
        SchedulerLimits limits;
        limits.maxAttempts = 3;
        kit.use(limits);
        auto r = kit.call(LlmTestKit::ping(), 20000);
        QVERIFY2(!r, "a broken answer must never become a success");
        QCOMPARE(r.error().code, code);
        QVERIFY(!r.error().hint.isEmpty());
        QVERIFY2(r.error().where.contains(QStringLiteral("127.0.0.1")), qPrintable(r.error().text()));
        // The scheduler's own record counts attempts (Qt may re-send on its own: DESIGN.md 14).
        const auto& attempts = kit.scheduler.attempts();
        QCOMPARE(int(attempts.size()), retried ? 3 : 1);
        for (const auto& a : attempts)
            QCOMPARE(a.outcome, code);
        if (retried)
            QVERIFY(r.error().message.contains(QStringLiteral("after 3 attempts")));
    }

    void lengthAndContentFilterAreErrors_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("finish");
        QTest::addColumn<QString>("code");
        for (const char* dialect : {"openai", "anthropic"}) {
            QTest::addRow("%s: length", dialect) << QString::fromLatin1(dialect) << "length" << LlmErrors::kLength;
            QTest::addRow("%s: filter", dialect) << QString::fromLatin1(dialect) << "content_filter" << LlmErrors::kContentFilter;
        }
    }

    void lengthAndContentFilterAreErrors()
    {
        QFETCH(QString, kind);
        QFETCH(QString, finish);
        QFETCH(QString, code);
        LlmTestKit kit(kind);
        MockReply reply = MockReply::completion(QStringLiteral("half an ans"));
        reply.finishReason = finish;
        kit.server.setDefault(reply);
        auto r = kit.call(LlmTestKit::ping());
        QVERIFY(!r);
        QCOMPARE(r.error().code, code);
        QCOMPARE(kit.scheduler.attempts().size(), std::size_t(1)); // deterministic: no retry
    }

    void canaryKeyNeverAppears()
    {
        const QString canary = QStringLiteral("sk-canary-7f3a9b2c4d5e6f70");
        LlmTestKit kit(QStringLiteral("openai"), canary);
        Redactor::add(canary);
        kit.server.setRequiredKey(QStringLiteral("the-real-key-is-different"));
        auto r = kit.call(LlmTestKit::ping());
        QVERIFY(!r);
        QCOMPARE(r.error().code, LlmErrors::kAuth);
        // The mock echoes the key it got, as real servers do; none of it may survive.
        QVERIFY2(!r.error().text().contains(QStringLiteral("canary")), qPrintable(r.error().text()));
        QVERIFY2(!r.error().text().contains(QStringLiteral("7f3a9b2c")), qPrintable(r.error().text()));
        QVERIFY(r.error().message.contains(QStringLiteral("[redacted]")));
    }

    void connectionRefusedNamesTheUrl()
    {
        ProviderSettings settings;
        settings.kind = QStringLiteral("openai");
        {
            MockLlmServer probe; // find a port nobody listens on
            probe.listen();
            settings.baseUrl = probe.openaiBaseUrl();
        }
        OpenAiProvider provider(settings);
        VirtualClock clock;
        Scheduler scheduler(&clock);
        SchedulerLimits limits;
        limits.maxAttempts = 2;
        scheduler.addProvider(QStringLiteral("p"), &provider, limits);
        std::optional<Result<LlmResponse>> out;
        scheduler.submit(QStringLiteral("p"), LlmTestKit::ping(), [&out](Result<LlmResponse> r) { out = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 10000);
        QVERIFY(!*out);
        QCOMPARE(out->error().code, LlmErrors::kConnection);
        QVERIFY(out->error().message.contains(QStringLiteral("connection refused")));
        QVERIFY(out->error().where.contains(settings.baseUrl));
    }

    void retryAfterHeaderIsParsed()
    {
        using H = QList<QPair<QByteArray, QByteArray>>;
        QCOMPARE(HttpProvider::retryAfter(H{{"retry-after-ms", "250"}}).value_or(-1), 250);
        QCOMPARE(HttpProvider::retryAfter(H{{"Retry-After", "3"}}).value_or(-1), 3000);
        QCOMPARE(HttpProvider::retryAfter(H{{"retry-after", "1.5"}}).value_or(-1), 1500);
        QVERIFY(!HttpProvider::retryAfter(H{{"retry-after", "soon"}}));
        QVERIFY(!HttpProvider::retryAfter(H{}));
        const QByteArray date = QDateTime::currentDateTimeUtc().addSecs(30).toString(QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
        const qint64 ms = HttpProvider::retryAfter(H{{"retry-after", date}}).value_or(-1);
        QVERIFY2(ms > 25000 && ms <= 30000, qPrintable(QString::number(ms)));
    }
};

QTEST_GUILESS_MAIN(tst_Providers)
#include "tst_Providers.moc"
