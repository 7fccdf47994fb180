#pragma once

#include <QString>

namespace sg {

// Whether the OS keychain (Secret Service or KWallet over D-Bus, through QtKeychain) answers.
// API keys live there or in environment variables; never in the workspace.
struct KeychainStatus
{
    bool available = false;
    QString detail;
};

class KeychainProbe
{
public:
    // Needs a QCoreApplication; runs a short local event loop.
    static KeychainStatus probe(int timeoutMs = 5000);
};

} // namespace sg
