#include "AdderScript.h"
#include "MockLlmServer.h"
#include "TestSupport.h"

#include "workspace/TaskStore.h"
#include "workspace/Workspace.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QSet>
#include <QSignalSpy>
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

struct Child
{
    QProcess::ExitStatus status = QProcess::NormalExit;
    int code = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

// A run killed (SIGKILL) at each step and resumed with `optimize --resume` ends as an
// uninterrupted run does, sends no completed request again, and commits each iteration once.
// The real `skillgrad` binary runs as a child process against the mock server in this process;
// SKILLGRAD_TEST_KILL_AFTER=TYPE:N makes it kill itself right after the N-th event of TYPE.
class tst_Resume : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    MockLlmServer m_server;
    AdderScript m_script;
    QString m_referenceTree;
    int m_referenceCommits = 0;
    int m_workspaces = 0;

    QString makeWorkspace()
    {
        const QString in = m_tmp.filePath(QStringLiteral("in"));
        if (!QFile::exists(in + QStringLiteral("/tasks.jsonl"))) {
            writeFile(in, QStringLiteral("tasks.jsonl"), adderTasks(12));
            makeSkill(in, QStringLiteral("adder"), "---\nname: adder\ndescription: Adds numbers.\n---\n# Steps\nAdd them.\n");
        }
        Workspace::CreateOptions create;
        create.skillPath = in + QStringLiteral("/adder");
        create.taskKind = QStringLiteral("jsonl");
        create.tasksPath = in + QStringLiteral("/tasks.jsonl");
        const QString dir = m_tmp.filePath(QStringLiteral("ws%1").arg(++m_workspaces));
        auto ws = Workspace::create(dir, create);
        if (!ws)
            qFatal("%s", qPrintable(ws.error().text()));
        m_script.valIds = ws->tasks()->splits().val; // the same seed, the same split in every workspace
        return dir;
    }

