#include "agent/ToolBox.h"

#include "TestSupport.h"

#include "sandbox/Sandbox.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

ToolCall call(const char* name, nlohmann::json args = nlohmann::json::object())
{
    ToolCall c;
    c.id = QStringLiteral("c1");
    c.name = QString::fromLatin1(name);
    c.arguments = std::move(args);
    c.rawArguments = QString::fromStdString(c.arguments.dump());
    return c;
}

struct Fixture
{
    QTemporaryDir tmp;
    Task task;
    SkillPackage skill;
    std::unique_ptr<ToolBox> box;

    Fixture()
    {
        writeFile(tmp.path(), QStringLiteral("tasks/csv/t1.csv"),
                  "\"Year\",\"Team\",\"Wins\"\n\"2001\",\"Lions\",\"10\"\n\"2002\",\"Tigers\",\"7\"\n\"2003\",\"Lions \\\"A\\\"\",\"12\"\n");
        writeFile(tmp.path(), QStringLiteral("tasks/notes.txt"), "hello\n");
        task.id = QStringLiteral("t-1");
        task.prompt = QStringLiteral("Which team won most?");
        task.files = {QStringLiteral("csv/t1.csv"), QStringLiteral("notes.txt")};
        task.grader = QStringLiteral("wtq");
        SkillFiles files;
        files.rootName = QStringLiteral("s");
        files.files = {{QStringLiteral("SKILL.md"), "---\nname: s\ndescription: d\n---\n# Body\nRead references/a.md when stuck.\n", false},
                       {QStringLiteral("references/a.md"), "# A\nadvice\n", false},
                       {QStringLiteral("assets/logo.png"), QByteArray("\x89PNG\0\0", 6), false}};
        skill = SkillPackage::fromFiles(files);
        ToolBox::Setup setup;
        setup.task = &task;
        setup.tasksRoot = tmp.filePath(QStringLiteral("tasks"));
        setup.skill = &skill;
        setup.scratchDir = tmp.filePath(QStringLiteral("scratch"));
        setup.sandbox.wallMs = 20000;
        auto made = ToolBox::create(setup);
        if (!made)
            qFatal("%s", qPrintable(made.error().text()));
        box = std::move(made.value());
    }

    ToolOutput run(const ToolCall& c)
    {
        std::optional<ToolOutput> out;
        box->run(c, [&out](ToolOutput o) { out = o; });
        (void)QTest::qWaitFor([&out] { return out.has_value(); }, 30000); // a missing answer fails below
        return out.value_or(ToolOutput{QStringLiteral("(no answer)"), false, false, {}});
    }
};

} // namespace

