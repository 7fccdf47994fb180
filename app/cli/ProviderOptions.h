#pragma once

#include "CliContext.h"
#include "llm/ProviderFactory.h"

#include <string>

namespace CLI {
class App;
}

namespace sg::cli {

// The provider options of DESIGN.md 12, shared by eval, optimize and llm. The command line beats
// skillgrad.json, which beats the provider's defaults.
struct ProviderOptions
{
    std::string provider;
    std::string model;
    std::string baseUrl;
    std::string apiKeyEnv;
    int concurrency = 0;
    double timeoutSeconds = 0;
    int retries = -1; // -1: the scheduler's default (5 retries after the first try)
    bool noCache = false;
    std::string record;
    std::string cassette;

    void addTo(CLI::App& command);

    struct Resolved
    {
        ProviderFactory::Options factory;
        QString model;
        int maxAttempts = 6;
    };
    // For `role`, from the command line, then the workspace (when there is one), then defaults.
    Result<Resolved> resolve(const CliContext& ctx, const QString& role) const;
};

} // namespace sg::cli
