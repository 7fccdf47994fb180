#include "LlmCommand.h"

#include "ProviderOptions.h"
#include "llm/ConnectionTest.h"
#include "llm/LlmErrors.h"

#include <CLI/CLI.hpp>

#include <QEventLoop>

#include <memory>
#include <optional>

namespace sg::cli {

namespace {

struct Options
{
    ProviderOptions provider;
};

int ping(const CliContext& ctx, const Options& o)
{
    auto resolved = o.provider.resolve(ctx, QStringLiteral("executor"));
    if (!resolved)
        return ctx.fail(resolved.error());

    ConnectionTest::Options options;
    options.provider = resolved->factory;
    options.model = resolved->model;
    options.maxAttempts = o.provider.retries >= 0 ? o.provider.retries + 1 : 3; // a quick check: two retries
    options.waitCapMs = 30000;
    options.recordTo = QString::fromStdString(o.provider.record); // a ping can record a cassette
    ConnectionTest test(options);
    QObject::connect(&test, &ConnectionTest::waiting, &test, [&ctx](const QString& reason, qint64 ms) {
        ctx.note(QStringLiteral("%1 (waiting %2 s)").arg(reason).arg(double(ms) / 1000.0, 0, 'f', 1));
    });
    QObject::connect(&test, &ConnectionTest::sending, &test, [&ctx](const QString& endpoint, const QString& model, const QString& keySource) {
        ctx.note(QStringLiteral("Asking %1 (model %2, key: %3) …").arg(endpoint, model, keySource));
    });
    std::optional<ConnectionTest::Result> result;
    QEventLoop loop;
    QObject::connect(&test, &ConnectionTest::finished, &loop, [&](const ConnectionTest::Result& r) {
        result = r;
        loop.quit();
    });
    test.start();
    loop.exec();

    if (!result->sent) // the settings were refused (bad options, no key): nothing was sent
        return ctx.fail(result->error);
    const QString& endpoint = result->endpoint;
    if (!result->ok) {
        const Error& e = result->error;
        if (ctx.json)
            ctx.printJson({{"ok", false},
                           {"endpoint", toStd(endpoint)},
                           {"model", toStd(result->model)},
                           {"error", {{"code", toStd(e.code)}, {"message", toStd(e.message)}, {"hint", toStd(e.hint)}}}});
        ctx.error(QStringLiteral("%1: %2 (%3)").arg(endpoint, e.message, e.hint));
        return e.code == LlmErrors::kConfig ? kExitUsage : kExitFailed;
    }
    const bool simulated = result->simulated;
    if (simulated)
        ctx.note(QStringLiteral("The sim provider is an offline simulator: its answers are synthetic."));
    const ConnectionTest::Result& r = *result;
    if (ctx.json) {
        ctx.printJson({{"ok", true},
                       {"endpoint", toStd(endpoint)},
                       {"model", toStd(r.model)},
                       {"latency_ms", r.latencyMs},
                       {"attempts", r.attempts},
                       {"usage", {{"input_tokens", r.inputTokens}, {"output_tokens", r.outputTokens}}},
                       {"reply", toStd(r.reply)},
                       {"simulated", simulated}});
        return kExitOk;
    }
    ctx.print(QStringLiteral("%1  %2  model %3  %4 ms  %5 in / %6 out tokens%7  reply: \"%8\"")
                  .arg(ctx.colour(QStringLiteral("ok"), 32), endpoint, r.model)
                  .arg(r.latencyMs)
                  .arg(r.inputTokens)
                  .arg(r.outputTokens)
                  .arg(r.attempts > 1 ? QStringLiteral(" (%1 attempts)").arg(r.attempts) : QString())
                  .arg(r.reply.trimmed().left(60)) + (simulated ? QStringLiteral("  [simulated]") : QString()));
    return kExitOk;
}

} // namespace

void LlmCommand::add(CLI::App& app, CliContext& ctx, std::function<int()>& command)
{
    CLI::App* llm = app.add_subcommand("llm", "Check LLM endpoints");
    llm->require_subcommand(1);
    auto o = std::make_shared<Options>();
    CLI::App* sub = llm->add_subcommand("ping", "Send one small request; print the model, latency and token usage, or what went wrong");
    o->provider.addTo(*sub);
    sub->footer("Exit 1 when the endpoint cannot be reached or refuses (the line says why); 2 for bad options or a missing key.");
    sub->callback([&ctx, &command, o] { command = [&ctx, o] { return ping(ctx, *o); }; });
}

} // namespace sg::cli
