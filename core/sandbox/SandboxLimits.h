#pragma once

#include <QMetaType>
#include <QtGlobal>

namespace sg {

// What a sandboxed run may use (DESIGN.md 8). The defaults suit the executor's python tool.
struct SandboxLimits
{
    // Whether code may run without bubblewrap.
    enum class Isolation {
        Required,   // refuse (Error "no-sandbox") when bubblewrap cannot build a sandbox
        BestEffort, // the user's explicit --unsafe-no-sandbox: plain python when bwrap fails
        None,       // always plain python (benchmarks and tests of the unsandboxed path)
    };

    int wallMs = 120'000;                          // wall clock; then the whole run is killed
    int cpuSeconds = 60;                           // RLIMIT_CPU per process (SIGXCPU, then SIGKILL)
    qint64 memoryBytes = 2LL * 1024 * 1024 * 1024; // RLIMIT_AS per process
    qint64 fileBytes = 64LL * 1024 * 1024;         // RLIMIT_FSIZE: the largest file it may write
    // RLIMIT_NPROC counts every process and thread of the uid, so this many more than the
    // code's uid has at the start (as root that uid, 65534, is shared by concurrent runs).
    int processes = 64;
    qint64 outputBytes = 1024 * 1024;     // kept of stdout, and of stderr; beyond: killed
    qint64 tmpBytes = 64LL * 1024 * 1024; // size of the private /tmp (and /dev/shm)
    Isolation isolation = Isolation::Required;
};

} // namespace sg

Q_DECLARE_METATYPE(sg::SandboxLimits)
