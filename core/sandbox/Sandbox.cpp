#include "Sandbox.h"

#include "sandbox/SandboxCommand.h"
#include "sandbox/SandboxProbe.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <sys/stat.h>

namespace sg {

namespace {

// bwrap's own setup errors start so (it exits 1, as python does on an exception).
constexpr const char* kBwrapPrefix = "bwrap: ";

QString findBwrap()
{
    return QStandardPaths::findExecutable(QStringLiteral("bwrap"));
}

// Probing runs bwrap (tens of milliseconds): once per process and program.
SandboxStatus cachedStatus(const QString& program)
{
    static QMutex mutex;
    static QHash<QString, SandboxStatus> statuses;
    if (program.isEmpty()) {
        SandboxStatus missing;
        missing.detail = QStringLiteral("bwrap is not on PATH");
        return missing;
    }
    QMutexLocker lock(&mutex);
    auto it = statuses.find(program);
    if (it == statuses.end())
        it = statuses.insert(program, SandboxProbe::probe(program));
    return *it;
}

} // namespace

Sandbox::Sandbox(QObject* parent) : QObject(parent) {}

Sandbox::~Sandbox()
{
    if (!m_running)
        return;
    // A run outliving its owner would be a leak of exactly the kind this class prevents.
    killGroup();
    m_process->waitForFinished(5000);
    if (m_restoreOwner)
        SandboxCommand::chownTree(m_scratch, m_ownerUid, m_ownerGid);
}

Result<bool> Sandbox::willSandbox(const SandboxLimits& limits)
{
    if (limits.isolation == SandboxLimits::Isolation::None)
        return false;
    const SandboxStatus status = cachedStatus(findBwrap());
    if (status.working)
        return true;
    if (limits.isolation == SandboxLimits::Isolation::BestEffort)
        return false;
    return Error{QStringLiteral("refusing to run code without a sandbox: %1").arg(status.detail),
                 QStringLiteral("install bubblewrap (sudo apt-get install bubblewrap) and see "
                                "'skillgrad doctor' for why it cannot work here, or pass "
                                "--unsafe-no-sandbox to run generated code without isolation"),
                 {},
                 QStringLiteral("no-sandbox")};
}

Result<void> Sandbox::start(const QString& code, const QString& scratchDir,
                            const SandboxLimits& limits)
{
    if (m_running)
        return Error{QStringLiteral("this sandbox is already running code"),
                     QStringLiteral("wait for finished(), or use another Sandbox"),
                     {},
                     QStringLiteral("busy")};
    const QFileInfo info(scratchDir);
    if (!info.isDir())
        return Error{QStringLiteral("the scratch folder does not exist"),
                     QStringLiteral("create the task's scratch folder before running code in it"),
                     scratchDir, QStringLiteral("not-found")};
    if (!QFileInfo(SandboxCommand::python()).isExecutable())
        return Error{QStringLiteral("%1 is missing: code cannot run").arg(SandboxCommand::python()),
                     QStringLiteral("sudo apt-get install python3"),
                     {},
                     QStringLiteral("not-found")};
    auto sandboxed = willSandbox(limits);
    if (!sandboxed)
        return sandboxed.error();

    m_scratch = info.canonicalFilePath();
    const SandboxCommand command =
        *sandboxed ? SandboxCommand::inSandbox(findBwrap(), m_scratch, limits,
                                               SandboxCommand::pythonCommand())
                   : SandboxCommand::plain(m_scratch, limits, SandboxCommand::pythonCommand());

    // As root the code runs as 65534, which must own /task to write there.
    m_restoreOwner = false;
    if (SandboxCommand::runningAsRoot()) {
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(m_scratch).constData(), &st) != 0)
            return Error{QStringLiteral("cannot read the scratch folder's owner"),
                         {},
                         m_scratch,
                         QStringLiteral("refused")};
        m_ownerUid = st.st_uid;
        m_ownerGid = st.st_gid;
        QString failed;
        m_restoreOwner = true;
        if (!SandboxCommand::chownTree(m_scratch, SandboxCommand::kNobody, SandboxCommand::kNobody,
                                       &failed)) {
            SandboxCommand::chownTree(m_scratch, m_ownerUid, m_ownerGid);
            return Error{QStringLiteral("cannot give the scratch folder to uid %1 for the run")
                             .arg(SandboxCommand::kNobody),
                         QStringLiteral("the code runs as that uid when skillgrad runs as root"),
                         failed, QStringLiteral("refused")};
        }
    }

    m_result = SandboxResult{};
    m_result.limits = limits;
    m_result.sandboxed = *sandboxed;
    m_process = new QProcess(this);
    m_process->setProgram(command.program);
    m_process->setArguments(command.arguments);
    m_process->setProcessEnvironment(command.environment);
    m_process->setWorkingDirectory(command.workingDirectory);
    m_process->setChildProcessModifier(command.childSetup(limits));
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] { readChannel(false); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] { readChannel(true); });
    connect(m_process, &QProcess::finished, this, [this] { finish({}); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        // Queued: finished() never fires inside start().
        if (error == QProcess::FailedToStart)
            QMetaObject::invokeMethod(
                this, [this, text = m_process->errorString()] { finish(text); },
                Qt::QueuedConnection);
    });

    m_wallClock = new QTimer(this);
    m_wallClock->setSingleShot(true);
    connect(m_wallClock, &QTimer::timeout, this, [this] {
        if (m_result.stop == SandboxResult::Stop::None)
            m_result.stop = SandboxResult::Stop::WallClock;
        killGroup();
    });

    m_running = true;
    m_pid = 0;
    m_elapsed.start();
    m_wallClock->start(std::max(1, limits.wallMs));
    m_process->start(QIODevice::ReadWrite);
    m_pid = m_process->processId();
    m_process->write(code.toUtf8());
    m_process->closeWriteChannel();
    return {};
}

