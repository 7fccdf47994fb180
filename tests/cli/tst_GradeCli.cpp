#include "CliRunner.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace sg;
using namespace sg::test;

namespace {


const QByteArray kJsonlTasks = R"({"id": "cap", "prompt": "Capital of France?", "answer": "Paris"}
{"id": "num", "prompt": "12.5?", "answer": "12.5", "grader": "numeric", "tolerance": 0.1}
{"id": "re", "prompt": "A year?", "answer": ["\\d{4}"], "grader": "regex"}
{"id": "has", "prompt": "Say Lyon", "answer": "lyon", "grader": "contains"}
)";

} // namespace

class tst_GradeCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

    QString tasks() const { return QStringLiteral("jsonl:") + m_tmp.filePath(QStringLiteral("tasks.jsonl")); }
    QString predictions(const QByteArray& lines) const
    {
        static int counter = 0;
        const QString name = QStringLiteral("pred-%1.jsonl").arg(++counter);
        writeFile(m_tmp.path(), name, lines);
        return m_tmp.filePath(name);
    }
    CliRun grade(const QByteArray& lines, const QStringList& extra = {}) const
    {
        return skillgrad(QStringList{QStringLiteral("grade"), QStringLiteral("--tasks"), tasks(), QStringLiteral("--predictions"),
                                     predictions(lines)} +
                         extra);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        writeFile(m_tmp.path(), QStringLiteral("tasks.jsonl"), kJsonlTasks);
    }

    void jsonReport()
    {
        const CliRun run = grade(R"({"id": "cap", "answer": ["Paris"]}
{"id": "num", "answer": "12.58"}

{"id": "re", "answer": ["in 2004"], "note": "extra fields are ignored"}
)",
                              {QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        const auto doc = run.json();
        QCOMPARE(doc["total"].get<int>(), 4);
        QCOMPARE(doc["correct"].get<int>(), 2);
        QCOMPARE(doc["wrong"].get<int>(), 1);
        QCOMPARE(doc["missing"].get<int>(), 1);
        QCOMPARE(doc["accuracy"].get<double>(), 0.5);
        const auto& results = doc["results"];
        QCOMPARE(results.size(), std::size_t(4));
        // In task-file order, every task listed, a missing one as wrong.
        QCOMPARE(results[0]["id"].get<std::string>(), std::string("cap"));
        QCOMPARE(results[0]["correct"].get<bool>(), true);
        QCOMPARE(results[1]["correct"].get<bool>(), true);
        QCOMPARE(results[2]["id"].get<std::string>(), std::string("re"));
        QCOMPARE(results[2]["correct"].get<bool>(), false);
        QVERIFY(results[2]["evidence"].get<std::string>().find("in 2004") != std::string::npos);
        QCOMPARE(results[3]["id"].get<std::string>(), std::string("has"));
        QCOMPARE(results[3]["correct"].get<bool>(), false);
        QCOMPARE(results[3]["predicted"].get<bool>(), false);
    }

    void textReport()
    {
        const QByteArray lines = R"({"id": "cap", "answer": ["paris"]}
{"id": "num", "answer": [12.5]}
{"id": "re", "answer": ["1999"]}
{"id": "has", "answer": ["Lyon it is"]}
)";
        CliRun run = grade(lines);
        QCOMPARE(run.code, 0);
        QVERIFY2(run.out.contains(QStringLiteral("accuracy 0.750: 3 of 4 correct")), qPrintable(run.out));
        QVERIFY(run.out.contains(QRegularExpression(QStringLiteral("cap +wrong"))));
        QVERIFY(run.out.contains(QRegularExpression(QStringLiteral("num +correct"))));
        QVERIFY(!run.out.contains(QStringLiteral("expected \"Paris\"")));
        run = grade(lines, {QStringLiteral("-v")});
        QVERIFY2(run.out.contains(QStringLiteral("expected \"Paris\", got \"paris\"")), qPrintable(run.out));
        run = grade(lines, {QStringLiteral("-q")});
        QCOMPARE(run.out.trimmed(), QStringLiteral("accuracy 0.750: 3 of 4 correct"));
    }

    void wtqTasks()
    {
        const QString file = sourceDir() + QStringLiteral("/resources/examples/tasks/wtq-mini/tasks.jsonl");
        // nt-0's gold is "2004"; a test task with canon accepts the bare number.
        const QByteArray lines = R"({"id": "nt-0", "answer": ["2004"]}
{"id": "nt-1", "answer": ["Bangkok, Thailand [1]"]}
{"id": "nu-1", "answer": ["100000"]}
{"id": "nu-2", "answer": ["17", "18"]}
)";
        const CliRun run = skillgrad({QStringLiteral("grade"), QStringLiteral("--tasks"), QStringLiteral("wtq:") + file,
                                   QStringLiteral("--predictions"), predictions(lines), QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        const auto doc = run.json();
        QCOMPARE(doc["total"].get<int>(), 100);
        QCOMPARE(doc["correct"].get<int>(), 3);
        QCOMPARE(doc["missing"].get<int>(), 96);
        QCOMPARE(doc["accuracy"].get<double>(), 0.03);
        for (const auto& r : doc["results"]) {
            if (r["id"] == "nu-2") {
                QCOMPARE(r["correct"].get<bool>(), false);
                QCOMPARE(r["score"].get<double>(), 0.5);
            }
        }
    }

    void badPredictions_data()
    {
        QTest::addColumn<QByteArray>("lines");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        QTest::newRow("malformed") << QByteArray("{\"id\": \"cap\", \"answer\": [\"Paris\"]}\n{\"id\": \"num\",\n") << QStringLiteral(":2:")
                                   << QStringLiteral("not valid JSON");
        QTest::newRow("not an object") << QByteArray("[\"cap\", \"Paris\"]\n") << QStringLiteral(":1:") << QStringLiteral("must be a JSON object, not array");
        QTest::newRow("no id") << QByteArray("\n{\"answer\": \"Paris\"}\n") << QStringLiteral(":2:") << QStringLiteral("no \"id\"");
        QTest::newRow("unknown id") << QByteArray("{\"id\": \"cap\", \"answer\": \"Paris\"}\n{\"id\": \"nope\", \"answer\": \"x\"}\n")
                                    << QStringLiteral(":2:") << QStringLiteral("predicts \"nope\", which is not a task");
        QTest::newRow("duplicate id") << QByteArray("{\"id\": \"cap\", \"answer\": \"Paris\"}\n{\"id\": \"cap\", \"answer\": \"x\"}\n")
                                      << QStringLiteral(":2:") << QStringLiteral("again (first on line 1)");
        QTest::newRow("no answer") << QByteArray("{\"id\": \"cap\"}\n") << QStringLiteral(":1:") << QStringLiteral("no \"answer\"");
        QTest::newRow("answer object") << QByteArray("{\"id\": \"cap\", \"answer\": {\"a\": 1}}\n") << QStringLiteral(":1:")
                                       << QStringLiteral("\"answer\" must be a list of strings, not object");
        QTest::newRow("answer item null") << QByteArray("{\"id\": \"cap\", \"answer\": [\"a\", null]}\n") << QStringLiteral(":1:")
                                          << QStringLiteral("\"answer\"[1] must be a string, not null");
    }

    void badPredictions()
    {
        QFETCH(QByteArray, lines);
        QFETCH(QString, where);
        QFETCH(QString, message);
        const CliRun run = grade(lines);
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.contains(QStringLiteral(".jsonl") + where), qPrintable(run.err));
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
    }

    void badArguments()
    {
        CliRun run = skillgrad({QStringLiteral("grade"), QStringLiteral("--tasks"), tasks(), QStringLiteral("--predictions"),
                             m_tmp.filePath(QStringLiteral("missing.jsonl"))});
        QCOMPARE(run.code, 2);
        QVERIFY(run.err.contains(QStringLiteral("does not exist")));
        run = skillgrad({QStringLiteral("grade"), QStringLiteral("--tasks"), QStringLiteral("csv:x"), QStringLiteral("--predictions"),
                         predictions("{}\n")});
        QCOMPARE(run.code, 2);
        QVERIFY(run.err.contains(QStringLiteral("unknown task source")));
        run = skillgrad({QStringLiteral("grade"), QStringLiteral("--predictions"), predictions("{}\n")});
        QCOMPARE(run.code, 2);
        QVERIFY(run.err.contains(QStringLiteral("--tasks")));
    }
};

QTEST_GUILESS_MAIN(tst_GradeCli)
#include "tst_GradeCli.moc"
