#include "CliRunner.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace sg;
using namespace sg::test;

namespace {


QString git(const QString& dir, const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-C"), dir} + args);
    p.waitForFinished(30000);
    return QString::fromUtf8(p.readAllStandardOutput());
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void append(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    f.write(text);
}

} // namespace

class tst_HistoryCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_ws;

    QStringList ws(const QStringList& args) const { return QStringList{QStringLiteral("--workspace"), m_ws} + args; }
    QString skillMd() const { return m_ws + QStringLiteral("/skill/SKILL.md"); }

private Q_SLOTS:
    void init()
    {
        static int counter = 0;
        m_ws = m_tmp.filePath(QStringLiteral("ws-%1-%2").arg(QString::fromLatin1(QTest::currentTestFunction())).arg(++counter));
        const CliRun run = skillgrad({QStringLiteral("init"), m_ws, QStringLiteral("--example"), QStringLiteral("table-qa"), QStringLiteral("--json")});
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        const auto doc = run.json();
        QCOMPARE(doc["skill"].get<std::string>(), std::string("table-qa"));
        QCOMPARE(doc["tasks"]["train"].get<int>(), 40);
        QCOMPARE(doc["tasks"]["val"].get<int>(), 20);
        QCOMPARE(doc["tasks"]["test"].get<int>(), 40);
        QCOMPARE(doc["commit"].get<std::string>().size(), std::size_t(40));
    }

