#include "CliApp.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace sg;
using namespace sg::test;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run runSkillgrad(std::vector<std::string> args)
{
    std::ostringstream out, err;
    Run run;
    run.code = cli::runCli(args, out, err);
    run.out = QString::fromStdString(out.str());
    run.err = QString::fromStdString(err.str());
    return run;
}

std::string example()
{
    return (sourceDir() + QStringLiteral("/resources/examples/table-qa")).toStdString();
}

nlohmann::json parseJson(const QString& text)
{
    return nlohmann::json::parse(text.toStdString());
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helpListsCommandsAndExitsZero()
    {
        const Run run = runSkillgrad({"--help"});
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.contains(QStringLiteral("validate")));
        QVERIFY(run.out.contains(QStringLiteral("doctor")));
        QVERIFY(run.out.contains(QStringLiteral("Exit codes")));
        const Run sub = runSkillgrad({"validate", "--help"});
        QCOMPARE(sub.code, 0);
        QVERIFY(sub.out.contains(QStringLiteral("PATH")));
        QVERIFY(sub.out.contains(QStringLiteral("file:line: level: message")));
    }

    void versionExitsZero()
    {
        const Run run = runSkillgrad({"--version"});
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.startsWith(QStringLiteral("skillgrad ")));
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
        QTest::newRow("unknown option") << QStringList{QStringLiteral("validate"), QStringLiteral("--frob"), QStringLiteral("x")};
        QTest::newRow("missing PATH") << QStringList{QStringLiteral("validate")};
        QTest::newRow("extra argument") << QStringList{QStringLiteral("doctor"), QStringLiteral("extra")};
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        std::vector<std::string> argv;
        for (const auto& a : args)
            argv.push_back(a.toStdString());
        const Run run = runSkillgrad(argv);
        QCOMPARE(run.code, 2);
        QVERIFY(!run.err.isEmpty());
        QVERIFY(run.out.isEmpty());
    }

    void validatesTheBundledExample()
    {
        const Run run = runSkillgrad({"validate", example()});
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        QVERIFY(run.out.contains(QStringLiteral("table-qa")));
        QVERIFY(run.out.contains(QStringLiteral("L3")));
        QVERIFY(run.out.contains(QStringLiteral("valid: 0 error(s), 0 warning(s)")));
    }

    void problemsAreFileLineLevelMessageHint()
    {
        QTemporaryDir tmp;
        const QString dir = makeSkill(tmp.path(), QStringLiteral("bad-skill"),
                                      "---\nname: Bad_Skill\ndescription: d\n---\nRead references/gone.md now.\n");
        const Run run = runSkillgrad({"validate", dir.toStdString()});
        QCOMPARE(run.code, 2);
        QVERIFY2(run.out.contains(QStringLiteral("SKILL.md:2: error: name \"Bad_Skill\"")), qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("(for example: name: bad-skill)")));
        QVERIFY(run.out.contains(QStringLiteral("SKILL.md:5: error: references/gone.md is pointed to but does not exist")));
        QVERIFY(run.out.contains(QStringLiteral("invalid: 3 error(s)")));
    }

    void warningsAloneExitZero()
    {
        QTemporaryDir tmp;
        const QString dir = makeSkill(tmp.path(), QStringLiteral("s"));
        writeFile(dir, QStringLiteral("references/orphan.md"), "# O\n");
        const Run run = runSkillgrad({"validate", dir.toStdString()});
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.contains(QStringLiteral("references/orphan.md: warning: nothing in SKILL.md points")));
    }

    void jsonShape()
    {
        QTemporaryDir tmp;
        const QString dir = makeSkill(tmp.path(), QStringLiteral("s"), "---\nname: s\ndescription: d\nfoo: 1\n---\nBody\n");
        // --json after the command: global options fall through (DESIGN.md 12).
        const Run run = runSkillgrad({"validate", dir.toStdString(), "--json"});
        QCOMPARE(run.code, 2);
        const auto doc = parseJson(run.out);
        QCOMPARE(doc["valid"].get<bool>(), false);
        QCOMPARE(doc["errors"].get<int>(), 1);
        QCOMPARE(doc["warnings"].get<int>(), 0);
        QCOMPARE(doc["name"].get<std::string>(), std::string("s"));
        const auto& problem = doc["problems"][0];
        QCOMPARE(problem["file"].get<std::string>(), std::string("SKILL.md"));
        QCOMPARE(problem["line"].get<int>(), 4);
        QCOMPARE(problem["level"].get<std::string>(), std::string("error"));
        QCOMPARE(problem["rule"].get<std::string>(), std::string("front-matter-unknown-key"));
        QVERIFY(!problem["hint"].get<std::string>().empty());
        QCOMPARE(doc["files"][0]["path"].get<std::string>(), std::string("SKILL.md"));

        const Run ok = runSkillgrad({"--json", "validate", example()});
        QCOMPARE(ok.code, 0);
        const auto good = parseJson(ok.out);
        QVERIFY(good["valid"].get<bool>());
        QVERIFY(good["problems"].empty());
        bool sawL3 = false;
        for (const auto& f : good["files"])
            sawL3 = sawL3 || f["layer"] == "L3";
        QVERIFY(sawL3);
    }

    void hostileArchiveIsRefusedAndNothingWritten()
    {
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("evil.skill"));
        writeZip(zip, {{QStringLiteral("SKILL.md"), skillMd(QStringLiteral("evil"))}, {QStringLiteral("../../escape.md"), "x"}});
        const QStringList before = snapshot(tmp.path());
        const Run run = runSkillgrad({"validate", zip.toStdString(), "--json"});
        QCOMPARE(run.code, 2);
        const auto doc = parseJson(run.out);
        QCOMPARE(doc["problems"][0]["rule"].get<std::string>(), std::string("refused"));
        QCOMPARE(doc["problems"][0]["file"].get<std::string>(), std::string("../../escape.md"));
        QCOMPARE(snapshot(tmp.path()), before);

        const Run text = runSkillgrad({"validate", zip.toStdString()});
        QCOMPARE(text.code, 2);
        QVERIFY2(text.out.contains(QStringLiteral("../../escape.md: error: refused: the path climbs out")), qPrintable(text.out));
    }

    void missingPathExitsTwo()
    {
        const Run run = runSkillgrad({"validate", "/no/such/skill"});
        QCOMPARE(run.code, 2);
        QVERIFY(run.out.contains(QStringLiteral("/no/such/skill: error: no such file or folder")));
    }

    void quietPrintsOnlyProblems()
    {
        const Run run = runSkillgrad({"-q", "validate", example()});
        QCOMPARE(run.code, 0);
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    }

    void doctorJson()
    {
        const Run run = runSkillgrad({"doctor", "--json"});
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        const auto doc = parseJson(run.out);
        QVERIFY(doc["ok"].get<bool>());
        QStringList names;
        for (const auto& c : doc["checks"]) {
            names << QString::fromStdString(c["name"].get<std::string>());
            const auto status = c["status"].get<std::string>();
            QVERIFY(status == "ok" || status == "warning" || status == "missing");
        }
        QVERIFY(names.contains(QStringLiteral("bubblewrap")));
        QVERIFY(names.contains(QStringLiteral("python3")));
        QVERIFY(names.contains(QStringLiteral("keychain")));
    }
};

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_Cli.moc"
