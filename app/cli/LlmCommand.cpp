#include "LlmCommand.h"

#include "ProviderOptions.h"
#include "llm/Cassette.h"
#include "llm/HttpProvider.h"
#include "llm/LlmClient.h"
#include "llm/LlmErrors.h"
#include "llm/Scheduler.h"

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
    auto provider = ProviderFactory::create(resolved->factory);
    if (!provider)
        return ctx.fail(provider.error());

    LlmRequest request;
    request.role = QStringLiteral("ping");
    request.model = resolved->model;
    request.messages = {LlmMessage::system(QStringLiteral("You are a connectivity check. Answer with one word.")),
                        LlmMessage::user(QStringLiteral("Reply with the single word: pong"))};
    request.sampling.maxTokens = 16;

    Scheduler scheduler;
    SchedulerLimits limits;
    limits.maxAttempts = o.provider.retries >= 0 ? o.provider.retries + 1 : 3; // a quick check: two retries
    limits.waitCapMs = 30000;
    scheduler.addProvider(QStringLiteral("ping"), provider->get(), limits);
    QObject::connect(&scheduler, &Scheduler::waiting, [&ctx](const QString&, const QString& reason, qint64 ms) {
        ctx.note(QStringLiteral("%1 (waiting %2 s)").arg(reason).arg(double(ms) / 1000.0, 0, 'f', 1));
    });
    // A ping checks the endpoint, so it never answers from the cache; it can record a cassette.
    LlmClient client(scheduler);
    client.setDefaultLane(QStringLiteral("ping"));
    std::unique_ptr<CassetteWriter> recorder;
    if (!o.provider.record.empty()) {
        auto created = CassetteWriter::create(QString::fromStdString(o.provider.record));
        if (!created)
            return ctx.fail(created.error());
        recorder = std::move(created.value());
        client.setRecorder(recorder.get());
    }
    std::optional<Result<LlmResponse>> result;
    QEventLoop loop;
    client.send(request, [&](Result<LlmResponse> r) {
        result = std::move(r);
        loop.quit();
    });
    const auto* http = dynamic_cast<const HttpProvider*>(provider->get());
    ctx.note(QStringLiteral("Asking %1 (model %2, key: %3) …")
                 .arg((*provider)->endpoint(), request.model, http ? http->settings().keySource : QStringLiteral("none")));
    loop.exec();

    const QString endpoint = (*provider)->endpoint();
    if (!*result) {
        const Error& e = result->error();
        if (ctx.json)
            ctx.printJson({{"ok", false},
                           {"endpoint", toStd(endpoint)},
                           {"model", toStd(request.model)},
                           {"error", {{"code", toStd(e.code)}, {"message", toStd(e.message)}, {"hint", toStd(e.hint)}}}});
        ctx.error(QStringLiteral("%1: %2 (%3)").arg(endpoint, e.message, e.hint));
        return e.code == LlmErrors::kConfig ? kExitUsage : kExitFailed;
    }
    const bool simulated = (*provider)->simulated();
    if (simulated)
        ctx.note(QStringLiteral("The sim provider is an offline simulator: its answers are synthetic."));
    const LlmResponse& r = result->value();
    const QString model = r.model.isEmpty() ? request.model : r.model;
    if (ctx.json) {
        ctx.printJson({{"ok", true},
                       {"endpoint", toStd(endpoint)},
                       {"model", toStd(model)},
                       {"latency_ms", r.latencyMs},
                       {"attempts", r.attempts},
                       {"usage", {{"input_tokens", r.usage.inputTokens}, {"output_tokens", r.usage.outputTokens}}},
                       {"reply", toStd(r.content)},
                       {"simulated", simulated}});
        return kExitOk;
    }
    ctx.print(QStringLiteral("%1  %2  model %3  %4 ms  %5 in / %6 out tokens%7  reply: \"%8\"")
                  .arg(ctx.colour(QStringLiteral("ok"), 32), endpoint, model)
                  .arg(r.latencyMs)
                  .arg(r.usage.inputTokens)
                  .arg(r.usage.outputTokens)
                  .arg(r.attempts > 1 ? QStringLiteral(" (%1 attempts)").arg(r.attempts) : QString())
                  .arg(r.content.trimmed().left(60)) + (simulated ? QStringLiteral("  [simulated]") : QString()));
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
