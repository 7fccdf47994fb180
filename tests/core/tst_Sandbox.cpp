#include "sandbox/Sandbox.h"
#include "sandbox/SandboxCommand.h"
#include "sandbox/SandboxProbe.h"

#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace sg;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// Small limits keep the suite fast; each test widens what it needs.
SandboxLimits smallLimits()
{
    SandboxLimits l;
    l.wallMs = 15000;
    l.cpuSeconds = 10;
    l.memoryBytes = 512 * kMiB;
    l.fileBytes = 8 * kMiB;
    l.processes = 32;
    l.outputBytes = 256 * 1024;
    l.tmpBytes = 8 * kMiB;
    return l;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray sha(const QString& path)
{
    return QCryptographicHash::hash(readAll(path), QCryptographicHash::Sha256).toHex();
}

// Tasks of a uid on the host, to prove a run left none behind.
int tasksOf(uid_t uid)
{
    int count = 0;
    for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QByteArray status = readAll(QStringLiteral("/proc/%1/status").arg(pid));
        for (const QByteArray& line : status.split('\n')) {
            if (line.startsWith("Uid:") && line.mid(4).simplified().split(' ').value(0).toUInt() == uid)
                ++count;
        }
    }
    return count;
}

qint64 statusKiB(const char* field)
{
    for (const QByteArray& line : readAll(QStringLiteral("/proc/self/status")).split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

uid_t ownerOf(const QString& path)
{
    struct stat st{};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_uid : uid_t(-1);
}

SandboxResult mustRun(const QString& code, const QString& dir, const SandboxLimits& limits = smallLimits())
{
    auto result = Sandbox::runPython(code, dir, limits);
    if (!result)
        qFatal("the sandbox did not run: %s", qPrintable(result.error().text()));
    return result.value();
}

QString text(const QByteArray& bytes)
{
    return QString::fromUtf8(bytes);
}

} // namespace

class tst_Sandbox : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

    // A fresh scratch folder per test function (and data row).
    QString scratch()
    {
        static int counter = 0;
        const QString dir = m_tmp.filePath(QStringLiteral("scratch-%1").arg(++counter));
        QDir().mkpath(dir);
        return QFileInfo(dir).canonicalFilePath();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        // These tests are about the real sandbox: ./test.sh installs bubblewrap.
        const auto sandboxed = Sandbox::willSandbox(SandboxLimits{});
        QVERIFY2(sandboxed.ok(), qPrintable(sandboxed.ok() ? QString() : sandboxed.error().text()));
        QVERIFY(sandboxed.value());
    }

    void printsExitsAndReportsStderr()
    {
        const SandboxResult r = mustRun(QStringLiteral("import sys\nprint('hello')\nprint('oops', file=sys.stderr)\nsys.exit(3)\n"),
                                        scratch());
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.signal, 0);
        QCOMPARE(r.standardOutput, QByteArray("hello\n"));
        QCOMPARE(r.standardError, QByteArray("oops\n"));
        QVERIFY(r.sandboxed);
        QVERIFY(!r.succeeded());
        QVERIFY2(r.summary().startsWith(QStringLiteral("exited with code 3 in ")), qPrintable(r.summary()));

        const SandboxResult ok = mustRun(QStringLiteral("print(sum(range(10)))"), scratch());
        QVERIFY(ok.succeeded());
        QCOMPARE(ok.standardOutput, QByteArray("45\n"));
        // A traceback names the line.
        const SandboxResult bad = mustRun(QStringLiteral("x = 1\nraise ValueError('boom')\n"), scratch());
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(text(bad.standardError).contains(QStringLiteral("line 2")));
        QVERIFY(text(bad.standardError).contains(QStringLiteral("ValueError: boom")));
    }

    void taskIsTheWritableWorkingDirectory()
    {
        const QString dir = scratch();
        test::writeFile(dir, QStringLiteral("input.csv"), "a,b\n1,2\n");
        const uid_t owner = ownerOf(dir);
        const SandboxResult r = mustRun(QStringLiteral(R"(import os
print(os.getcwd())
print(open('input.csv').read().splitlines()[1])
open('/task/out.txt', 'w').write('written by absolute path')
os.makedirs('sub/deeper')
open('sub/deeper/rel.txt', 'w').write('relative')
print(os.getuid())
)"),
                                        dir);
        QVERIFY2(r.succeeded(), qPrintable(r.summary() + text(r.standardError)));
        const QStringList lines = text(r.standardOutput).split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("/task"));
        QCOMPARE(lines.value(1), QStringLiteral("1,2"));
        QCOMPARE(lines.value(2), QString::number(SandboxCommand::codeUid()));
        QCOMPARE(readAll(dir + QStringLiteral("/out.txt")), QByteArray("written by absolute path"));
        QCOMPARE(readAll(dir + QStringLiteral("/sub/deeper/rel.txt")), QByteArray("relative"));
        // Afterwards everything belongs to the folder's owner again.
        QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QVERIFY2(ownerOf(path) == owner, qPrintable(path));
        }
        QCOMPARE(ownerOf(dir), owner);
    }

    void environmentIsCleared()
    {
        qputenv("SKILLGRAD_TEST_SECRET", "hunter2-in-the-environment");
        const SandboxResult r = mustRun(QStringLiteral("import os, json\nprint(json.dumps(dict(os.environ)))"), scratch());
        qunsetenv("SKILLGRAD_TEST_SECRET");
        QVERIFY2(r.succeeded(), qPrintable(text(r.standardError)));
        QVERIFY(!r.standardOutput.contains("hunter2"));
        const QJsonObject env = QJsonDocument::fromJson(r.standardOutput).object();
        QCOMPARE(env.value(QStringLiteral("HOME")).toString(), QStringLiteral("/task"));
        QCOMPARE(env.value(QStringLiteral("PATH")).toString(), QStringLiteral("/usr/bin:/bin"));
        QCOMPARE(env.value(QStringLiteral("LANG")).toString(), QStringLiteral("C.UTF-8"));
        const QStringList allowed{QStringLiteral("HOME"), QStringLiteral("PATH"), QStringLiteral("LANG"), QStringLiteral("PWD")};
        for (const QString& key : env.keys())
            QVERIFY2(allowed.contains(key), qPrintable(key));
    }

    void writesOutsideTaskLeaveTheHostUnchanged_data()
    {
        QTest::addColumn<QString>("target"); // a host path the code tries to overwrite or create
        QTest::newRow("the test's temp dir") << QStringLiteral("tmp-victim");
        QTest::newRow("HOME") << QStringLiteral("home-victim");
        QTest::newRow("/etc/passwd") << QStringLiteral("/etc/passwd");
        QTest::newRow("new file in /etc") << QStringLiteral("/etc/skillgrad-sandbox-test");
        QTest::newRow("/usr/bin") << QStringLiteral("/usr/bin/skillgrad-sandbox-test");
        QTest::newRow("/root") << QStringLiteral("/root/skillgrad-sandbox-test");
        QTest::newRow("/tmp") << QStringLiteral("/tmp/skillgrad-sandbox-test");
    }

    void writesOutsideTaskLeaveTheHostUnchanged()
    {
        QFETCH(QString, target);
        QString path = target;
        if (target == QLatin1String("tmp-victim")) {
            // World-writable, so only the sandbox can keep the code out.
            const QString outside = m_tmp.filePath(QStringLiteral("outside"));
            QDir().mkpath(outside);
            QFile::setPermissions(outside, QFileDevice::Permissions(0x7777));
            path = outside + QStringLiteral("/victim.txt");
            test::writeFile(outside, QStringLiteral("victim.txt"), "original bytes\n");
            QFile::setPermissions(path, QFileDevice::Permissions(0x6666));
        } else if (target == QLatin1String("home-victim")) {
            const QString home = QDir::homePath();
            QDir().mkpath(home);
            path = home + QStringLiteral("/.bashrc-sandbox-test");
            test::writeFile(home, QStringLiteral(".bashrc-sandbox-test"), "original home file\n");
        }
        const bool existed = QFileInfo::exists(path);
        const QByteArray before = existed ? sha(path) : QByteArray();
        const QString code = QStringLiteral(R"(import os
path = %1[0]
for mode in ('r+', 'a', 'w'):
    try:
        with open(path, mode) as f:
            f.write('PWNED')
        print('wrote with', mode)
    except OSError as e:
        print('refused:', mode, e.strerror)
try:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'w').write('PWNED')
    print('wrote after makedirs')
except OSError as e:
    print('refused: makedirs', e.strerror)
)")
                                 .arg(QString::fromUtf8(QJsonDocument(QJsonArray{path}).toJson(QJsonDocument::Compact)));
        const SandboxResult r = mustRun(code, scratch());
        QVERIFY2(r.succeeded(), qPrintable(text(r.standardError)));
        // The host file is byte-for-byte what it was, or still absent.
        QCOMPARE(QFileInfo::exists(path), existed);
        if (existed)
            QCOMPARE(sha(path), before);
        // System locations are read-only or invisible from inside.
        if (path.startsWith(QLatin1String("/etc")) || path.startsWith(QLatin1String("/usr")) || path.startsWith(QLatin1String("/root")))
            QVERIFY2(!r.standardOutput.contains("wrote"), r.standardOutput.constData());
    }

    void readsOutsideTaskSeeNothing()
    {
        const QString secret = QStringLiteral("TOPSECRET-%1").arg(QCoreApplication::applicationPid());
        qputenv("SKILLGRAD_TEST_SECRET", secret.toUtf8());
        const QString home = QDir::homePath();
        QDir().mkpath(home);
        test::writeFile(home, QStringLiteral("secret.txt"), secret.toUtf8());
        test::writeFile(m_tmp.path(), QStringLiteral("secret.txt"), secret.toUtf8());
        const QString code = QStringLiteral(R"(import os
for d in [%1, '/root', '/home', '/work', '/run', '/var', '/etc']:
    try:
        print('list', d, sorted(os.listdir(d)))
    except OSError as e:
        print('list', d, 'refused:', e.strerror)
for f in [%2, %3, '/etc/shadow', '/etc/passwd', '/proc/1/environ']:
    try:
        print('read', f, open(f).read())
    except OSError as e:
        print('read', f, 'refused:', e.strerror)
)")
                                 .arg(QStringLiteral("'%1'").arg(home), QStringLiteral("'%1/secret.txt'").arg(home),
                                      QStringLiteral("'%1'").arg(m_tmp.filePath(QStringLiteral("secret.txt"))));
        const SandboxResult r = mustRun(code, scratch());
        qunsetenv("SKILLGRAD_TEST_SECRET");
        QVERIFY2(r.succeeded(), qPrintable(text(r.standardError)));
        const QString out = text(r.standardOutput);
        QVERIFY2(!out.contains(secret), qPrintable(out));
        for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (line.startsWith(QLatin1String("list /etc ")))
                QCOMPARE(line, QStringLiteral("list /etc ['ld.so.cache', 'localtime']"));
            else if (line.startsWith(QLatin1String("read /proc/1/environ ")))
                continue; // the sandbox's own init: readable without a user namespace only to root
            else
                QVERIFY2(line.contains(QStringLiteral("refused:")), qPrintable(line));
        }
    }

    void noNetworkToTheHost()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        int connections = 0;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            ++connections;
            delete server.nextPendingConnection();
        });
        const SandboxResult r = mustRun(QStringLiteral(R"(import socket
print('interfaces', [n for _, n in socket.if_nameindex()])
try:
    s = socket.create_connection(('127.0.0.1', %1), timeout=3)
    s.sendall(b'hello from the sandbox')
    print('connected')
except OSError as e:
    print('refused:', e)
)")
                                            .arg(server.serverPort()),
                                        scratch());
        QVERIFY2(r.succeeded(), qPrintable(text(r.standardError)));
        QTest::qWait(300);
        QCOMPARE(connections, 0);
        QVERIFY2(r.standardOutput.contains("interfaces ['lo']"), r.standardOutput.constData());
        QVERIFY2(r.standardOutput.contains("refused:"), r.standardOutput.constData());
        QVERIFY(!r.standardOutput.contains("connected"));
    }

    void noDns()
    {
        const SandboxResult r = mustRun(QStringLiteral(R"(import socket
try:
    print('resolved', socket.getaddrinfo('example.com', 80))
except OSError as e:
    print('refused:', e)
)"),
                                        scratch());
        QVERIFY2(r.succeeded(), qPrintable(text(r.standardError)));
        QVERIFY2(r.standardOutput.startsWith("refused:"), r.standardOutput.constData());
    }

    void forkBombIsCappedAndLeavesNothing()
    {
        const QString dir = scratch();
        const uid_t uid = SandboxCommand::codeUid();
        const int before = tasksOf(uid);
        SandboxLimits limits = smallLimits();
        limits.processes = 16;
        limits.wallMs = 3000;
        const SandboxResult r = mustRun(QStringLiteral(R"(import os, time
# World-writable, so a survivor could still write after the run hands /task back to its owner.
os.mkdir('/task/pids')
os.chmod('/task/pids', 0o777)
open('/task/pids/heartbeat', 'w').close()
os.chmod('/task/pids/heartbeat', 0o666)
while True:
    try:
        if os.fork() == 0:
            open('/task/pids/%d' % os.getpid(), 'w').close()
    except OSError:
        os.utime('/task/pids/heartbeat')
        time.sleep(0.05)
)"),
                                        dir, limits);
        QVERIFY2(r.timedOut(), qPrintable(r.summary()));
        QCOMPARE(r.signal, SIGKILL);
        QVERIFY2(r.summary().contains(QStringLiteral("exceeded the 3 s wall-clock limit")), qPrintable(r.summary()));
        const int forked = QDir(dir + QStringLiteral("/pids")).entryList(QDir::Files).size() - 1;
        // RLIMIT_NPROC counts every task of the uid: the cap is what it had before plus the limit.
        const int allowance = limits.processes + before;
        QVERIFY2(forked >= 2 && forked <= allowance, qPrintable(QStringLiteral("%1 > %2").arg(forked).arg(allowance)));
        // No survivor touches the heartbeat, and (as root) uid 65534 has no more tasks than before.
        const QString heartbeat = dir + QStringLiteral("/pids/heartbeat");
        const QDateTime beat = QFileInfo(heartbeat).lastModified();
        QTest::qWait(1500);
        QCOMPARE(QFileInfo(heartbeat).lastModified(), beat);
        if (SandboxCommand::runningAsRoot())
            QTRY_VERIFY_WITH_TIMEOUT(tasksOf(uid) <= before, 5000);
    }

    void memoryBombHitsTheLimit()
    {
        SandboxLimits limits = smallLimits();
        limits.memoryBytes = 256 * kMiB;
        const SandboxResult r = mustRun(QStringLiteral(R"(chunks = []
while True:
    chunks.append(bytearray(16 * 1024 * 1024))
)"),
                                        scratch(), limits);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.standardError.contains("MemoryError"));
        QVERIFY(!r.timedOut());
        QVERIFY2(r.summary().contains(QStringLiteral("the 256 MiB memory limit")), qPrintable(r.summary()));
    }

    void endlessLoopHitsTheCpuLimit()
    {
        SandboxLimits limits = smallLimits();
        limits.cpuSeconds = 1;
        const SandboxResult r = mustRun(QStringLiteral("while True:\n    pass\n"), scratch(), limits);
        QCOMPARE(r.signal, SIGXCPU);
        QVERIFY(!r.timedOut());
        QVERIFY2(r.summary().startsWith(QStringLiteral("killed by SIGXCPU: exceeded the 1 s CPU limit")), qPrintable(r.summary()));
        QVERIFY(r.wallMs < 8000);
    }

    void sleeperHitsTheWallClock()
    {
        SandboxLimits limits = smallLimits();
        limits.wallMs = 1500;
        const SandboxResult r = mustRun(QStringLiteral("import time\nprint('before', flush=True)\ntime.sleep(60)\n"), scratch(), limits);
        QVERIFY(r.timedOut());
        QCOMPARE(r.summary(), QStringLiteral("killed: exceeded the 1.5 s wall-clock limit"));
        QCOMPARE(r.standardOutput, QByteArray("before\n")); // what came before the kill is kept
        QVERIFY2(r.wallMs >= 1400 && r.wallMs < 6000, qPrintable(QString::number(r.wallMs)));
    }

    void gigabyteOfOutputIsCappedWhileReading()
    {
        QFile clear(QStringLiteral("/proc/self/clear_refs"));
        if (clear.open(QIODevice::WriteOnly)) // resets the peak RSS (VmHWM)
            clear.write("5");
        clear.close();
        const qint64 peakBefore = statusKiB("VmRSS:");
        SandboxLimits limits = smallLimits();
        limits.outputBytes = 64 * 1024;
        const SandboxResult r = mustRun(QStringLiteral(R"(import sys
block = b'x' * (1024 * 1024)
for _ in range(1024):
    sys.stdout.buffer.write(block)
sys.stderr.write('wrote it all')
)"),
                                        scratch(), limits);
        QVERIFY(r.outputTruncated);
        QCOMPARE(r.stop, SandboxResult::Stop::OutputCap);
        QCOMPARE(r.standardOutput.size(), 64 * 1024);
        // Killed on the spot, not drained to the end.
        QCOMPARE(r.signal, SIGKILL);
        QVERIFY(!r.standardError.contains("wrote it all"));
        QVERIFY2(r.summary().startsWith(QStringLiteral("killed: wrote more than 64 KiB to stdout")), qPrintable(r.summary()));
        QVERIFY2(r.wallMs < 10000, qPrintable(QString::number(r.wallMs)));
        const qint64 peakAfter = statusKiB("VmHWM:");
        QVERIFY2(peakAfter - peakBefore < 64 * 1024, qPrintable(QStringLiteral("%1 KiB -> %2 KiB").arg(peakBefore).arg(peakAfter)));
    }

    void fileSizeIsLimited()
    {
        const QString dir = scratch();
        SandboxLimits limits = smallLimits();
        limits.fileBytes = kMiB;
        const SandboxResult r = mustRun(QStringLiteral("open('/task/big', 'wb').write(b'x' * (4 * 1024 * 1024))\n"), dir, limits);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.summary().contains(QStringLiteral("the 1 MiB file-size limit")), qPrintable(r.summary()));
        QVERIFY(QFileInfo(dir + QStringLiteral("/big")).size() <= kMiB);
    }

    void backgroundProcessDiesWithTheRun()
    {
        const QString dir = scratch();
        const uid_t uid = SandboxCommand::codeUid();
        const int before = SandboxCommand::runningAsRoot() ? tasksOf(uid) : 0;
        // A detached grandchild that would write after the main process is gone, into a folder
        // it could still write after the run hands /task back to its owner.
        const SandboxResult r = mustRun(QStringLiteral(R"(import os, time
os.mkdir('/task/drop')
os.chmod('/task/drop', 0o777)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(1.5)
        open('/task/drop/survivor', 'w').write('still here')
    os._exit(0)
print('main done')
)"),
                                        dir);
        QVERIFY2(r.succeeded(), qPrintable(r.summary()));
        if (SandboxCommand::runningAsRoot())
            QTRY_VERIFY_WITH_TIMEOUT(tasksOf(uid) <= before, 1000);
        QTest::qWait(3000);
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/drop")));
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/drop/survivor")));
    }

    void asynchronousApiAndCancel()
    {
        Sandbox sandbox;
        QSignalSpy spy(&sandbox, &Sandbox::finished);
        SandboxLimits limits = smallLimits();
        QVERIFY(sandbox.start(QStringLiteral("import time\ntime.sleep(30)\n"), scratch(), limits).ok());
        QVERIFY(sandbox.isRunning());
        QCOMPARE(spy.count(), 0);
        const auto busy = sandbox.start(QStringLiteral("print(1)"), scratch(), limits);
        QVERIFY(!busy.ok());
        QCOMPARE(busy.error().code, QStringLiteral("busy"));
        QTimer::singleShot(300, &sandbox, &Sandbox::cancel);
        QVERIFY(spy.wait(10000));
        const auto result = spy.at(0).at(0).value<SandboxResult>();
        QCOMPARE(result.stop, SandboxResult::Stop::Cancelled);
        QVERIFY(spy.at(0).at(1).toString().isEmpty());
        QVERIFY(result.wallMs < 5000);
        // The same object runs again.
        QVERIFY(sandbox.start(QStringLiteral("print('again')"), scratch(), limits).ok());
        QVERIFY(spy.wait(10000));
        QCOMPARE(spy.at(1).at(0).value<SandboxResult>().standardOutput, QByteArray("again\n"));
    }

    void badFolderIsAnError()
    {
        const auto r = Sandbox::runPython(QStringLiteral("print(1)"), m_tmp.filePath(QStringLiteral("no-such-folder")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("not-found"));
        QVERIFY(r.error().where.contains(QStringLiteral("no-such-folder")));
    }

    void refusedWithoutBubblewrap()
    {
        QTemporaryDir emptyPath;
        const QByteArray saved = qgetenv("PATH");
        qputenv("PATH", emptyPath.path().toUtf8());
        const auto refused = Sandbox::runPython(QStringLiteral("print(1)"), scratch(), smallLimits());
        SandboxLimits unsafe = smallLimits();
        unsafe.isolation = SandboxLimits::Isolation::BestEffort;
        const auto ranAnyway = Sandbox::runPython(QStringLiteral("print('plain')"), scratch(), unsafe);
        qputenv("PATH", saved);

        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("no-sandbox"));
        QVERIFY2(refused.error().hint.contains(QStringLiteral("sudo apt-get install bubblewrap")), qPrintable(refused.error().hint));
        QVERIFY(refused.error().hint.contains(QStringLiteral("--unsafe-no-sandbox")));
        QVERIFY(refused.error().message.contains(QStringLiteral("bwrap is not on PATH")));
        QVERIFY(ranAnyway.ok());
        QVERIFY(!ranAnyway->sandboxed);
        QCOMPARE(ranAnyway->standardOutput, QByteArray("plain\n"));
        QVERIFY2(ranAnyway->summary().contains(QStringLiteral("UNSANDBOXED")), qPrintable(ranAnyway->summary()));
    }

    // A bwrap that cannot build the sandbox: the probe and the refusal quote why.
    void brokenBubblewrapIsExplained()
    {
        QTemporaryDir fake;
        test::writeFile(fake.path(), QStringLiteral("bwrap"),
                        "#!/bin/sh\n[ \"$1\" = --version ] && echo 'bubblewrap 9.9' && exit 0\n"
                        "echo 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n");
        QFile::setPermissions(fake.filePath(QStringLiteral("bwrap")), QFileDevice::Permissions(0x7555));
        const SandboxStatus status = SandboxProbe::probe(fake.filePath(QStringLiteral("bwrap")));
        QVERIFY(status.installed);
        QVERIFY(!status.working);
        QCOMPARE(status.version, QStringLiteral("9.9"));
        QCOMPARE(status.detail, QStringLiteral("bwrap: Creating new namespace failed: Operation not permitted"));

        const QByteArray saved = qgetenv("PATH");
        qputenv("PATH", fake.path().toUtf8());
        const auto refused = Sandbox::runPython(QStringLiteral("print(1)"), scratch(), smallLimits());
        qputenv("PATH", saved);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("no-sandbox"));
        QVERIFY2(refused.error().message.contains(QStringLiteral("Operation not permitted")), qPrintable(refused.error().message));

        // The real one works, and writes into its scratch folder as the code's uid.
        const SandboxStatus real = SandboxProbe::probe();
        QVERIFY2(real.working, qPrintable(real.detail));
        QVERIFY(real.detail.isEmpty());
    }

    // Unsafe mode still has the limits, the wall clock, the caps and a clean environment.
    void unsandboxedKeepsLimits()
    {
        SandboxLimits limits = smallLimits();
        limits.isolation = SandboxLimits::Isolation::None;
        limits.wallMs = 1500;
        const QString dir = scratch();
        qputenv("SKILLGRAD_TEST_SECRET", "hunter2");
        const SandboxResult r = mustRun(QStringLiteral(R"(import os, json
print(json.dumps({'cwd': os.getcwd(), 'uid': os.getuid(), 'env': sorted(os.environ)}))
open('made-here.txt', 'w').write('ok')
)"),
                                        dir, limits);
        qunsetenv("SKILLGRAD_TEST_SECRET");
        QVERIFY2(r.succeeded(), qPrintable(text(r.standardError)));
        QVERIFY(!r.sandboxed);
        const QJsonObject doc = QJsonDocument::fromJson(r.standardOutput).object();
        QCOMPARE(doc.value(QStringLiteral("cwd")).toString(), dir);
        QCOMPARE(uid_t(doc.value(QStringLiteral("uid")).toInt()), SandboxCommand::codeUid());
        QVERIFY(!r.standardOutput.contains("SKILLGRAD_TEST_SECRET"));
        QCOMPARE(readAll(dir + QStringLiteral("/made-here.txt")), QByteArray("ok"));
        QCOMPARE(ownerOf(dir + QStringLiteral("/made-here.txt")), ownerOf(dir));

        const SandboxResult slow = mustRun(QStringLiteral("import time\ntime.sleep(30)\n"), scratch(), limits);
        QVERIFY(slow.timedOut());
        QCOMPARE(slow.summary(), QStringLiteral("killed: exceeded the 1.5 s wall-clock limit; ran UNSANDBOXED"));

        limits.wallMs = 10000;
        limits.outputBytes = 4096;
        const SandboxResult loud = mustRun(QStringLiteral("import sys\nwhile True:\n    sys.stderr.write('x' * 65536)\n"), scratch(), limits);
        QVERIFY(loud.errorTruncated);
        QCOMPARE(loud.standardError.size(), 4096);
        QCOMPARE(loud.stop, SandboxResult::Stop::OutputCap);

        limits.cpuSeconds = 1;
        const SandboxResult spin = mustRun(QStringLiteral("while True:\n    pass\n"), scratch(), limits);
        QCOMPARE(spin.signal, SIGXCPU);
    }
};

QTEST_GUILESS_MAIN(tst_Sandbox)
#include "tst_Sandbox.moc"