bool Sandbox::isRunning() const
{
    return m_running;
}

void Sandbox::cancel()
{
    if (!m_running)
        return;
    if (m_result.stop == SandboxResult::Stop::None)
        m_result.stop = SandboxResult::Stop::Cancelled;
    killGroup();
}

void Sandbox::killGroup()
{
    // Only while QProcess has not reaped it: afterwards the pid could be someone else's.
    if (m_pid <= 0 || !m_process || m_process->state() == QProcess::NotRunning)
        return;
    // The child called setsid(): its pid is its process group. In the sandbox, bwrap's death
    // takes the whole pid namespace with it; outside, the group is all we can reach.
    ::kill(-pid_t(m_pid), SIGKILL);
    ::kill(pid_t(m_pid), SIGKILL);
}

void Sandbox::readChannel(bool error)
{
    if (!m_process)
        return;
    QByteArray& kept = error ? m_result.standardError : m_result.standardOutput;
    bool& truncated = error ? m_result.errorTruncated : m_result.outputTruncated;
    // Read everything QProcess holds, keep what fits: its buffer never grows past one pipe's worth.
    const QByteArray data =
        error ? m_process->readAllStandardError() : m_process->readAllStandardOutput();
    const qint64 room = std::max<qint64>(0, m_result.limits.outputBytes - kept.size());
    if (data.size() <= room) {
        kept += data;
        return;
    }
    kept += data.left(room);
    if (truncated)
        return;
    truncated = true;
    if (m_result.stop == SandboxResult::Stop::None)
        m_result.stop = SandboxResult::Stop::OutputCap;
    killGroup();
}

void Sandbox::finish(const QString& startError)
{
    if (!m_running)
        return;
    m_running = false;
    m_wallClock->stop();
    readChannel(false);
    readChannel(true);
    m_result.wallMs = m_elapsed.elapsed();

    QString error = startError;
    if (error.isEmpty()) {
        const int code = m_process->exitCode();
        if (m_process->exitStatus() == QProcess::CrashExit) {
            m_result.signal = code; // Qt reports the terminating signal as the exit code
            m_result.exitCode = -1;
        } else if (m_result.sandboxed && code > 128 && code <= 128 + 64) {
            // bwrap reports a command killed by signal N as exit code 128 + N.
            m_result.signal = code - 128;
            m_result.exitCode = -1;
        } else {
            m_result.exitCode = code;
        }
        const QByteArray& err = m_result.standardError;
        if (m_result.exitCode == SandboxCommand::kSetupFailed &&
            err.startsWith(SandboxCommand::setupFailureMarker()))
            error = QString::fromUtf8(err.trimmed());
        else if (m_result.sandboxed && m_result.exitCode == 1 && err.startsWith(kBwrapPrefix))
            error = QString::fromUtf8(err.trimmed());
    }
    if (!m_result.sandboxed && m_pid > 0)
        ::kill(-pid_t(m_pid), SIGKILL); // unsafe mode: what the code left behind in its group
    if (m_restoreOwner)
        SandboxCommand::chownTree(m_scratch, m_ownerUid, m_ownerGid);
    m_restoreOwner = false;
    m_process->deleteLater();
    m_process = nullptr;
    m_pid = 0;
    Q_EMIT finished(m_result, error);
}

Result<SandboxResult> Sandbox::runPython(const QString& code, const QString& scratchDir,
                                         const SandboxLimits& limits)
{
    if (!QCoreApplication::instance())
        return Error{
            QStringLiteral("Sandbox::runPython needs a QCoreApplication for its event loop"),
            {},
            {},
            QStringLiteral("internal")};
    Sandbox sandbox;
    QEventLoop loop;
    SandboxResult result;
    QString error;
    connect(&sandbox, &Sandbox::finished, &loop, [&](const SandboxResult& r, const QString& e) {
        result = r;
        error = e;
        loop.quit();
    });
    auto started = sandbox.start(code, scratchDir, limits);
    if (!started)
        return started.error();
    loop.exec();
    if (!error.isEmpty())
        return Error{QStringLiteral("could not run the code: %1").arg(error),
                     QStringLiteral("'skillgrad doctor' checks the sandbox"),
                     {},
                     QStringLiteral("sandbox-failed")};
    return result;
}

} // namespace sg
