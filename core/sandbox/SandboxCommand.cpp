#include "SandboxCommand.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace sg {

namespace {

const QString kTask = QStringLiteral("/task");
const QString kPath = QStringLiteral("/usr/bin:/bin");

// Everything the child needs, as plain values: the modifier runs between fork and exec, where
// only async-signal-safe calls are allowed.
struct ChildSetup
{
    bool dropToNobody = false;
    rlim_t cpuSoft = 0;
    rlim_t cpuHard = 0;
    rlim_t addressSpace = 0;
    rlim_t fileSize = 0;
    rlim_t processes = 0;
};

void writeText(const char* text)
{
    std::size_t length = 0;
    while (text[length])
        ++length;
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, text, length);
}

[[noreturn]] void setupFailed(const char* what)
{
    const int error = errno;
    writeText(SandboxCommand::setupFailureMarker());
    writeText(what);
    writeText(" failed: errno ");
    char digits[16];
    int n = 0;
    int value = error;
    do {
        digits[n++] = char('0' + value % 10);
        value /= 10;
    } while (value > 0 && n < 15);
    char out[17];
    for (int i = 0; i < n; ++i)
        out[i] = digits[n - 1 - i];
    out[n] = '\n';
    out[n + 1] = '\0';
    writeText(out);
    ::_exit(SandboxCommand::kSetupFailed);
}

void limit(int resource, rlim_t soft, rlim_t hard, const char* what)
{
    const struct rlimit value
    {
        soft, hard
    };
    if (::setrlimit(resource, &value) != 0)
        setupFailed(what);
}

// How many tasks (threads count) the uid has now: RLIMIT_NPROC counts them all.
rlim_t tasksOf(uid_t uid)
{
    rlim_t count = 0;
    const QStringList pids =
        QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& pid : pids) {
        bool numeric = false;
        pid.toInt(&numeric);
        if (!numeric)
            continue;
        QFile status(QStringLiteral("/proc/%1/status").arg(pid));
        if (!status.open(QIODevice::ReadOnly))
            continue;
        bool mine = false;
        rlim_t threads = 1;
        for (const QByteArray& line : status.readAll().split('\n')) {
            if (line.startsWith("Uid:"))
                mine = line.mid(4).simplified().split(' ').value(0).toUInt() == uid;
            else if (line.startsWith("Threads:"))
                threads = line.mid(8).trimmed().toULongLong();
        }
        if (mine)
            count += threads;
    }
    return count;
}

QProcessEnvironment minimalEnvironment(const QString& home)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), kPath);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    return env;
}

// The host's /bin, /sbin and /lib* as they are: links into /usr (merged /usr) or read-only binds.
QStringList systemLinks()
{
    QStringList args;
    for (const char* name : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
        const QString path = QString::fromLatin1(name);
        const QFileInfo info(path);
        if (info.isSymLink())
            args << QStringLiteral("--symlink") << info.symLinkTarget() << path;
        else if (info.isDir())
            args << QStringLiteral("--ro-bind") << path << path;
    }
    return args;
}

} // namespace

QString SandboxCommand::python()
{
    return QStringLiteral("/usr/bin/python3");
}

QString SandboxCommand::setpriv()
{
    return QStringLiteral("/usr/bin/setpriv");
}

QStringList SandboxCommand::pythonCommand()
{
    // -B: no __pycache__ in /task; -u: what was printed before a kill is not lost in a buffer;
    // "-": the code comes on stdin (no file in /task, no argv size limit).
    return {python(), QStringLiteral("-B"), QStringLiteral("-u"), QStringLiteral("-")};
}

bool SandboxCommand::runningAsRoot()
{
    return ::geteuid() == 0;
}

uid_t SandboxCommand::codeUid()
{
    return runningAsRoot() ? kNobody : ::getuid();
}

