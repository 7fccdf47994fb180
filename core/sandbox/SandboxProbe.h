#pragma once

#include <QString>

namespace sg {

// Whether bubblewrap is installed and can actually build a sandbox here (user namespaces may be
// disabled, or a container may forbid them). The sandbox itself arrives with the sandbox issue.
struct SandboxStatus
{
    bool installed = false;
    bool working = false;
    QString program; // the bwrap found on PATH
    QString version;
    QString detail; // why it does not work, in bwrap's words
};

class SandboxProbe
{
public:
    static SandboxStatus probe(int timeoutMs = 10000);
};

} // namespace sg
