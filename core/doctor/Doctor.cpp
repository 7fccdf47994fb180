#include "Doctor.h"

#include "llm/KeychainProbe.h"
#include "sandbox/SandboxCommand.h"
#include "sandbox/SandboxProbe.h"

#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QStandardPaths>

#include <git2.h>

#include <algorithm>

namespace sg {

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

QString aptInstall(const QString& packages)
{
    return QStringLiteral("sudo apt-get install %1").arg(packages);
}

DoctorCheck qtCheck()
{
    return {QStringLiteral("Qt"), DoctorCheck::Status::Ok, QStringLiteral("%1 (built with %2)").arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR)), {}, true};
}

DoctorCheck libgit2Check()
{
    int major = 0, minor = 0, rev = 0;
    git_libgit2_version(&major, &minor, &rev);
    return {QStringLiteral("libgit2"), DoctorCheck::Status::Ok, QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(rev), {}, true};
}

DoctorCheck sqliteCheck()
{
    if (QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return {QStringLiteral("SQLite driver"), DoctorCheck::Status::Ok, QStringLiteral("QSQLITE available"), {}, true};
    return {QStringLiteral("SQLite driver"), DoctorCheck::Status::Missing,
            QStringLiteral("Qt's QSQLITE driver is missing: no response cache, no sql tool"),
            aptInstall(QStringLiteral("libqt6sql6-sqlite")), true};
}

DoctorCheck sandboxCheck()
{
    const SandboxStatus status = SandboxProbe::probe();
    if (!status.installed)
        return {QStringLiteral("bubblewrap"), DoctorCheck::Status::Missing,
                QStringLiteral("not installed: generated code would be refused (or run unsandboxed with --unsafe-no-sandbox)"),
                aptInstall(QStringLiteral("bubblewrap")), false};
    // As root the sandbox runs bwrap privileged (mounts need CAP_SYS_ADMIN) and drops to uid
    // 65534 with setpriv; otherwise bwrap needs unprivileged user namespaces.
    const bool root = SandboxCommand::runningAsRoot();
    if (!status.working)
        return {QStringLiteral("bubblewrap"), DoctorCheck::Status::Missing,
                QStringLiteral("%1 %2 is installed but cannot make a sandbox here: %3").arg(status.program, status.version, status.detail),
                root ? QStringLiteral("as root, bwrap needs CAP_SYS_ADMIN (a container must be privileged) and %1 (util-linux); "
                                      "or pass --unsafe-no-sandbox").arg(SandboxCommand::setpriv())
                     : QStringLiteral("allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1), or run where they are allowed"),
                false};
    return {QStringLiteral("bubblewrap"), DoctorCheck::Status::Ok,
            QStringLiteral("%1 %2 works: no network, own pid namespace, read-only system, code runs as uid %3")
                .arg(status.program, status.version)
                .arg(SandboxCommand::codeUid()),
            {}, false};
}

DoctorCheck pythonCheck()
{
    if (!QFileInfo(kPython).isExecutable())
        return {QStringLiteral("python3"), DoctorCheck::Status::Missing,
                QStringLiteral("%1 not found: the executor's python tool will be unavailable").arg(kPython),
                aptInstall(QStringLiteral("python3")), false};
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(kPython, {QStringLiteral("--version")});
    const bool ran = process.waitForFinished(5000) && process.exitCode() == 0;
    const QString version = QString::fromUtf8(process.readAll()).trimmed();
    if (!ran)
        return {QStringLiteral("python3"), DoctorCheck::Status::Missing,
                QStringLiteral("%1 does not run: %2").arg(kPython, version), aptInstall(QStringLiteral("--reinstall python3")), false};
    return {QStringLiteral("python3"), DoctorCheck::Status::Ok, QStringLiteral("%1 (%2)").arg(kPython, version), {}, false};
}

DoctorCheck sofficeCheck()
{
    QString program = QStandardPaths::findExecutable(QStringLiteral("soffice"));
    if (program.isEmpty())
        program = QStandardPaths::findExecutable(QStringLiteral("libreoffice"));
    if (program.isEmpty())
        return {QStringLiteral("LibreOffice"), DoctorCheck::Status::Warning,
                QStringLiteral("soffice not found: SpreadsheetBench workbooks without cached values are ungradable"),
                aptInstall(QStringLiteral("libreoffice-calc-nogui")), false};
    return {QStringLiteral("LibreOffice"), DoctorCheck::Status::Ok, program, {}, false};
}

DoctorCheck keychainCheck()
{
    const KeychainStatus status = KeychainProbe::probe();
    if (status.available)
        return {QStringLiteral("keychain"), DoctorCheck::Status::Ok, QStringLiteral("the OS keychain answers"), {}, false};
    return {QStringLiteral("keychain"), DoctorCheck::Status::Warning,
            QStringLiteral("not available (%1); API keys can still come from environment variables").arg(status.detail),
            QStringLiteral("run inside a desktop session with gnome-keyring or KWallet (%1)").arg(aptInstall(QStringLiteral("gnome-keyring"))),
            false};
}

DoctorCheck apiKeysCheck()
{
    // Only whether the variables are set; their values never leave the environment.
    QStringList set, unset;
    for (const char* name : {"OPENAI_API_KEY", "ANTHROPIC_API_KEY"})
        (qEnvironmentVariableIsEmpty(name) ? unset : set) << QString::fromLatin1(name);
    const QString detail = set.isEmpty() ? QStringLiteral("none set (%1); the offline sim provider needs none").arg(unset.join(QStringLiteral(", ")))
                                         : QStringLiteral("set: %1").arg(set.join(QStringLiteral(", ")));
    return {QStringLiteral("API keys"), DoctorCheck::Status::Ok, detail, {}, false};
}

} // namespace

QString DoctorCheck::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return QStringLiteral("ok");
    case Status::Warning:
        return QStringLiteral("warning");
    case Status::Missing:
        break;
    }
    return QStringLiteral("missing");
}

std::vector<DoctorCheck> Doctor::run()
{
    return {qtCheck(), libgit2Check(), sqliteCheck(), sandboxCheck(), pythonCheck(), sofficeCheck(), keychainCheck(), apiKeysCheck()};
}

bool Doctor::allRequiredOk(const std::vector<DoctorCheck>& checks)
{
    return std::all_of(checks.begin(), checks.end(),
                       [](const DoctorCheck& c) { return !c.required || c.status == DoctorCheck::Status::Ok; });
}

} // namespace sg
