#include "workspace/ExampleCatalog.h"
#include "workspace/WorkspaceConfig.h"

#include "TestSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

nlohmann::json defaults()
{
    WorkspaceConfig c;
    c.skillName = QStringLiteral("table-qa");
    return c.toJson();
}

} // namespace

class tst_WorkspaceConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrips()
    {
        WorkspaceConfig c;
        c.skillName = QStringLiteral("table-qa");
        c.taskSource = QStringLiteral("wtq");
        c.taskOrigin = QStringLiteral("example table-qa");
        c.seed = 42;
        c.split = {40, 20, 40};
        c.roles[QStringLiteral("patcher")] = {QStringLiteral("anthropic"), QStringLiteral("claude-x"), QStringLiteral("http://127.0.0.1:9/"),
                                              QStringLiteral("MY_KEY"), 4};
        c.gate = QStringLiteral("validate");
        c.batch = 6;
        c.prices[QStringLiteral("gpt-x")] = {1.25, 10.0};
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("skillgrad.json"));
        QVERIFY(c.save(file));
        auto back = WorkspaceConfig::load(file);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().text()));
        QVERIFY2(back->toJson() == c.toJson(), back->toJson().dump().c_str());
        QCOMPARE(back->role(QStringLiteral("patcher")).apiKeyEnv, QStringLiteral("MY_KEY"));
        QCOMPARE(back->role(QStringLiteral("executor")).provider, QStringLiteral("sim"));
        QCOMPARE(back->prices.at(QStringLiteral("gpt-x")).outputPerMTok, 10.0);
    }

    void rejectsBadFields_data()
    {
        QTest::addColumn<QString>("pointer"); // JSON pointer to change
        QTest::addColumn<QString>("value");   // JSON text; empty: remove
        QTest::addColumn<QString>("field");   // the field the error must name
        QTest::addColumn<QString>("words");
        QTest::newRow("unknown top-level") << "/frobnicate" << "1" << "frobnicate" << "not a known field";
        QTest::newRow("typo in nested") << "/optimizer/bacth" << "4" << "optimizer.bacth" << "not a known field";
        QTest::newRow("string for number") << "/optimizer/batch" << "\"4\"" << "optimizer.batch" << "whole number";
        QTest::newRow("out of range") << "/optimizer/batch" << "0" << "optimizer.batch" << "between 1 and";
        QTest::newRow("unknown gate") << "/optimizer/gate" << "\"yolo\"" << "optimizer.gate" << "not one of";
        QTest::newRow("unknown role") << "/roles/planner" << "{\"provider\": \"sim\", \"model\": \"m\"}" << "roles.planner" << "not a known field";
        QTest::newRow("unknown provider") << "/roles/executor/provider" << "\"magic\"" << "roles.executor.provider" << "not one of";
        QTest::newRow("a key is never config") << "/roles/executor/api_key" << "\"sk-123\"" << "roles.executor.api_key" << "not a known field";
        QTest::newRow("missing skill name") << "/skill/name" << "" << "skill.name" << "is missing";
        QTest::newRow("missing schema") << "/schema" << "" << "schema" << "is missing";
        QTest::newRow("negative price") << "/prices/m" << "{\"input_per_mtok\": -1, \"output_per_mtok\": 1}" << "prices.m.input_per_mtok" << "between";
    }

    void rejectsBadFields()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, field);
        QFETCH(QString, words);
        nlohmann::json j = defaults();
        const nlohmann::json::json_pointer ptr(pointer.toStdString());
        if (value.isEmpty())
            j[ptr.parent_pointer()].erase(ptr.back());
        else
            j[ptr] = nlohmann::json::parse(value.toStdString());
        auto c = WorkspaceConfig::fromJson(j, QStringLiteral("ws/skillgrad.json"));
        QVERIFY(!c);
        QVERIFY2(c.error().where == QStringLiteral("ws/skillgrad.json: field \"%1\"").arg(field), qPrintable(c.error().text()));
        QVERIFY2(c.error().message.contains(words), qPrintable(c.error().text()));
        QVERIFY(!c.error().hint.isEmpty());
        QVERIFY(!c.error().text().contains(QStringLiteral("sk-123")) || field.endsWith(QStringLiteral("api_key")));
    }

    void newerSchemaIsRefused()
    {
        nlohmann::json j = defaults();
        j["schema"] = 2;
        auto c = WorkspaceConfig::fromJson(j, QStringLiteral("x.json"));
        QVERIFY(!c);
        QVERIFY(c.error().message.contains(QStringLiteral("schema version 2")));
    }

    void brokenJsonNamesTheFile()
    {
        QTemporaryDir tmp;
        writeFile(tmp.path(), QStringLiteral("skillgrad.json"), "{\"schema\": 1,,}");
        auto c = WorkspaceConfig::load(tmp.filePath(QStringLiteral("skillgrad.json")));
        QVERIFY(!c);
        QVERIFY(c.error().where.endsWith(QStringLiteral("skillgrad.json")));
        QVERIFY(c.error().message.startsWith(QStringLiteral("is not valid JSON")));
    }

    void examplesAreBuiltIn()
    {
        QVERIFY(ExampleCatalog::names().contains(QStringLiteral("table-qa")));
        QTemporaryDir tmp;
        auto extracted = ExampleCatalog::extract(QStringLiteral("table-qa"), tmp.path());
        QVERIFY2(extracted, qPrintable(extracted ? QString() : extracted.error().text()));
        QCOMPARE(extracted->taskKind, QStringLiteral("wtq"));
        QFile tasks(extracted->tasksPath);
        QVERIFY(tasks.open(QIODevice::ReadOnly));
        QCOMPARE(tasks.readAll().count('\n'), 100);
        QVERIFY(QFile::exists(extracted->skillPath + QStringLiteral("/SKILL.md")));
        QVERIFY(QFile::exists(extracted->skillPath + QStringLiteral("/references/reading-tables.md")));
        auto unknown = ExampleCatalog::extract(QStringLiteral("nope"), tmp.path());
        QVERIFY(!unknown);
        QVERIFY(unknown.error().hint.contains(QStringLiteral("table-qa")));
    }
};

QTEST_GUILESS_MAIN(tst_WorkspaceConfig)
#include "tst_WorkspaceConfig.moc"
