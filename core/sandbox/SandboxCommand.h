#pragma once

#include "sandbox/SandboxLimits.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <sys/types.h>

#include <functional>

namespace sg {

// The command line and child-process setup of one sandboxed (or unsafe) run, shared by Sandbox
// and SandboxProbe so that the doctor tests exactly what a run needs.
//
// Sandboxed (bubblewrap, DESIGN.md 8 and 14):
// * namespaces: ipc, pid, net (no network: only a loopback of its own), uts, cgroup; as a
//   non-root user also a user namespace (which is how bwrap gets its privileges then).
// * as root, no user namespace: inside one, the sandbox's uid would be root (kuid 0) outside,
//   which RLIMIT_NPROC does not bind, and files it writes would be root's. bwrap runs
//   privileged instead and /usr/bin/setpriv (util-linux) drops to uid/gid 65534, no groups, no
//   capabilities, right before python. (Dropping before bwrap does not work either: bwrap then
//   resolves the scratch path as uid 65534 and fails on any 0700 parent such as /root or a
//   QTemporaryDir.)
// * file system: /usr read-only with the /bin, /sbin, /lib* links or binds of the host,
//   /etc holding only ld.so.cache and localtime, a new /proc and a minimal /dev, a private
//   /tmp and /dev/shm (tmpfs of limits.tmpBytes), and the scratch folder read-write at /task,
//   the working directory. Nothing else of the host is visible: no home, no /root, no /run.
//   The root itself is remounted read-only at the end.
// * a cleared environment: PATH=/usr/bin:/bin, HOME=/task, LANG=C.UTF-8.
// * --new-session (no terminal injection), --die-with-parent. The latter follows the parent
//   THREAD: start sandboxes from a thread that outlives them (the run's worker thread), never
//   from a pool thread that may exit.
//
// In the child, before exec: a new session (the run is one process group the wall clock can
// kill), every inherited descriptor above 2 marked close-on-exec (nothing of the host leaks in
// through an fd), as root in unsafe mode the drop to 65534, then the rlimits. RLIMIT_NPROC counts
// every process of the uid, so it is set to the uid's current count plus limits.processes.
struct SandboxCommand
{
    static constexpr uid_t kNobody = 65534;

    QString program;
    QStringList arguments;
    QProcessEnvironment environment;
    QString workingDirectory;
    bool isolated = true; // bwrap, not plain python

    static SandboxCommand inSandbox(const QString& bwrap, const QString& scratchDir,
                                    const SandboxLimits& limits, const QStringList& command);
    static SandboxCommand plain(const QString& scratchDir, const SandboxLimits& limits,
                                const QStringList& command);

    // What runs python on code read from stdin, inside or outside the sandbox.
    static QStringList pythonCommand();
    static QString python();  // /usr/bin/python3: the system's, which the sandbox can see
    static QString setpriv(); // /usr/bin/setpriv
    static bool runningAsRoot();
    // The uid the code runs as: 65534 when we are root, else our own.
    static uid_t codeUid();

    // For QProcess::setChildProcessModifier: async-signal-safe, no allocation. On a failure it
    // writes "skillgrad-sandbox: <what> failed: errno N" to stderr and exits kSetupFailed.
    std::function<void()> childSetup(const SandboxLimits& limits) const;
    static constexpr int kSetupFailed = 125;
    static const char* setupFailureMarker() { return "skillgrad-sandbox: "; }

    // Gives the folder and everything in it (no symlink followed, hard-linked files skipped) to
    // uid/gid; returns false and the first failing path on error.
    static bool chownTree(const QString& dir, uid_t uid, gid_t gid, QString* failedPath = nullptr);
};

} // namespace sg