class tst_ToolBox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void describesTheData()
    {
        Fixture f;
        const QString d = f.box->dataDescription();
        QVERIFY2(d.contains(QStringLiteral("Table t (/task/csv/t1.csv, 3 rows): \"Year\", \"Team\", \"Wins\"")), qPrintable(d));
        QVERIFY(d.contains(QStringLiteral("/task/notes.txt")));
        QVERIFY(!d.contains(f.tmp.path())); // no host paths in prompts
        QVERIFY(QFile::exists(f.tmp.filePath(QStringLiteral("scratch/csv/t1.csv"))));
    }

    void activateAndReferences()
    {
        Fixture f;
        QVERIFY(!f.box->activated());
        ToolOutput out = f.run(call("activate_skill"));
        QVERIFY(out.ok);
        QVERIFY(out.text.startsWith(QStringLiteral("# Body")));
        QVERIFY(!out.text.contains(QStringLiteral("description:")));
        QVERIFY(f.box->activated());
        out = f.run(call("read_reference", {{"path", "references/a.md"}}));
        QVERIFY(out.ok);
        QCOMPARE(out.text, QStringLiteral("# A\nadvice\n"));
        QCOMPARE(f.box->referencesRead(), QStringList{QStringLiteral("references/a.md")});
        for (const char* bad : {"../../etc/passwd", "/etc/passwd", "references/none.md"}) {
            out = f.run(call("read_reference", {{"path", bad}}));
            QVERIFY2(!out.ok && out.text.startsWith(QStringLiteral("Error")), bad);
        }
        out = f.run(call("read_reference", {{"path", "assets/logo.png"}}));
        QVERIFY(!out.ok && out.text.contains(QStringLiteral("binary")));
    }

    void sqlIsReadOnly()
    {
        Fixture f;
        ToolOutput out = f.run(call("sql", {{"query", "SELECT Team, Wins FROM t WHERE Year = '2003'"}}));
        QVERIFY2(out.ok, qPrintable(out.text));
        QCOMPARE(out.text, QStringLiteral("Team | Wins\nLions \"A\" | 12\n(1 rows)"));
        for (const char* bad : {"DROP TABLE t", "INSERT INTO t VALUES ('x','y','z')", "ATTACH DATABASE '/tmp/x.db' AS x", "DELETE FROM t",
                                "PRAGMA query_only = OFF"}) {
            out = f.run(call("sql", {{"query", bad}}));
            QVERIFY2(!out.ok, bad);
        }
        out = f.run(call("sql", {{"query", "WITH x AS (SELECT 1) DELETE FROM t"}}));
        QVERIFY2(!out.ok, qPrintable(out.text));
        out = f.run(call("sql", {{"query", "SELECT COUNT(*) FROM t"}}));
        QVERIFY(out.text.contains(QStringLiteral("\n3\n"))); // nothing was deleted
        out = f.run(call("sql", {{"query", "SELECT nonsense FROM t"}}));
        QVERIFY(!out.ok && out.text.startsWith(QStringLiteral("SQL error")));
    }

    void filesStayInTask()
    {
        Fixture f;
        ToolOutput out = f.run(call("write_file", {{"path", "/task/out/answer.txt"}, {"text", "42"}}));
        QVERIFY2(out.ok, qPrintable(out.text));
        QCOMPARE(f.run(call("read_file", {{"path", "out/answer.txt"}})).text, QStringLiteral("42"));
        QCOMPARE(f.run(call("read_file", {{"path", "/task/notes.txt"}})).text, QStringLiteral("hello\n"));
        const QStringList before = snapshot(f.tmp.path());
        for (const char* bad : {"../escape.txt", "/etc/passwd", "/task/../../escape.txt"}) {
            QVERIFY2(!f.run(call("write_file", {{"path", bad}, {"text", "x"}})).ok, bad);
            QVERIFY2(!f.run(call("read_file", {{"path", bad}})).ok, bad);
        }
        // A link made inside /task (python could make one) must not lead out.
        QVERIFY(QFile::link(f.tmp.path(), f.tmp.filePath(QStringLiteral("scratch/outside"))));
        QVERIFY(!f.run(call("write_file", {{"path", "outside/evil.txt"}, {"text", "x"}})).ok);
        QVERIFY(!QFile::exists(f.tmp.filePath(QStringLiteral("evil.txt"))));
        QCOMPARE(snapshot(f.tmp.path()).size(), before.size() + 1); // only the link
    }

    void badCallsGetReadableErrors()
    {
        Fixture f;
        ToolCall broken = call("sql");
        broken.argumentsValid = false;
        broken.rawArguments = QStringLiteral("{\"query\": SELECT");
        ToolOutput out = f.run(broken);
        QVERIFY(!out.ok);
        QVERIFY(out.text.contains(QStringLiteral("not valid JSON")));
        out = f.run(call("sql", {{"q", "SELECT 1"}}));
        QVERIFY(!out.ok && out.text.contains(QStringLiteral("\"query\"")));
        out = f.run(call("teleport"));
        QVERIFY(!out.ok && out.text.contains(QStringLiteral("submit_answer")));
    }

    void submitAnswers_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QStringList>("answer");
        QTest::newRow("list") << "{\"values\": [\"Lions\", \"Tigers\"]}" << true << QStringList{QStringLiteral("Lions"), QStringLiteral("Tigers")};
        QTest::newRow("bare string") << "{\"values\": \"Lions\"}" << true << QStringList{QStringLiteral("Lions")};
        QTest::newRow("number") << "{\"values\": [12]}" << true << QStringList{QStringLiteral("12")};
        QTest::newRow("empty") << "{\"values\": []}" << false << QStringList{};
        QTest::newRow("missing") << "{}" << false << QStringList{};
        QTest::newRow("object item") << "{\"values\": [{\"a\": 1}]}" << false << QStringList{};
    }

    void submitAnswers()
    {
        QFETCH(QString, args);
        QFETCH(bool, ok);
        QFETCH(QStringList, answer);
        Fixture f;
        const ToolOutput out = f.run(call("submit_answer", nlohmann::json::parse(args.toStdString())));
        QCOMPARE(out.ok, ok);
        QCOMPARE(out.submitted, ok);
        QCOMPARE(out.answer, answer);
    }

    void pythonRunsInTheSandbox()
    {
        auto sandboxed = Sandbox::willSandbox(SandboxLimits{});
        if (!sandboxed)
            QSKIP("bubblewrap cannot build a sandbox here");
        Fixture f;
        const ToolOutput out = f.run(call("python", {{"code", "import csv,os\n"
                                                              "rows=list(csv.reader(open('/task/csv/t1.csv'), escapechar='\\\\'))\n"
                                                              "open('/task/count.txt','w').write(str(len(rows)-1))\n"
                                                              "print('rows', len(rows)-1, os.getcwd())\n"}}));
        QVERIFY2(out.ok, qPrintable(out.text));
        QVERIFY2(out.text.contains(QStringLiteral("rows 3 /task")), qPrintable(out.text));
        QCOMPARE(f.run(call("read_file", {{"path", "count.txt"}})).text, QStringLiteral("3"));
        const ToolOutput failing = f.run(call("python", {{"code", "raise SystemExit(3)"}}));
        QVERIFY(!failing.ok);
        QVERIFY2(failing.text.contains(QStringLiteral("code 3")), qPrintable(failing.text));
    }
};

QTEST_GUILESS_MAIN(tst_ToolBox)
#include "tst_ToolBox.moc"
