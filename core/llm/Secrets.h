#pragma once

#include "common/Result.h"

#include <QString>

namespace sg {

// API keys: from an environment variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, or the name given
// with --api-key-env) or the OS keychain through QtKeychain. Keys live in memory only; every key
// loaded is registered with the Redactor so no message or file can carry it.
class Secrets
{
public:
    struct Key
    {
        QString value;  // empty for a local server that needs none
        QString source; // "OPENAI_API_KEY", "keychain", "none": safe to print
    };

    static QString defaultEnvName(const QString& providerKind);
    // Environment first, then the keychain. A server on this machine may go without a key.
    static Result<Key> apiKey(const QString& providerKind, const QString& envName, const QString& baseUrl);
    // The keychain (service "skillgrad", account = provider kind). Need a QCoreApplication; they
    // run a short local event loop, so call them from a worker thread in the Studio.
    static Result<QString> readKeychain(const QString& account, int timeoutMs = 5000);
    static Result<void> storeInKeychain(const QString& account, const QString& secret, int timeoutMs = 5000);
    static bool isLocalUrl(const QString& baseUrl);
};

} // namespace sg
