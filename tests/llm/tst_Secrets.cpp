#include "llm/ProviderFactory.h"
#include "llm/Redactor.h"
#include "llm/Secrets.h"

#include <QTest>

using namespace sg;

class tst_Secrets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        Redactor::clearForTests();
        qunsetenv("OPENAI_API_KEY");
        qunsetenv("ANTHROPIC_API_KEY");
        qunsetenv("MY_GATEWAY_KEY");
        qunsetenv("DBUS_SESSION_BUS_ADDRESS"); // no keychain here, as on CI
    }

    void keysComeFromTheEnvironment()
    {
        qputenv("OPENAI_API_KEY", "sk-env-aaaaaaaaaaaa");
        auto key = Secrets::apiKey(QStringLiteral("openai"), {}, QStringLiteral("https://api.openai.com/v1"));
        QVERIFY(key);
        QCOMPARE(key->value, QStringLiteral("sk-env-aaaaaaaaaaaa"));
        QCOMPARE(key->source, QStringLiteral("OPENAI_API_KEY"));
        // Once loaded, the key is scrubbed from any text.
        QCOMPARE(Redactor::scrub(QStringLiteral("got sk-env-aaaaaaaaaaaa back")), QStringLiteral("got [redacted] back"));
    }

    void aNamedVariableWins()
    {
        qputenv("OPENAI_API_KEY", "sk-default-bbbbbbbb");
        qputenv("MY_GATEWAY_KEY", "gw-cccccccccccc");
        auto key = Secrets::apiKey(QStringLiteral("openai"), QStringLiteral("MY_GATEWAY_KEY"), QStringLiteral("https://gw.example/v1"));
        QVERIFY(key);
        QCOMPARE(key->value, QStringLiteral("gw-cccccccccccc"));
        QCOMPARE(key->source, QStringLiteral("MY_GATEWAY_KEY"));
    }

    void missingKeyIsAClearError()
    {
        auto key = Secrets::apiKey(QStringLiteral("anthropic"), {}, QStringLiteral("https://api.anthropic.com"));
        QVERIFY(!key);
        QCOMPARE(key.error().code, QStringLiteral("config"));
        QVERIFY(key.error().message.contains(QStringLiteral("ANTHROPIC_API_KEY is not set")));
        QVERIFY2(key.error().message.contains(QStringLiteral("keychain is not available")), qPrintable(key.error().text()));
        QVERIFY(key.error().message.contains(QStringLiteral("D-Bus")));
        QVERIFY(key.error().hint.contains(QStringLiteral("--api-key-env")));
    }

    void localServersNeedNoKey_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("local");
        QTest::newRow("127.0.0.1") << "http://127.0.0.1:8080/v1" << true;
        QTest::newRow("localhost") << "http://localhost:11434/v1" << true;
        QTest::newRow("::1") << "http://[::1]:8000/v1" << true;
        QTest::newRow("remote") << "https://api.openai.com/v1" << false;
        QTest::newRow("lan") << "http://192.168.1.5:8000/v1" << false;
    }

    void localServersNeedNoKey()
    {
        QFETCH(QString, url);
        QFETCH(bool, local);
        QCOMPARE(Secrets::isLocalUrl(url), local);
        auto key = Secrets::apiKey(QStringLiteral("openai"), {}, url);
        QCOMPARE(bool(key), local);
        if (local)
            QCOMPARE(key->source, QStringLiteral("none"));
    }

    void fragmentsAreRedacted()
    {
        Redactor::add(QStringLiteral("sk-proj-ABCDEF1234567890xyz"));
        const QString echoed = QStringLiteral("Incorrect API key provided: sk-proj-ABCDEF***************0xyz. You can find…");
        const QString clean = Redactor::scrub(echoed);
        QVERIFY2(!clean.contains(QStringLiteral("ABCDEF")), qPrintable(clean));
        QVERIFY(clean.contains(QStringLiteral("Incorrect API key provided")));
        QCOMPARE(Redactor::scrub(QStringLiteral("nothing secret here")), QStringLiteral("nothing secret here"));
    }

    void factoryChecksTheUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("no scheme") << "127.0.0.1:8080/v1";
        QTest::newRow("ftp") << "ftp://127.0.0.1/v1";
        QTest::newRow("credentials") << "http://user:sk-secret@127.0.0.1/v1";
        QTest::newRow("garbage") << "http://";
    }

    void factoryChecksTheUrl()
    {
        QFETCH(QString, url);
        ProviderFactory::Options options;
        options.kind = QStringLiteral("openai");
        options.baseUrl = url;
        auto provider = ProviderFactory::create(options);
        QVERIFY(!provider);
        QCOMPARE(provider.error().code, QStringLiteral("config"));
        QVERIFY(!provider.error().text().contains(QStringLiteral("sk-secret")));
    }

    void factoryRefusesUnknownKinds()
    {
        ProviderFactory::Options options;
        options.kind = QStringLiteral("magic");
        auto provider = ProviderFactory::create(options);
        QVERIFY(!provider);
        QVERIFY(provider.error().message.contains(QStringLiteral("openai")));
    }
};

QTEST_GUILESS_MAIN(tst_Secrets)
#include "tst_Secrets.moc"
