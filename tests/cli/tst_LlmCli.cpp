#include "CliRunner.h"
#include "MockLlmServer.h"

#include "llm/Redactor.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace sg;
using namespace sg::test;

namespace {


} // namespace

// `skillgrad llm ping` as a user runs it, against the mock in both dialects and under faults.
class tst_LlmCli : public QObject
{
    Q_OBJECT
private:
    MockLlmServer m_server;
    const QString m_key = QStringLiteral("sk-canary-9a8b7c6d5e4f3a2b1c");

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.listen());
        qputenv("OPENAI_API_KEY", m_key.toUtf8());
        qputenv("ANTHROPIC_API_KEY", m_key.toUtf8());
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    }

    void init()
    {
        m_server.setRequiredKey(m_key);
        m_server.setDefault(MockReply::completion(QStringLiteral("pong")));
    }

    void pingsBothDialects_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << "openai";
        QTest::newRow("anthropic") << "anthropic";
    }

    void pingsBothDialects()
    {
        QFETCH(QString, kind);
        const QString url = kind == QLatin1String("openai") ? m_server.openaiBaseUrl() : m_server.anthropicBaseUrl();
        const CliRun run = skillgrad({QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--provider"), kind, QStringLiteral("--base-url"), url,
                                   QStringLiteral("--model"), QStringLiteral("m-1")});
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        QVERIFY(run.out.contains(QStringLiteral("model m-1")));
        QVERIFY(run.out.contains(QStringLiteral("12 in / 4 out tokens")));
        QVERIFY(run.out.contains(QStringLiteral("reply: \"pong\"")));

        const CliRun json = skillgrad({QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--provider"), kind, QStringLiteral("--base-url"), url,
                                    QStringLiteral("--json")});
        QCOMPARE(json.code, 0);
        const auto doc = nlohmann::json::parse(json.out.toStdString());
        QVERIFY(doc["ok"].get<bool>());
        QCOMPARE(doc["usage"]["input_tokens"].get<int>(), 12);
        QVERIFY(doc["latency_ms"].get<int>() >= 0);
        QCOMPARE(doc["reply"].get<std::string>(), std::string("pong"));
    }

    void faultsGiveOneClearLine_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("words");
        QTest::newRow("401") << 401 << "the key was refused (HTTP 401)";
        QTest::newRow("404") << 404 << "check --base-url";
        QTest::newRow("400") << 400 << "rejected the request";
        QTest::newRow("503 after retries") << 503 << "after 2 attempts";
    }

    void faultsGiveOneClearLine()
    {
        QFETCH(int, status);
        QFETCH(QString, words);
        m_server.setDefault(MockReply::error(status));
        const CliRun run = skillgrad({QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("openai"),
                                   QStringLiteral("--base-url"), m_server.openaiBaseUrl(), QStringLiteral("--retries"), QStringLiteral("1")});
        QCOMPARE(run.code, 1);
        QVERIFY(run.out.isEmpty());
        // Notes on the way, then one line that says what went wrong and what to do.
        const QString last = run.err.trimmed().split(QLatin1Char('\n')).last();
        QVERIFY2(last.startsWith(QStringLiteral("skillgrad: openai at ")) && last.contains(words), qPrintable(run.err));
    }

    void wrongKeyIsRefusedAndNeverShown()
    {
        m_server.setRequiredKey(QStringLiteral("another-key-entirely"));
        const CliRun run = skillgrad({QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("anthropic"),
                                   QStringLiteral("--base-url"), m_server.anthropicBaseUrl(), QStringLiteral("--json")});
        QCOMPARE(run.code, 1);
        QVERIFY(run.err.contains(QStringLiteral("key was refused")));
        for (const QString& text : {run.out, run.err}) {
            QVERIFY2(!text.contains(QStringLiteral("canary")), qPrintable(text));
            QVERIFY2(!text.contains(QStringLiteral("9a8b7c6d")), qPrintable(text));
        }
    }

    void connectionRefusedNamesTheUrl()
    {
        QString url;
        {
            MockLlmServer gone;
            gone.listen();
            url = gone.openaiBaseUrl();
        }
        const CliRun run = skillgrad({QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("openai"),
                                   QStringLiteral("--base-url"), url, QStringLiteral("--retries"), QStringLiteral("0")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains(QStringLiteral("connection refused")) && run.err.contains(url), qPrintable(run.err));
    }

    void badOptionsExitTwo()
    {
        QTemporaryDir notAWorkspace;
        QCOMPARE(skillgrad({QStringLiteral("--workspace"), notAWorkspace.path(), QStringLiteral("llm"), QStringLiteral("ping")}).code, 2);
        QCOMPARE(skillgrad({QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("magic")}).code, 2);
        QCOMPARE(skillgrad({QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("openai"),
                            QStringLiteral("--base-url"), QStringLiteral("not a url")})
                     .code,
                 2);
        qunsetenv("OPENAI_API_KEY");
        const CliRun noKey = skillgrad({QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("openai"),
                                     QStringLiteral("--base-url"), QStringLiteral("https://api.example.invalid/v1")});
        qputenv("OPENAI_API_KEY", m_key.toUtf8());
        QCOMPARE(noKey.code, 2);
        QVERIFY(noKey.err.contains(QStringLiteral("OPENAI_API_KEY")));
        QCOMPARE(skillgrad({QStringLiteral("llm")}).code, 2);
    }
};

QTEST_GUILESS_MAIN(tst_LlmCli)
#include "tst_LlmCli.moc"
