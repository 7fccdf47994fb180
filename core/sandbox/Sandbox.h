#pragma once

#include "common/Result.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/SandboxResult.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <sys/types.h>

class QProcess;
class QTimer;

namespace sg {

// Runs python code that nobody vetted (the agent's, a skill's script) where it cannot hurt the
// host (DESIGN.md 8): bubblewrap with no network, a read-only system, only the task's scratch
// folder writable (at /task, the working directory), a cleared environment, rlimits on CPU,
// memory, file size and processes, a wall clock that kills the whole run, and stdout/stderr
// capped while they are read. SandboxCommand documents the exact sandbox.
//
// The code is /usr/bin/python3's stdin (`python3 -B -u -`): tracebacks name "<stdin>", nothing is
// written into /task for it, and its size is not limited by argv. As root the code runs as uid
// 65534: the scratch folder is given to that uid for the run and handed back to its owner after.
//
// Asynchronous: start() returns at once and finished() follows exactly once, from this object's
// thread's event loop. bwrap's --die-with-parent follows the thread that started it: create and
// start sandboxes on a thread that outlives the run (the optimizer's worker), never on a
// QtConcurrent pool thread. Deleting a running Sandbox kills the run.
class Sandbox : public QObject
{
    Q_OBJECT
public:
    explicit Sandbox(QObject* parent = nullptr);
    ~Sandbox() override;

    // Checks the folder, python and the sandbox, then starts. An Error here means nothing ran
    // (code "no-sandbox" when bubblewrap cannot work and the limits do not allow running
    // without it; "not-found" for a missing folder or python; "busy" when already running).
    Result<void> start(const QString& code, const QString& scratchDir,
                       const SandboxLimits& limits = {});
    bool isRunning() const;
    // Kills the run; finished() follows with stop == Cancelled.
    void cancel();

    // The synchronous convenience (tests, the CLI): runs a local event loop until done. A run
    // that could not be set up (bwrap failed to start, setup in the child failed) is an Error.
    static Result<SandboxResult> runPython(const QString& code, const QString& scratchDir,
                                           const SandboxLimits& limits = {});

    // Whether code would run sandboxed under `limits` here: true, false (unsafe mode allowed and
    // bubblewrap unusable, or Isolation::None), or the "no-sandbox" Error. Probes bwrap once per
    // process and program path.
    static Result<bool> willSandbox(const SandboxLimits& limits);

Q_SIGNALS:
    // `error` is empty unless the run could not be set up; see SandboxResult.
    void finished(const sg::SandboxResult& result, const QString& error);

private:
    void readChannel(bool error);
    void killGroup();
    void finish(const QString& error);

    QProcess* m_process = nullptr;
    QTimer* m_wallClock = nullptr;
    QElapsedTimer m_elapsed;
    SandboxResult m_result;
    QString m_scratch;
    bool m_restoreOwner = false;
    uid_t m_ownerUid = 0;
    gid_t m_ownerGid = 0;
    qint64 m_pid = 0;
    bool m_running = false;
};

} // namespace sg
