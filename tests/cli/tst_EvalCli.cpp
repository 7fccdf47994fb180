#include "CliRunner.h"
#include "MockLlmServer.h"
#include "TestSupport.h"

#include "tasks/TaskSource.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace sg;
using namespace sg::test;

namespace {


} // namespace

// `skillgrad eval` as a user runs it: offline with sim, and against a local OpenAI-compatible
// server that answers with the gold values.
class tst_EvalCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_ws;

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = m_tmp.filePath(QStringLiteral("ws"));
        QCOMPARE(skillgrad({QStringLiteral("init"), m_ws, QStringLiteral("--example"), QStringLiteral("table-qa"), QStringLiteral("-q")}).code, 0);
        qputenv("OPENAI_API_KEY", "sk-eval-test-000000");
    }

    void simRunsOfflineAndSaysSo()
    {
        const CliRun run = skillgrad({QStringLiteral("--workspace"), m_ws, QStringLiteral("eval"), QStringLiteral("--provider"), QStringLiteral("sim"),
                                   QStringLiteral("--limit"), QStringLiteral("8"), QStringLiteral("--json")});
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        const auto doc = run.json();
        QVERIFY(doc["simulated"].get<bool>());
        QCOMPARE(doc["split"].get<std::string>(), std::string("test"));
        QCOMPARE(doc["total"].get<int>(), 8);
        QCOMPARE(doc["results"].size(), std::size_t(8));
        QCOMPARE(doc["results"][0]["id"].get<std::string>(), std::string("nu-0"));
        QVERIFY(doc["usage"]["total"]["calls"].get<int>() >= 24);
        const QString runDir = m_ws + QStringLiteral("/runs/") + QString::fromStdString(doc["run"].get<std::string>());
        QVERIFY(QFile::exists(runDir + QStringLiteral("/trajectories/nu-0.json")));
        QVERIFY(QFile::exists(runDir + QStringLiteral("/results.json")));
        QVERIFY(!QDir(runDir + QStringLiteral("/scratch")).exists());
        QFile info(runDir + QStringLiteral("/run.json"));
        QVERIFY(info.open(QIODevice::ReadOnly));
        QCOMPARE(nlohmann::json::parse(info.readAll().toStdString())["status"].get<std::string>(), std::string("completed"));

        const CliRun text = skillgrad({QStringLiteral("--workspace"), m_ws, QStringLiteral("eval"), QStringLiteral("--provider"), QStringLiteral("sim"),
                                    QStringLiteral("--limit"), QStringLiteral("3")});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains(QStringLiteral("SIMULATED")));
    }

    void aServerThatKnowsTheAnswersScoresFull()
    {
        auto tasks = TaskSource::load(QStringLiteral("wtq"), m_ws + QStringLiteral("/tasks/tasks.jsonl"));
        QVERIFY(tasks);
        MockLlmServer server;
        QVERIFY(server.listen());
        const TaskSet& set = tasks.value();
        server.setHandler([&set](const MockRequest& r) {
            const auto& messages = r.json["messages"];
            if (messages.size() <= 2)
                return MockReply::toolCall(QStringLiteral("activate_skill"), nlohmann::json::object());
            const QString user = QString::fromStdString(messages[1]["content"].get<std::string>());
            const QString question = user.section(QLatin1Char('\n'), 0, 0).mid(QStringLiteral("Question: ").size());
            nlohmann::json values = nlohmann::json::array();
            for (const Task& t : set.tasks)
                if (t.prompt == question)
                    for (const QString& a : t.answers)
                        values.push_back(a.toStdString());
            return MockReply::toolCall(QStringLiteral("submit_answer"), {{"values", values}});
        });
        const CliRun run = skillgrad({QStringLiteral("--workspace"), m_ws, QStringLiteral("eval"), QStringLiteral("--provider"), QStringLiteral("openai"),
                                   QStringLiteral("--base-url"), server.openaiBaseUrl(), QStringLiteral("--model"), QStringLiteral("gold-1"),
                                   QStringLiteral("--split"), QStringLiteral("val"), QStringLiteral("--json")});
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        const auto doc = run.json();
        QCOMPARE(doc["total"].get<int>(), 20);
        QCOMPARE(doc["passed"].get<int>(), 20);
        QCOMPARE(doc["score"].get<double>(), 1.0);
        QVERIFY(!doc["simulated"].get<bool>());
        QCOMPARE(server.requestCount(), 40);
        // Run it again: every answer comes from the cache; nothing is sent, nothing is paid.
        const CliRun cached = skillgrad({QStringLiteral("--workspace"), m_ws, QStringLiteral("eval"), QStringLiteral("--provider"), QStringLiteral("openai"),
                                      QStringLiteral("--base-url"), server.openaiBaseUrl(), QStringLiteral("--model"), QStringLiteral("gold-1"),
                                      QStringLiteral("--split"), QStringLiteral("val"), QStringLiteral("--json")});
        QCOMPARE(cached.json()["usage"]["total"]["calls"].get<int>(), 0);
        QCOMPARE(cached.json()["usage"]["total"]["cache_hits"].get<int>(), 40);
        QCOMPARE(cached.json()["passed"].get<int>(), 20);
        QCOMPARE(server.requestCount(), 40);
    }

    void aDeadEndpointExitsOne()
    {
        QString url;
        {
            MockLlmServer gone;
            gone.listen();
            url = gone.openaiBaseUrl();
        }
        const CliRun run = skillgrad({QStringLiteral("--workspace"), m_ws, QStringLiteral("eval"), QStringLiteral("--provider"), QStringLiteral("openai"),
                                   QStringLiteral("--base-url"), url, QStringLiteral("--limit"), QStringLiteral("2"), QStringLiteral("--no-cache"),
                                   QStringLiteral("--retries"), QStringLiteral("1")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.out.contains(QStringLiteral("could not be judged")), qPrintable(run.out + run.err));
    }

    void badInputExitsTwo()
    {
        QCOMPARE(skillgrad({QStringLiteral("--workspace"), m_ws, QStringLiteral("eval"), QStringLiteral("--split"), QStringLiteral("dev")}).code, 2);
        QCOMPARE(skillgrad({QStringLiteral("--workspace"), m_ws, QStringLiteral("eval"), QStringLiteral("--provider"), QStringLiteral("sim"),
                            QStringLiteral("--version"), QStringLiteral("no-such-version")})
                     .code,
                 2);
        QTemporaryDir none;
        QCOMPARE(skillgrad({QStringLiteral("--workspace"), none.path(), QStringLiteral("eval")}).code, 2);
    }
};

QTEST_GUILESS_MAIN(tst_EvalCli)
#include "tst_EvalCli.moc"
