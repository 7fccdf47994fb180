#pragma once

#include "Provider.h"
#include "common/Result.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace sg {

// Makes providers from settings: resolves the kind, the default base URL and the key (openai,
// anthropic), the cassette (replay), or the seed (sim).
class ProviderFactory
{
public:
    struct Options
    {
        QString kind;
        QString baseUrl;   // empty: the kind's default
        QString apiKeyEnv; // empty: the kind's default variable
        int concurrency = 8;
        int connectTimeoutMs = 15000;
        int idleTimeoutMs = 120000;
        int totalTimeoutMs = 600000;
        QString cassette;   // replay: the recorded session to answer from
        quint64 simSeed = 1; // sim: the seed of its draws
    };

    static QStringList kinds();
    static QString defaultBaseUrl(const QString& kind);
    static QString defaultModel(const QString& kind);
    static Result<std::unique_ptr<Provider>> create(const Options& options);
};

} // namespace sg
