#include "SandboxProbe.h"

#include <QProcess>
#include <QStandardPaths>

namespace sg {

namespace {

struct Outcome
{
    bool finished = false;
    int exitCode = -1;
    QString output;
};

Outcome runQuietly(const QString& program, const QStringList& args, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    Outcome out;
    if (!process.waitForStarted(timeoutMs)) {
        out.output = process.errorString();
        return out;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        out.output = QStringLiteral("timed out after %1 ms").arg(timeoutMs);
        return out;
    }
    out.finished = process.exitStatus() == QProcess::NormalExit;
    out.exitCode = process.exitCode();
    out.output = QString::fromUtf8(process.readAll().left(4096)).trimmed();
    return out;
}

} // namespace

SandboxStatus SandboxProbe::probe(int timeoutMs)
{
    SandboxStatus status;
    status.program = QStandardPaths::findExecutable(QStringLiteral("bwrap"));
    if (status.program.isEmpty()) {
        status.detail = QStringLiteral("bwrap is not on PATH");
        return status;
    }
    status.installed = true;
    const Outcome version = runQuietly(status.program, {QStringLiteral("--version")}, timeoutMs);
    status.version = version.output.section(QLatin1Char(' '), -1);

    // The smallest sandbox of the kind the executor will build: every namespace unshared
    // (network included), the system read-only, a new session, tied to our lifetime.
    const Outcome run = runQuietly(status.program,
                                   {QStringLiteral("--unshare-all"), QStringLiteral("--die-with-parent"),
                                    QStringLiteral("--new-session"), QStringLiteral("--ro-bind"), QStringLiteral("/"),
                                    QStringLiteral("/"), QStringLiteral("--proc"), QStringLiteral("/proc"),
                                    QStringLiteral("--dev"), QStringLiteral("/dev"), QStringLiteral("/bin/true")},
                                   timeoutMs);
    status.working = run.finished && run.exitCode == 0;
    if (!status.working)
        status.detail = run.output.isEmpty() ? QStringLiteral("bwrap exited with code %1").arg(run.exitCode) : run.output;
    return status;
}

} // namespace sg
