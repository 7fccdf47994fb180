#include "ProviderFactory.h"

#include "AnthropicProvider.h"
#include "LlmErrors.h"
#include "OpenAiProvider.h"
#include "ReplayProvider.h"
#include "Secrets.h"
#include "SimProvider.h"

#include <QUrl>

namespace sg {

QStringList ProviderFactory::kinds()
{
    return {QStringLiteral("sim"), QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("replay")};
}

QString ProviderFactory::defaultBaseUrl(const QString& kind)
{
    if (kind == QLatin1String("openai"))
        return OpenAiProvider::defaultBaseUrl();
    if (kind == QLatin1String("anthropic"))
        return AnthropicProvider::defaultBaseUrl();
    return {};
}

QString ProviderFactory::defaultModel(const QString& kind)
{
    if (kind == QLatin1String("openai"))
        return QStringLiteral("gpt-4o-mini");
    if (kind == QLatin1String("anthropic"))
        return QStringLiteral("claude-3-5-haiku-latest");
    if (kind == QLatin1String("sim"))
        return QStringLiteral("sim");
    return {};
}

Result<std::unique_ptr<Provider>> ProviderFactory::create(const Options& options)
{
    if (!kinds().contains(options.kind))
        return LlmErrors::make(LlmErrors::kConfig,
                               QStringLiteral("unknown provider \"%1\"; known: %2").arg(options.kind, kinds().join(QStringLiteral(", "))), {});
    if (options.kind == QLatin1String("sim"))
        return std::unique_ptr<Provider>(std::make_unique<SimProvider>(options.simSeed));
    if (options.kind == QLatin1String("replay")) {
        if (options.cassette.isEmpty())
            return Error{QStringLiteral("the replay provider needs a cassette"), QStringLiteral("pass --cassette FILE (recorded with --record FILE)"), {},
                         LlmErrors::kConfig};
        auto cassette = Cassette::load(options.cassette);
        if (!cassette)
            return Error{cassette.error().message, cassette.error().hint, cassette.error().where, LlmErrors::kConfig};
        return std::unique_ptr<Provider>(std::make_unique<ReplayProvider>(std::move(cassette.value())));
    }
    ProviderSettings settings;
    settings.kind = options.kind;
    settings.baseUrl = options.baseUrl.isEmpty() ? defaultBaseUrl(options.kind) : options.baseUrl;
    const QUrl url(settings.baseUrl, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.host().isEmpty())
        return Error{QStringLiteral("\"%1\" is not an http(s) URL").arg(settings.baseUrl),
                     QStringLiteral("for example --base-url http://127.0.0.1:8080/v1"), QStringLiteral("--base-url"), LlmErrors::kConfig};
    if (!url.userInfo().isEmpty())
        return Error{QStringLiteral("the base URL carries credentials"), QStringLiteral("put the key in an environment variable, not in the URL"),
                     QStringLiteral("--base-url"), LlmErrors::kConfig};
    settings.concurrency = std::max(1, options.concurrency);
    settings.connectTimeoutMs = options.connectTimeoutMs;
    settings.idleTimeoutMs = options.idleTimeoutMs;
    settings.totalTimeoutMs = options.totalTimeoutMs;
    auto key = Secrets::apiKey(options.kind, options.apiKeyEnv, settings.baseUrl);
    if (!key)
        return key.error();
    settings.apiKey = key->value;
    settings.keySource = key->source;
    if (options.kind == QLatin1String("anthropic"))
        return std::unique_ptr<Provider>(std::make_unique<AnthropicProvider>(settings));
    return std::unique_ptr<Provider>(std::make_unique<OpenAiProvider>(settings));
}

} // namespace sg
