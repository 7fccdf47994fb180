#include "SandboxProbe.h"

#include "sandbox/SandboxCommand.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <sys/stat.h>

namespace sg {

namespace {

struct Outcome
{
    bool finished = false;
    int exitCode = -1;
    QString output;
};

Outcome runQuietly(QProcess& process, int timeoutMs)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start();
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
    return probe(QStandardPaths::findExecutable(QStringLiteral("bwrap")), timeoutMs);
}

SandboxStatus SandboxProbe::probe(const QString& program, int timeoutMs)
{
    SandboxStatus status;
    status.program = program;
    if (program.isEmpty() || !QFileInfo(program).isExecutable()) {
        status.detail = QStringLiteral("bwrap is not on PATH");
        return status;
    }
    status.installed = true;
    QProcess version;
    version.setProgram(program);
    version.setArguments({QStringLiteral("--version")});
    status.version = runQuietly(version, timeoutMs).output.section(QLatin1Char(' '), -1);

    const bool root = SandboxCommand::runningAsRoot();
    if (root && !QFileInfo(SandboxCommand::setpriv()).isExecutable()) {
        status.detail =
            QStringLiteral(
                "%1 is missing: as root the sandbox needs it (util-linux) to run code as uid %2")
                .arg(SandboxCommand::setpriv())
                .arg(SandboxCommand::kNobody);
        return status;
    }
    QTemporaryDir scratch;
    if (!scratch.isValid()) {
        status.detail = QStringLiteral("cannot make a temporary folder to test it in: %1")
                            .arg(scratch.errorString());
        return status;
    }
    const uid_t uid = SandboxCommand::codeUid();
    if (root && !SandboxCommand::chownTree(scratch.path(), uid, uid)) {
        status.detail = QStringLiteral("cannot give a scratch folder to uid %1").arg(uid);
        return status;
    }
    // The real command line and child setup, with a command that writes into /task.
    const SandboxCommand command = SandboxCommand::inSandbox(
        program, scratch.path(), SandboxLimits{},
        {QStringLiteral("/usr/bin/touch"), QStringLiteral("/task/probe")});
    QProcess run;
    run.setProgram(command.program);
    run.setArguments(command.arguments);
    run.setProcessEnvironment(command.environment);
    run.setWorkingDirectory(command.workingDirectory);
    run.setChildProcessModifier(command.childSetup(SandboxLimits{}));
    const Outcome outcome = runQuietly(run, timeoutMs);
    struct stat st
    {
    };
    const bool wrote =
        ::stat(QFile::encodeName(scratch.filePath(QStringLiteral("probe"))).constData(), &st) == 0;
    status.working = outcome.finished && outcome.exitCode == 0 && wrote && st.st_uid == uid;
    if (!status.working) {
        if (!outcome.output.isEmpty())
            status.detail = outcome.output;
        else if (outcome.finished && outcome.exitCode == 0)
            status.detail =
                QStringLiteral("the sandboxed command could not write its scratch folder as uid %1")
                    .arg(uid);
        else
            status.detail = QStringLiteral("bwrap exited with code %1").arg(outcome.exitCode);
    }
    if (root)
        SandboxCommand::chownTree(scratch.path(), ::getuid(), ::getgid());
    return status;
}

} // namespace sg
