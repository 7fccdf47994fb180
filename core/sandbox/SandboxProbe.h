#pragma once

#include <QString>

namespace sg {

// Whether bubblewrap is installed and can build, here, the sandbox Sandbox builds: the same
// command line and child setup (as root: privileged bwrap, then setpriv to uid 65534), running
// /usr/bin/touch on a scratch folder mounted at /task. User namespaces may be disabled, a
// container may forbid mounts, or setpriv may be missing.
struct SandboxStatus
{
    bool installed = false;
    bool working = false;
    QString program; // the bwrap found on PATH
    QString version;
    QString detail; // why it does not work, in bwrap's (or setpriv's) words
};

class SandboxProbe
{
public:
    static SandboxStatus probe(int timeoutMs = 10000);
    // Probes a given bwrap program.
    static SandboxStatus probe(const QString& program, int timeoutMs = 10000);
};

} // namespace sg
