#include "ProviderOptions.h"

#include "llm/Cassette.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>

#include <QDir>

namespace sg::cli {

void ProviderOptions::addTo(CLI::App& command)
{
    command.add_option("--provider", provider, "sim (offline simulator), openai, anthropic or replay (default: the workspace's setting)")
        ->type_name("NAME");
    command.add_option("--model", model, "Model name (default: the workspace's, else the provider's)")->type_name("NAME");
    command.add_option("--base-url", baseUrl, "Endpoint; openai's includes /v1, anthropic's does not")->type_name("URL");
    command.add_option("--api-key-env", apiKeyEnv, "Environment variable holding the key (default OPENAI_API_KEY / ANTHROPIC_API_KEY)")
        ->type_name("NAME");
    command.add_option("--concurrency", concurrency, "Requests in flight at once (default 8)")->type_name("C");
    command.add_option("--timeout", timeoutSeconds, "Seconds to wait for a whole answer (default 600)")->type_name("S");
    command.add_option("--retries", retries, "Retries of a failed call before giving up (default 5)")->type_name("N");
    command.add_flag("--no-cache", noCache, "Ask the provider even when the response cache has the answer");
    command.add_option("--record", record, "Write every answer to this cassette, for --provider replay later")->type_name("FILE");
    command.add_option("--cassette", cassette, "The recorded session that --provider replay answers from")->type_name("FILE");
}

Result<ProviderOptions::Resolved> ProviderOptions::resolve(const CliContext& ctx, const QString& role) const
{
    Resolved out;
    RoleConfig fromWorkspace;
    bool haveWorkspace = false;
    const QString dir = ctx.workspace.empty() ? QStringLiteral(".") : QString::fromStdString(ctx.workspace);
    if (Workspace::isWorkspace(dir)) {
        auto config = WorkspaceConfig::load(QDir(dir).filePath(QStringLiteral("skillgrad.json")));
        if (!config)
            return config.error();
        fromWorkspace = config->role(role);
        out.factory.simSeed = config->seed;
        haveWorkspace = true;
    } else if (!ctx.workspace.empty()) {
        return Workspace::open(dir).error();
    }

    out.factory.kind = !provider.empty() ? QString::fromStdString(provider) : haveWorkspace ? fromWorkspace.provider : QString();
    if (out.factory.kind.isEmpty())
        return Error{QStringLiteral("no provider given"), QStringLiteral("pass --provider sim, openai, anthropic or replay, or run inside a workspace"), {},
                     QStringLiteral("invalid")};
    out.factory.cassette = QString::fromStdString(cassette);
    if (retries >= 0)
        out.maxAttempts = retries + 1;

    // The workspace's endpoint and model belong to its own provider kind.
    const bool sameKind = haveWorkspace && fromWorkspace.provider == out.factory.kind;
    out.factory.baseUrl = !baseUrl.empty() ? QString::fromStdString(baseUrl) : sameKind ? fromWorkspace.baseUrl : QString();
    out.factory.apiKeyEnv = !apiKeyEnv.empty() ? QString::fromStdString(apiKeyEnv) : sameKind ? fromWorkspace.apiKeyEnv : QString();
    out.factory.concurrency = concurrency > 0 ? concurrency : sameKind ? fromWorkspace.concurrency : 8;
    if (timeoutSeconds > 0)
        out.factory.totalTimeoutMs = int(timeoutSeconds * 1000);
    out.model = !model.empty() ? QString::fromStdString(model) : sameKind ? fromWorkspace.model : ProviderFactory::defaultModel(out.factory.kind);
    // A replay asks with the model the session was recorded with.
    if (out.factory.kind == QLatin1String("replay") && model.empty()) {
        if (haveWorkspace) {
            out.model = fromWorkspace.model;
        } else if (auto recorded = Cassette::load(out.factory.cassette); recorded && recorded->models().size() == 1) {
            out.model = recorded->models().front();
        }
    }
    return out;
}

} // namespace sg::cli
