#include "CliRunner.h"
#include "TestSupport.h"

#include "run/RunLock.h"

#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

QString git(const QString& dir, const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-C"), dir} + args);
    p.waitForFinished(30000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QString makeWorkspace(const QTemporaryDir& tmp, const QString& name)
{
    const QString ws = tmp.filePath(name);
    const CliRun init = skillgrad({QStringLiteral("init"), ws, QStringLiteral("--example"), QStringLiteral("table-qa"), QStringLiteral("-q")});
    if (init.code != 0)
        qFatal("init failed: %s", qPrintable(init.err));
    return ws;
}

CliRun optimize(const QString& ws, const QStringList& extra = {})
{
    return skillgrad(QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("optimize"), QStringLiteral("--provider"), QStringLiteral("sim"),
                                 QStringLiteral("--json")} + extra);
}

} // namespace

// `skillgrad optimize` as the main job runs it: the bundled example with the offline sim.
class tst_OptimizeCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void theMainJobClimbsEscalatesAndIsReproducible()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("a"));
        const CliRun run = optimize(ws);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const auto doc = run.json();
        // The --json shape of DESIGN.md 12.
        for (const char* key : {"run", "simulated", "initial_val", "final_val", "iterations"})
            QVERIFY2(doc.contains(key), key);
        QVERIFY(doc["simulated"].get<bool>());
        QVERIFY2(doc["final_val"].get<double>() > doc["initial_val"].get<double>(), doc.dump().c_str());
        int accepted = 0;
        const QString runDir = ws + QStringLiteral("/runs/") + QString::fromStdString(doc["run"].get<std::string>());
        for (const auto& it : doc["iterations"]) {
            for (const char* key : {"iteration", "batch_pass_rate", "val_score", "decision", "commit", "usage"})
                QVERIFY2(it.contains(key), key);
            // Every iteration, no-change ones too, records its decision.
            QVERIFY(QFile::exists(runDir + QStringLiteral("/iter-%1/decision.json").arg(it["iteration"].get<int>(), 4, 10, QLatin1Char('0'))));
            accepted += it["decision"] == "accepted";
        }
        QVERIFY(accepted >= 2);

        // Every accepted version is a readable commit on main, with its trailers.
        const QString skill = ws + QStringLiteral("/skill");
        const QStringList subjects = git(skill, {QStringLiteral("log"), QStringLiteral("--format=%s")}).split(QLatin1Char('\n'));
        QCOMPARE(subjects.size(), accepted + 1); // + the imported seed
        QVERIFY(git(skill, {QStringLiteral("log"), QStringLiteral("-1"), QStringLiteral("--format=%B")}).contains(QStringLiteral("SkillGrad-Decision: accepted")));
        QCOMPARE(git(skill, {QStringLiteral("status"), QStringLiteral("--porcelain")}), QString());

        // At least one pattern was lifted to an L3 file that L2 points to.
        const QStringList refs = QDir(skill + QStringLiteral("/references")).entryList({QStringLiteral("*.md")}, QDir::Files);
        QFile body(skill + QStringLiteral("/SKILL.md"));
        QVERIFY(body.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(body.readAll());
        int lifted = 0;
        for (const QString& ref : refs)
            lifted += ref != QLatin1String("reading-tables.md") && text.contains(QStringLiteral("references/") + ref);
        QVERIFY2(lifted >= 1, qPrintable(refs.join(QLatin1Char(' '))));
        QCOMPARE(skillgrad({QStringLiteral("validate"), skill, QStringLiteral("-q")}).code, 0);

        // The same final tree on a second workspace.
        const QString other = makeWorkspace(m_tmp, QStringLiteral("b"));
        QCOMPARE(optimize(other).code, 0);
        QCOMPARE(git(other + QStringLiteral("/skill"), {QStringLiteral("rev-parse"), QStringLiteral("HEAD^{tree}")}),
                 git(skill, {QStringLiteral("rev-parse"), QStringLiteral("HEAD^{tree}")}));

        // runs lists it, marked simulated.
        const CliRun runs = skillgrad({QStringLiteral("--workspace"), ws, QStringLiteral("runs"), QStringLiteral("--json")});
        QCOMPARE(runs.code, 0);
        bool listed = false;
        for (const auto& r : runs.json())
            listed = listed || (r["run"] == doc["run"] && r["simulated"].get<bool>() && r["status"] == "completed");
        QVERIFY(listed);
    }

    void aSecondOptimizerIsRefused()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("locked"));
        auto held = RunLock::acquire(ws + QStringLiteral("/runs"), QString());
        QVERIFY(held);
        const QString head = git(ws + QStringLiteral("/skill"), {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
        const CliRun run = optimize(ws, {});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains(QStringLiteral("another optimizer is running in this workspace")), qPrintable(run.err));
        QCOMPARE(git(ws + QStringLiteral("/skill"), {QStringLiteral("rev-parse"), QStringLiteral("HEAD")}), head);
        QVERIFY(QDir(ws + QStringLiteral("/runs")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty()); // no half-made run
    }

    void aLockLeftByADeadProcessIsTakenOver()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("stale"));
        const QString lockPath = ws + QStringLiteral("/runs/.lock");
        // A real lock file, rewritten to name a process that has exited.
        QByteArray contents;
        {
            QDir().mkpath(ws + QStringLiteral("/runs"));
            QLockFile lock(lockPath);
            QVERIFY(lock.tryLock(0));
            QFile f(lockPath);
            QVERIFY(f.open(QIODevice::ReadOnly));
            contents = f.readAll();
            lock.unlock();
        }
        QProcess dead;
        dead.start(QStringLiteral("true"), {});
        QVERIFY(dead.waitForStarted(10000));
        const qint64 pid = dead.processId();
        QVERIFY(dead.waitForFinished(10000));
        contents = QByteArray::number(pid) + contents.mid(contents.indexOf('\n'));
        writeFile(ws, QStringLiteral("runs/.lock"), contents);
        const CliRun run = optimize(ws, {QStringLiteral("--max-iters"), QStringLiteral("1"), QStringLiteral("--no-test")});
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY(RunLock::holder(ws + QStringLiteral("/runs")).isEmpty()); // released at the end
    }

    void uncommittedEditsAreNotOptimizedAway()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("dirty"));
        writeFile(ws, QStringLiteral("skill/SKILL.md"), skillMd(QStringLiteral("table-qa"), {}, QStringLiteral("# Mine\nA hand edit.\n")));
        const CliRun run = optimize(ws);
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.contains(QStringLiteral("not committed")) && run.err.contains(QStringLiteral("skillgrad commit")), qPrintable(run.err));
        QFile f(ws + QStringLiteral("/skill/SKILL.md"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("A hand edit.")); // nothing lost
    }

    void reviewWithoutATerminalExits2()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("review"));
        const CliRun run = optimize(ws, {QStringLiteral("--gate"), QStringLiteral("review")});
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.contains(QStringLiteral("review")), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(tst_OptimizeCli)
#include "tst_OptimizeCli.moc"
