#pragma once

#include "sandbox/SandboxLimits.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace sg {

// How a sandboxed run ended, with what it printed (capped).
struct SandboxResult
{
    // Why the run was stopped by us, if it was.
    enum class Stop { None, WallClock, OutputCap, Cancelled };

    int exitCode = -1;         // the program's exit code when it exited; -1 when a signal ended it
    int signal = 0;            // the signal that ended it (SIGKILL, SIGXCPU, ...), 0 when it exited
    QByteArray standardOutput; // at most limits.outputBytes
    QByteArray standardError;  // at most limits.outputBytes
    bool outputTruncated = false;
    bool errorTruncated = false;
    Stop stop = Stop::None;
    bool sandboxed = true; // false: it ran as plain python (unsafe mode)
    qint64 wallMs = 0;
    SandboxLimits limits; // the limits it ran under, for summary()

    bool timedOut() const { return stop == Stop::WallClock; }
    // Exited with code 0, nothing stopped it.
    bool succeeded() const { return exitCode == 0 && signal == 0 && stop == Stop::None; }
    // One line for people and for the agent, e.g. "killed: exceeded the 10 s wall-clock limit",
    // "exited with code 1 in 0.21 s (MemoryError: the 2 GiB memory limit?)".
    QString summary() const;

    static QString signalName(int signal);
    static QString bytesText(qint64 bytes); // "64 MiB"
};

} // namespace sg

Q_DECLARE_METATYPE(sg::SandboxResult)
