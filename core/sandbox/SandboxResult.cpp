#include "SandboxResult.h"

#include <csignal>

namespace sg {

namespace {

QString seconds(qint64 ms)
{
    return QStringLiteral("%1 s").arg(QString::number(double(ms) / 1000.0, 'g', 3));
}

} // namespace

QString SandboxResult::bytesText(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return QStringLiteral("%1 KiB").arg(bytes / 1024);
    return QStringLiteral("%1 bytes").arg(bytes);
}

QString SandboxResult::signalName(int signal)
{
    switch (signal) {
    case SIGKILL:
        return QStringLiteral("SIGKILL");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    case SIGXCPU:
        return QStringLiteral("SIGXCPU");
    case SIGXFSZ:
        return QStringLiteral("SIGXFSZ");
    case SIGSEGV:
        return QStringLiteral("SIGSEGV");
    case SIGABRT:
        return QStringLiteral("SIGABRT");
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGPIPE:
        return QStringLiteral("SIGPIPE");
    case SIGBUS:
        return QStringLiteral("SIGBUS");
    default:
        break;
    }
    return QStringLiteral("signal %1").arg(signal);
}

QString SandboxResult::summary() const
{
    QString text;
    switch (stop) {
    case Stop::WallClock:
        text =
            QStringLiteral("killed: exceeded the %1 wall-clock limit").arg(seconds(limits.wallMs));
        break;
    case Stop::OutputCap:
        text = QStringLiteral("killed: wrote more than %1 to %2 (the output cap)")
                   .arg(bytesText(limits.outputBytes),
                        outputTruncated ? QStringLiteral("stdout") : QStringLiteral("stderr"));
        break;
    case Stop::Cancelled:
        text = QStringLiteral("killed: cancelled after %1").arg(seconds(wallMs));
        break;
    case Stop::None:
        if (signal == SIGXCPU)
            text = QStringLiteral("killed by SIGXCPU: exceeded the %1 s CPU limit")
                       .arg(limits.cpuSeconds);
        else if (signal == SIGXFSZ)
            text =
                QStringLiteral("killed by SIGXFSZ: wrote a file larger than the %1 file-size limit")
                    .arg(bytesText(limits.fileBytes));
        else if (signal != 0)
            text = QStringLiteral("killed by %1 after %2").arg(signalName(signal), seconds(wallMs));
        else
            text = QStringLiteral("exited with code %1 in %2").arg(exitCode).arg(seconds(wallMs));
        break;
    }
    // Python turns most limits into exceptions; name the limit that probably caused one.
    if (exitCode != 0 && stop == Stop::None) {
        if (standardError.contains("MemoryError"))
            text += QStringLiteral(" (MemoryError: the %1 memory limit?)")
                        .arg(bytesText(limits.memoryBytes));
        else if (standardError.contains("Resource temporarily unavailable"))
            text += QStringLiteral(" (could not start a process or thread: the %1-process limit?)")
                        .arg(limits.processes);
        else if (standardError.contains("File too large"))
            text += QStringLiteral(" (the %1 file-size limit)").arg(bytesText(limits.fileBytes));
        else if (standardError.contains("No space left on device"))
            text += QStringLiteral(" (/tmp holds at most %1)").arg(bytesText(limits.tmpBytes));
    }
    if (!sandboxed)
        text += QStringLiteral("; ran UNSANDBOXED");
    return text;
}

} // namespace sg