SandboxCommand SandboxCommand::inSandbox(const QString& bwrap, const QString& scratchDir,
                                         const SandboxLimits& limits, const QStringList& command)
{
    const bool root = runningAsRoot();
    const QString tmpSize = QString::number(limits.tmpBytes);
    SandboxCommand c;
    c.program = bwrap;
    c.isolated = true;
    c.environment = minimalEnvironment(kTask);
    c.workingDirectory = QStringLiteral("/");
    if (root)
        c.arguments << QStringLiteral("--unshare-ipc") << QStringLiteral("--unshare-pid")
                    << QStringLiteral("--unshare-net") << QStringLiteral("--unshare-uts")
                    << QStringLiteral("--unshare-cgroup-try");
    else
        c.arguments << QStringLiteral("--unshare-all") << QStringLiteral("--unshare-user")
                    << QStringLiteral("--disable-userns");
    c.arguments << QStringLiteral("--die-with-parent") << QStringLiteral("--new-session")
                << QStringLiteral("--ro-bind") << QStringLiteral("/usr") << QStringLiteral("/usr");
    c.arguments << systemLinks();
    c.arguments << QStringLiteral("--perms") << QStringLiteral("0755") << QStringLiteral("--dir")
                << QStringLiteral("/etc");
    for (const char* file : {"/etc/ld.so.cache", "/etc/localtime"})
        c.arguments << QStringLiteral("--ro-bind-try") << QString::fromLatin1(file)
                    << QString::fromLatin1(file);
    c.arguments << QStringLiteral("--proc") << QStringLiteral("/proc") << QStringLiteral("--dev")
                << QStringLiteral("/dev");
    for (const char* tmp : {"/tmp", "/dev/shm"})
        c.arguments << QStringLiteral("--perms") << QStringLiteral("1777")
                    << QStringLiteral("--size") << tmpSize << QStringLiteral("--tmpfs")
                    << QString::fromLatin1(tmp);
    c.arguments << QStringLiteral("--bind") << scratchDir << kTask << QStringLiteral("--chdir")
                << kTask;
    // The tmpfs bwrap builds the root from is writable by the code in a user namespace: freeze
    // it, so /etc and new top-level folders cannot be made (/tmp and /task are mounts of their
    // own).
    c.arguments << QStringLiteral("--remount-ro") << QStringLiteral("/");
    c.arguments << QStringLiteral("--clearenv");
    const QProcessEnvironment env = c.environment;
    for (const QString& key : env.keys())
        c.arguments << QStringLiteral("--setenv") << key << env.value(key);
    if (root)
        c.arguments << QStringLiteral("--cap-add") << QStringLiteral("CAP_SETUID")
                    << QStringLiteral("--cap-add") << QStringLiteral("CAP_SETGID")
                    << QStringLiteral("--cap-add") << QStringLiteral("CAP_SETPCAP");
    c.arguments << QStringLiteral("--");
    if (root)
        c.arguments << setpriv() << QStringLiteral("--reuid=%1").arg(kNobody)
                    << QStringLiteral("--regid=%1").arg(kNobody) << QStringLiteral("--clear-groups")
                    << QStringLiteral("--inh-caps=-all") << QStringLiteral("--bounding-set=-all")
                    << QStringLiteral("--");
    c.arguments << command;
    return c;
}

SandboxCommand SandboxCommand::plain(const QString& scratchDir, const SandboxLimits&,
                                     const QStringList& command)
{
    SandboxCommand c;
    c.program = command.value(0);
    c.arguments = command.mid(1);
    c.isolated = false;
    c.environment = minimalEnvironment(scratchDir);
    c.workingDirectory = scratchDir;
    return c;
}

std::function<void()> SandboxCommand::childSetup(const SandboxLimits& limits) const
{
    ChildSetup s;
    // Unsafe mode as root drops here; in the sandbox, setpriv drops after bwrap's setup.
    s.dropToNobody = !isolated && runningAsRoot();
    s.cpuSoft = rlim_t(std::max(1, limits.cpuSeconds));
    s.cpuHard = s.cpuSoft + 1; // SIGXCPU first (python can be told apart), SIGKILL a second later
    s.addressSpace = rlim_t(std::max<qint64>(limits.memoryBytes, 16 * 1024 * 1024));
    s.fileSize = rlim_t(std::max<qint64>(limits.fileBytes, 0));
    s.processes = tasksOf(codeUid()) + rlim_t(std::max(1, limits.processes));
    return [s] {
        if (::setsid() < 0)
            setupFailed("setsid");
        // Whatever the parent left open without O_CLOEXEC must not reach the code.
        if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
            for (int fd = 3; fd < 4096; ++fd)
                ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        if (s.dropToNobody) {
            if (::setgroups(0, nullptr) != 0)
                setupFailed("setgroups");
            if (::setgid(kNobody) != 0)
                setupFailed("setgid");
            if (::setuid(kNobody) != 0)
                setupFailed("setuid");
        }
        limit(RLIMIT_CPU, s.cpuSoft, s.cpuHard, "setrlimit(RLIMIT_CPU)");
        limit(RLIMIT_AS, s.addressSpace, s.addressSpace, "setrlimit(RLIMIT_AS)");
        limit(RLIMIT_FSIZE, s.fileSize, s.fileSize, "setrlimit(RLIMIT_FSIZE)");
        limit(RLIMIT_NPROC, s.processes, s.processes, "setrlimit(RLIMIT_NPROC)");
        limit(RLIMIT_CORE, 0, 0, "setrlimit(RLIMIT_CORE)");
    };
}

bool SandboxCommand::chownTree(const QString& dir, uid_t uid, gid_t gid, QString* failedPath)
{
    auto give = [&](const QString& path) {
        const QByteArray native = QFile::encodeName(path);
        struct stat st
        {
        };
        if (::lstat(native.constData(), &st) != 0)
            return errno == ENOENT; // gone meanwhile
        // A hard link may point at a file outside the folder: leave it alone.
        if (S_ISREG(st.st_mode) && st.st_nlink > 1)
            return true;
        if (st.st_uid == uid && st.st_gid == gid)
            return true;
        return ::lchown(native.constData(), uid, gid) == 0;
    };
    if (!give(dir)) {
        if (failedPath)
            *failedPath = dir;
        return false;
    }
    // QDirIterator does not follow symlinks unless asked to.
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (!give(path)) {
            if (failedPath)
                *failedPath = path;
            return false;
        }
    }
    return true;
}

} // namespace sg
