#pragma once

#include "MockLlmServer.h"
#include "VirtualClock.h"

#include "llm/AnthropicProvider.h"
#include "llm/OpenAiProvider.h"
#include "llm/Scheduler.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

namespace sg::test {

// A mock server, a provider of either dialect pointed at it, and a scheduler on a virtual
// clock: the pieces most LLM tests need.
struct LlmTestKit
{
    explicit LlmTestKit(const QString& kind = QStringLiteral("openai"), const QString& key = QStringLiteral("sk-test-key-000111222"))
    {
        if (!server.listen())
            qFatal("the mock server cannot listen");
        ProviderSettings settings;
        settings.kind = kind;
        settings.apiKey = key;
        settings.concurrency = 8;
        settings.connectTimeoutMs = 2000;
        settings.idleTimeoutMs = 400;
        settings.totalTimeoutMs = 5000;
        if (kind == QLatin1String("anthropic")) {
            settings.baseUrl = server.anthropicBaseUrl();
            provider = std::make_unique<AnthropicProvider>(settings);
        } else {
            settings.baseUrl = server.openaiBaseUrl();
            provider = std::make_unique<OpenAiProvider>(settings);
        }
        server.setRequiredKey(key);
    }

    void use(const SchedulerLimits& limits) { scheduler.addProvider(QStringLiteral("p"), provider.get(), limits); }

    // Submits one request and waits for its answer.
    Result<LlmResponse> call(const LlmRequest& request, int timeoutMs = 10000)
    {
        if (!scheduler.hasProvider(QStringLiteral("p")))
            use(SchedulerLimits{});
        std::optional<Result<LlmResponse>> out;
        scheduler.submit(QStringLiteral("p"), request, [&out](Result<LlmResponse> r) { out = std::move(r); });
        if (!QTest::qWaitFor([&out] { return out.has_value(); }, timeoutMs))
            return Error{QStringLiteral("no answer within %1 ms in the test").arg(timeoutMs), {}, {}, QStringLiteral("test-timeout")};
        return std::move(*out);
    }

    static LlmRequest ping(const QString& text = QStringLiteral("Reply with the single word: pong"))
    {
        LlmRequest r;
        r.role = QStringLiteral("executor");
        r.model = QStringLiteral("mock-model");
        r.messages = {LlmMessage::system(QStringLiteral("You are terse.")), LlmMessage::user(text)};
        r.sampling.maxTokens = 64;
        return r;
    }

    MockLlmServer server;
    VirtualClock clock;
    std::unique_ptr<Provider> provider;
    Scheduler scheduler{&clock};
};

} // namespace sg::test