    void initUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("neither source") << QStringList{QStringLiteral("init"), QStringLiteral("x")};
        QTest::newRow("both sources") << QStringList{QStringLiteral("init"), QStringLiteral("x"), QStringLiteral("--example"), QStringLiteral("table-qa"),
                                                     QStringLiteral("--skill"), QStringLiteral("s")};
        QTest::newRow("tasks without skill") << QStringList{QStringLiteral("init"), QStringLiteral("x"), QStringLiteral("--tasks"), QStringLiteral("wtq:t.jsonl")};
        QTest::newRow("unknown example") << QStringList{QStringLiteral("init"), QStringLiteral("x"), QStringLiteral("--example"), QStringLiteral("nope")};
        QTest::newRow("bad split") << QStringList{QStringLiteral("init"), QStringLiteral("x"), QStringLiteral("--example"), QStringLiteral("table-qa"),
                                                  QStringLiteral("--split"), QStringLiteral("train=lots")};
        QTest::newRow("unknown task source") << QStringList{QStringLiteral("init"), QStringLiteral("x"), QStringLiteral("--skill"), QStringLiteral("s"),
                                                            QStringLiteral("--tasks"), QStringLiteral("csv:t.csv")};
    }

    void initUsageErrors()
    {
        QFETCH(QStringList, args);
        QTemporaryDir tmp;
        for (QString& a : args)
            if (a == QLatin1String("x"))
                a = tmp.filePath(QStringLiteral("x"));
        const CliRun run = skillgrad(args);
        QCOMPARE(run.code, 2);
        QVERIFY(!run.err.isEmpty());
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("x"))));
    }

    void initRefusesAnExistingWorkspace()
    {
        const CliRun run = skillgrad({QStringLiteral("init"), m_ws, QStringLiteral("--example"), QStringLiteral("table-qa")});
        QCOMPARE(run.code, 2);
        QVERIFY(run.err.contains(QStringLiteral("not empty")));
    }

    void logJsonShape()
    {
        const CliRun run = skillgrad(ws({QStringLiteral("log"), QStringLiteral("--json")}));
        QCOMPARE(run.code, 0);
        const auto doc = run.json();
        QVERIFY(doc.is_array());
        QCOMPARE(doc.size(), std::size_t(1));
        QCOMPARE(doc[0]["summary"].get<std::string>(), std::string("Import skill table-qa"));
        QCOMPARE(doc[0]["trailers"]["SkillGrad-Event"].get<std::string>(), std::string("import"));
        QVERIFY(doc[0]["time"].get<std::string>().find('T') != std::string::npos);
        QCOMPARE(doc[0]["tags"][0].get<std::string>(), std::string("seed"));
    }

    void handEditCommitAndRollbackLoseNothing()
    {
        const QByteArray seed = readAll(skillMd());
        append(skillMd(), "\n## Answer format\n\n- Submit each item exactly as the cell shows it.\n");

        const CliRun d = skillgrad(ws({QStringLiteral("diff"), QStringLiteral("main")}));
        QCOMPARE(d.code, 0);
        QVERIFY2(d.out.contains(QStringLiteral("+## Answer format")), qPrintable(d.out));

        const CliRun c = skillgrad(ws({QStringLiteral("commit"), QStringLiteral("-m"), QStringLiteral("Add an answer format section")}));
        QVERIFY2(c.code == 0, qPrintable(c.out + c.err));
        QVERIFY(c.out.startsWith(QStringLiteral("Committed ")));
        const CliRun again = skillgrad(ws({QStringLiteral("commit")}));
        QCOMPARE(again.code, 0);
        QVERIFY(again.out.contains(QStringLiteral("Nothing to commit")));

        const CliRun rb = skillgrad(ws({QStringLiteral("rollback"), QStringLiteral("seed"), QStringLiteral("--json")}));
        QVERIFY2(rb.code == 0, qPrintable(rb.out + rb.err));
        QCOMPARE(readAll(skillMd()), seed);

        // Plain git tells the same story: three versions, newest first, nothing rewritten.
        const QStringList subjects = git(m_ws + QStringLiteral("/skill"), {QStringLiteral("log"), QStringLiteral("--format=%s")}).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(subjects.size(), 3);
        QVERIFY(subjects[0].startsWith(QStringLiteral("Roll back to ")));
        QCOMPARE(subjects[1], QStringLiteral("Add an answer format section"));
        QCOMPARE(subjects[2], QStringLiteral("Import skill table-qa"));
        QCOMPARE(git(m_ws + QStringLiteral("/skill"), {QStringLiteral("status"), QStringLiteral("--porcelain")}), QString());

        // Rolling back to what main already holds changes nothing.
        const CliRun same = skillgrad(ws({QStringLiteral("rollback"), QStringLiteral("main")}));
        QCOMPARE(same.code, 0);
        QVERIFY(same.out.contains(QStringLiteral("nothing to do")));

        // The edit is one rollback away.
        const CliRun back = skillgrad(ws({QStringLiteral("rollback"), QStringLiteral("main~1")}));
        QCOMPARE(back.code, 0);
        QVERIFY(readAll(skillMd()).contains("## Answer format"));
    }

    void invalidEditIsNotCommittedAndKept()
    {
        QByteArray text = readAll(skillMd());
        text.replace("name: table-qa", "name: Table QA");
        writeFile(m_ws, QStringLiteral("skill/SKILL.md"), text);
        const CliRun c = skillgrad(ws({QStringLiteral("commit"), QStringLiteral("-m"), QStringLiteral("Rename")}));
        QCOMPARE(c.code, 2);
        QVERIFY2(c.err.contains(QStringLiteral("skill/SKILL.md:2: error")), qPrintable(c.err));
        QCOMPARE(readAll(skillMd()), text); // the edit is still there
        QCOMPARE(skillgrad(ws({QStringLiteral("log"), QStringLiteral("--json")})).json().size(), std::size_t(1));
    }

    void rollbackRefusesUncommittedEdits()
    {
        append(skillMd(), "\nmy unsaved thought\n");
        const QByteArray edited = readAll(skillMd());
        const CliRun rb = skillgrad(ws({QStringLiteral("rollback"), QStringLiteral("seed")}));
        QCOMPARE(rb.code, 2);
        QVERIFY2(rb.err.contains(QStringLiteral("commit")), qPrintable(rb.err));
        QCOMPARE(readAll(skillMd()), edited);
    }

    void showAndDiffJson()
    {
        append(skillMd(), "\nOne more line.\n");
        QCOMPARE(skillgrad(ws({QStringLiteral("commit"), QStringLiteral("-m"), QStringLiteral("More")})).code, 0);
        const CliRun show = skillgrad(ws({QStringLiteral("show"), QStringLiteral("main"), QStringLiteral("--json")}));
        QCOMPARE(show.code, 0);
        const auto doc = show.json();
        QCOMPARE(doc["summary"].get<std::string>(), std::string("More"));
        QCOMPARE(doc["files"][0]["path"].get<std::string>(), std::string("SKILL.md"));
        QCOMPARE(doc["files"][0]["additions"].get<int>(), 2);
        QCOMPARE(doc["files"][0]["status"].get<std::string>(), std::string("modified"));

        const CliRun diff = skillgrad(ws({QStringLiteral("diff"), QStringLiteral("seed"), QStringLiteral("main"), QStringLiteral("--json")}));
        QCOMPARE(diff.code, 0);
        const auto hunks = diff.json()["files"][0]["hunks"];
        QVERIFY(!hunks.empty());
        bool sawAdded = false;
        for (const auto& line : hunks.back()["lines"])
            sawAdded = sawAdded || (line["origin"] == "+" && line["text"] == "One more line.");
        QVERIFY(sawAdded);

        const CliRun root = skillgrad(ws({QStringLiteral("show"), QStringLiteral("seed")}));
        QCOMPARE(root.code, 0);
        QVERIFY(root.out.contains(QStringLiteral("+name: table-qa")));
    }

    void exportRoundTripsThroughValidate()
    {
        const QString folder = m_tmp.filePath(QStringLiteral("exported-%1").arg(QString::fromLatin1(QTest::currentTestFunction())));
        const CliRun a = skillgrad(ws({QStringLiteral("export"), QStringLiteral("main"), QStringLiteral("--to"), folder}));
        QVERIFY2(a.code == 0, qPrintable(a.out + a.err));
        QVERIFY(!QFile::exists(folder + QStringLiteral("/table-qa/.git")));
        QCOMPARE(skillgrad({QStringLiteral("validate"), folder + QStringLiteral("/table-qa")}).code, 0);

        const QString zip = m_tmp.filePath(QStringLiteral("table-qa-%1.zip").arg(QString::fromLatin1(QTest::currentTestFunction())));
        const CliRun b = skillgrad(ws({QStringLiteral("export"), QStringLiteral("seed"), QStringLiteral("--to"), zip, QStringLiteral("--json")}));
        QVERIFY2(b.code == 0, qPrintable(b.out + b.err));
        QCOMPARE(b.json()["files"].get<int>(), 2);
        const CliRun v = skillgrad({QStringLiteral("validate"), zip, QStringLiteral("--json")});
        QCOMPARE(v.code, 0);
        QCOMPARE(v.json()["name"].get<std::string>(), std::string("table-qa"));

        const CliRun again = skillgrad(ws({QStringLiteral("export"), QStringLiteral("main"), QStringLiteral("--to"), zip}));
        QCOMPARE(again.code, 2);
    }

    void errorsNameWhatToDo()
    {
        const CliRun bad = skillgrad(ws({QStringLiteral("show"), QStringLiteral("no-such-version")}));
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains(QStringLiteral("no-such-version")));

        QTemporaryDir empty;
        const CliRun none = skillgrad({QStringLiteral("--workspace"), empty.path(), QStringLiteral("log")});
        QCOMPARE(none.code, 2);
        QVERIFY(none.err.contains(QStringLiteral("skillgrad init")));
        const CliRun json = skillgrad({QStringLiteral("--workspace"), empty.path(), QStringLiteral("log"), QStringLiteral("--json")});
        QCOMPARE(json.json()["error"]["code"].get<std::string>(), std::string("not-a-workspace"));
    }
};

QTEST_GUILESS_MAIN(tst_HistoryCli)
#include "tst_HistoryCli.moc"