    // One `skillgrad … optimize` in a child process, with the event loop running for the mock.
    Child optimize(const QString& ws, const QStringList& extra, const QByteArray& killAfter = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("SKILLGRAD_TEST_KILL_AFTER"));
        if (!killAfter.isEmpty())
            env.insert(QStringLiteral("SKILLGRAD_TEST_KILL_AFTER"), QString::fromLatin1(killAfter));
        p.setProcessEnvironment(env);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(QStringLiteral(SKILLGRAD_EXE), QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("optimize"), QStringLiteral("--json")} + extra);
        if (!finished.wait(240000))
            p.kill();
        return {p.exitStatus(), p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

    QStringList freshRunOptions() const
    {
        // One call at a time: when the process dies, at most one request is on the wire.
        return {QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--base-url"), m_server.openaiBaseUrl(),
                QStringLiteral("--model"),    QStringLiteral("mock"),   QStringLiteral("--concurrency"), QStringLiteral("1"),
                QStringLiteral("--no-test")};
    }

    static QString tree(const QString& ws) { return git(ws + QStringLiteral("/skill"), {QStringLiteral("rev-parse"), QStringLiteral("HEAD^{tree}")}); }

    // Iteration numbers of the run's commits on main, one per commit.
    static QStringList committedIterations(const QString& ws)
    {
        return git(ws + QStringLiteral("/skill"), {QStringLiteral("log"), QStringLiteral("--format=%(trailers:key=SkillGrad-Iteration,valueonly)")})
            .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.listen());
        m_server.setHandler([this](const MockRequest& r) { return m_script(r); });
        const QString ws = makeWorkspace();
        const Child run = optimize(ws, freshRunOptions());
        QVERIFY2(run.status == QProcess::NormalExit && run.code == 0, run.err.constData());
        m_referenceTree = tree(ws);
        m_referenceCommits = int(committedIterations(ws).size());
        QVERIFY(m_referenceCommits >= 1);
    }

    void killedAndResumed_data()
    {
        QTest::addColumn<QByteArray>("killAfter");
        QTest::newRow("before the selection pass") << QByteArray("run_started:1");
        QTest::newRow("during execution") << QByteArray("task_finished:2");
        QTest::newRow("during diagnosis") << QByteArray("diagnosis:1");
        QTest::newRow("after the patch") << QByteArray("proposal_ready:1");
        QTest::newRow("after the momentum update") << QByteArray("momentum_updated:2");
        QTest::newRow("after the commit, before its decision") << QByteArray("commit:1");
        QTest::newRow("between iterations") << QByteArray("scores:1");
    }

    void killedAndResumed()
    {
        QFETCH(QByteArray, killAfter);
        const QString ws = makeWorkspace();
        m_server.clearLog();
        const Child killed = optimize(ws, freshRunOptions(), killAfter);
        QCOMPARE(killed.status, QProcess::CrashExit);
        const std::vector<MockRequest> before = m_server.requests();

        m_server.clearLog();
        const Child resumed = optimize(ws, {QStringLiteral("--resume"), QStringLiteral("latest")});
        QVERIFY2(resumed.status == QProcess::NormalExit && resumed.code == 0, resumed.err.constData());
        const auto doc = nlohmann::json::parse(resumed.out.toStdString());
        QCOMPARE(doc["status"].get<std::string>(), std::string("completed"));

        // The same result as the uninterrupted run, each iteration committed once.
        QCOMPARE(tree(ws), m_referenceTree);
        const QStringList iterations = committedIterations(ws);
        QCOMPARE(int(iterations.size()), m_referenceCommits);
        QCOMPARE(int(QSet<QString>(iterations.begin(), iterations.end()).size()), int(iterations.size()));

        // Nothing that had completed was sent again: only the one call that was on the wire when
        // the process died may come back.
        QSet<QByteArray> sent;
        for (const MockRequest& r : before)
            sent.insert(r.body);
        QList<QByteArray> repeated;
        for (const MockRequest& r : m_server.requests())
            if (sent.contains(r.body) && !repeated.contains(r.body))
                repeated << r.body;
        QVERIFY2(repeated.size() <= 1, qPrintable(QStringLiteral("%1 requests sent again").arg(repeated.size())));
        if (!repeated.isEmpty())
            QCOMPARE(repeated.front(), before.back().body);
        QVERIFY(git(ws + QStringLiteral("/skill"), {QStringLiteral("status"), QStringLiteral("--porcelain")}).isEmpty());
    }

    void aBudgetStopResumesWithALargerBudget()
    {
        const QString ws = makeWorkspace();
        const Child stopped = optimize(ws, freshRunOptions() + QStringList{QStringLiteral("--budget-calls"), QStringLiteral("40")});
        QVERIFY2(stopped.status == QProcess::NormalExit && stopped.code == 0, stopped.err.constData());
        const auto doc = nlohmann::json::parse(stopped.out.toStdString());
        QCOMPARE(doc["status"].get<std::string>(), std::string("stopped"));
        QVERIFY(QString::fromStdString(doc["budget_stop"].get<std::string>()).contains(QStringLiteral("call budget")));
        QVERIFY(git(ws + QStringLiteral("/skill"), {QStringLiteral("status"), QStringLiteral("--porcelain")}).isEmpty());

        // --strict makes the same stop an exit 1.
        const QString strictWs = makeWorkspace();
        QCOMPARE(optimize(strictWs, freshRunOptions() + QStringList{QStringLiteral("--budget-calls"), QStringLiteral("40"), QStringLiteral("--strict")}).code, 1);

        const Child resumed = optimize(ws, {QStringLiteral("--resume"), QStringLiteral("latest"), QStringLiteral("--budget-calls"), QStringLiteral("0")});
        QVERIFY2(resumed.status == QProcess::NormalExit && resumed.code == 0, resumed.err.constData());
        QCOMPARE(nlohmann::json::parse(resumed.out.toStdString())["status"].get<std::string>(), std::string("completed"));
        QCOMPARE(tree(ws), m_referenceTree);
    }

    void aCompletedRunIsNotResumed()
    {
        const QString ws = m_tmp.filePath(QStringLiteral("ws1")); // the reference run
        const Child again = optimize(ws, {QStringLiteral("--resume"), QStringLiteral("latest")});
        QCOMPARE(again.code, 2);
        QVERIFY2(again.err.contains("nothing to resume"), again.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_Resume)
#include "tst_Resume.moc"
