#include "skill/SkillPackage.h"
#include "skill/SkillValidator.h"

#include "TestSupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

using Files = QMap<QString, QByteArray>;

QByteArray fm(const QString& frontMatter, const QString& body = QStringLiteral("# Steps\n\nInspect, then answer.\n"))
{
    return (QStringLiteral("---\n") + frontMatter + QStringLiteral("---\n") + body).toUtf8();
}

QByteArray named(const QString& name, const QString& extra = {}, const QString& body = QStringLiteral("# Steps\n\nInspect.\n"))
{
    return fm(QStringLiteral("name: %1\ndescription: Answers table questions.\n%2").arg(name, extra), body);
}

QString lines(int n)
{
    QString out;
    for (int i = 0; i < n; ++i)
        out += QStringLiteral("line %1\n").arg(i);
    return out;
}

SkillProblems validateFolder(const QString& folder, const Files& files, const QString& expectedName = {})
{
    QTemporaryDir tmp;
    const QString dir = tmp.path() + QLatin1Char('/') + folder;
    for (auto it = files.begin(); it != files.end(); ++it)
        writeFile(dir, it.key(), it.value());
    QDir().mkpath(dir);
    auto package = SkillPackage::load(dir);
    if (!package)
        return {{QString(), 0, SkillProblem::Level::Error, QStringLiteral("load-failed"), package.error().text(), {}}};
    SkillValidator::Options options;
    options.expectedName = expectedName;
    return SkillValidator::validate(package.value(), options);
}

QStringList rulesOf(const SkillProblems& problems)
{
    QStringList out;
    for (const auto& p : problems)
        out << QStringLiteral("%1:%2").arg(p.rule, SkillProblem::levelName(p.level));
    return out;
}

} // namespace

class tst_SkillValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // One row per rule: the package, and exactly the findings expected ("rule:level").
    void rules_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<Files>("files");
        QTest::addColumn<QStringList>("expected");
        const QString s = QStringLiteral("SKILL.md");
        const auto only = [](const char* r) { return QStringList{QString::fromLatin1(r)}; };
        const QString name64 = QString(64, QLatin1Char('a'));
        const QString name65 = QString(65, QLatin1Char('a'));

        QTest::newRow("valid minimal") << "table-qa" << Files{{s, named(QStringLiteral("table-qa"))}} << QStringList{};
        QTest::newRow("valid, every key")
            << "table-qa"
            << Files{{s, named(QStringLiteral("table-qa"),
                               QStringLiteral("license: Apache-2.0\ncompatibility: Needs python3\nmetadata:\n  version: \"1\"\n"
                                              "allowed-tools: Bash(python3:*) Read\n"))}}
            << QStringList{};
        QTest::newRow("name missing") << "x" << Files{{s, fm(QStringLiteral("description: d\n"))}} << only("name-missing:error");
        QTest::newRow("name empty") << "x" << Files{{s, fm(QStringLiteral("name: \"\"\ndescription: d\n"))}} << only("name-missing:error");
        QTest::newRow("name 64 chars") << name64 << Files{{s, named(name64)}} << QStringList{};
        QTest::newRow("name 65 chars") << name65 << Files{{s, named(name65)}} << only("name-length:error");
        QTest::newRow("name uppercase") << "Table-QA" << Files{{s, named(QStringLiteral("Table-QA"))}} << only("name-charset:error");
        QTest::newRow("name underscore") << "table_qa" << Files{{s, named(QStringLiteral("table_qa"))}} << only("name-charset:error");
        QTest::newRow("name leading hyphen") << "-table" << Files{{s, named(QStringLiteral("\"-table\""))}} << only("name-hyphen:error");
        QTest::newRow("name trailing hyphen") << "table-" << Files{{s, named(QStringLiteral("table-"))}} << only("name-hyphen:error");
        QTest::newRow("name double hyphen") << "table--qa" << Files{{s, named(QStringLiteral("table--qa"))}} << only("name-hyphen:error");
        QTest::newRow("name differs from folder") << "folder" << Files{{s, named(QStringLiteral("table-qa"))}} << only("name-mismatch:error");
        QTest::newRow("name is a list") << "x" << Files{{s, fm(QStringLiteral("name: [a, b]\ndescription: d\n"))}} << only("field-type:error");
        QTest::newRow("description missing") << "x" << Files{{s, fm(QStringLiteral("name: x\n"))}} << only("description-missing:error");
        QTest::newRow("description blank") << "x" << Files{{s, fm(QStringLiteral("name: x\ndescription: \"  \"\n"))}}
                                           << only("description-missing:error");
        QTest::newRow("description 1024") << "x" << Files{{s, fm(QStringLiteral("name: x\ndescription: %1\n").arg(QString(1024, QLatin1Char('d'))))}}
                                          << QStringList{};
        QTest::newRow("description 1025") << "x" << Files{{s, fm(QStringLiteral("name: x\ndescription: %1\n").arg(QString(1025, QLatin1Char('d'))))}}
                                          << only("description-length:error");
        QTest::newRow("description 1024 non-ASCII")
            << "x" << Files{{s, fm(QStringLiteral("name: x\ndescription: %1\n").arg(QString(1024, QChar(0x00E9))))}} << QStringList{};
        QTest::newRow("description with <") << "x" << Files{{s, fm(QStringLiteral("name: x\ndescription: Use for <tables>\n"))}}
                                            << only("description-angle-brackets:error");
        QTest::newRow("compatibility 500") << "x" << Files{{s, named(QStringLiteral("x"), QStringLiteral("compatibility: %1\n").arg(QString(500, QLatin1Char('c'))))}}
                                           << QStringList{};
        QTest::newRow("compatibility 501") << "x" << Files{{s, named(QStringLiteral("x"), QStringLiteral("compatibility: %1\n").arg(QString(501, QLatin1Char('c'))))}}
                                           << only("compatibility-length:error");
        QTest::newRow("metadata a string") << "x" << Files{{s, named(QStringLiteral("x"), QStringLiteral("metadata: v1\n"))}}
                                           << only("metadata-type:error");
        QTest::newRow("metadata nested map") << "x" << Files{{s, named(QStringLiteral("x"), QStringLiteral("metadata:\n  a:\n    b: c\n"))}}
                                             << only("metadata-type:error");
        QTest::newRow("metadata list value") << "x" << Files{{s, named(QStringLiteral("x"), QStringLiteral("metadata:\n  tags: [a, b]\n"))}}
                                             << only("metadata-type:error");
        QTest::newRow("allowed-tools a list") << "x" << Files{{s, named(QStringLiteral("x"), QStringLiteral("allowed-tools:\n  - Read\n"))}}
                                              << only("field-type:error");
        QTest::newRow("unknown key") << "x" << Files{{s, named(QStringLiteral("x"), QStringLiteral("version: 2\n"))}}
                                     << only("front-matter-unknown-key:error");
        QTest::newRow("duplicate key") << "x" << Files{{s, named(QStringLiteral("x"), QStringLiteral("name: x\n"))}}
                                       << only("front-matter-duplicate-key:error");
        QTest::newRow("invalid YAML") << "x" << Files{{s, fm(QStringLiteral("name: x\ndescription: \"unclosed\n"))}}
                                      << only("front-matter-yaml:error");
        QTest::newRow("not a mapping") << "x" << Files{{s, fm(QStringLiteral("just a string\n"))}} << only("front-matter-not-mapping:error");
        QTest::newRow("no front matter") << "x" << Files{{s, "# Hello\n"}} << only("front-matter-missing:error");
        QTest::newRow("front matter unclosed") << "x" << Files{{s, "---\nname: x\n"}} << only("front-matter-unclosed:error");
        QTest::newRow("SKILL.md missing") << "x" << Files{{QStringLiteral("README.md"), "hi"}} << only("skill-md-missing:error");
        QTest::newRow("SKILL.md empty") << "x" << Files{{s, ""}} << only("skill-md-empty:error");
        QTest::newRow("SKILL.md binary junk") << "x" << Files{{s, QByteArray("\x7f" "ELF\x02\x01\x01\x00\x00\xff\xfe", 11)}} << only("not-utf8:error");
        QTest::newRow("SKILL.md Latin-1") << "x" << Files{{s, "---\nname: x\ndescription: caf\xe9\n---\n"}} << only("not-utf8:error");
        QTest::newRow("SKILL.md with BOM") << "x" << Files{{s, "\xef\xbb\xbf" + named(QStringLiteral("x"))}} << QStringList{};
        QTest::newRow("body 500 lines") << "x" << Files{{s, named(QStringLiteral("x"), {}, lines(500))}} << QStringList{};
        QTest::newRow("body 501 lines") << "x" << Files{{s, named(QStringLiteral("x"), {}, lines(501))}} << only("body-too-long:warning");
        QTest::newRow("body empty") << "x" << Files{{s, named(QStringLiteral("x"), {}, QStringLiteral("\n"))}} << only("body-empty:warning");
        QTest::newRow("pointer resolves")
            << "x" << Files{{s, named(QStringLiteral("x"), {}, QStringLiteral("Read references/a.md when stuck.\n"))}, {QStringLiteral("references/a.md"), "# A\n"}}
            << QStringList{};
        QTest::newRow("link pointer resolves")
            << "x" << Files{{s, named(QStringLiteral("x"), {}, QStringLiteral("See [notes](references/sub/a.md).\n"))}, {QStringLiteral("references/sub/a.md"), "# A\n"}}
            << QStringList{};
        QTest::newRow("pointer broken") << "x" << Files{{s, named(QStringLiteral("x"), {}, QStringLiteral("Read references/missing.md when stuck.\n"))}}
                                        << only("pointer-broken:error");
        QTest::newRow("link pointer broken") << "x" << Files{{s, named(QStringLiteral("x"), {}, QStringLiteral("See [m](references/missing.md).\n"))}}
                                             << only("pointer-broken:error");
        QTest::newRow("pointer climbs out") << "x" << Files{{s, named(QStringLiteral("x"), {}, QStringLiteral("See [m](references/../../x.md).\n"))}}
                                            << only("pointer-invalid:error");
        QTest::newRow("orphan reference") << "x" << Files{{s, named(QStringLiteral("x"))}, {QStringLiteral("references/lonely.md"), "# L\n"}}
                                          << only("reference-orphan:warning");
        QTest::newRow("reference not UTF-8")
            << "x" << Files{{s, named(QStringLiteral("x"), {}, QStringLiteral("Read references/a.md when stuck.\n"))}, {QStringLiteral("references/a.md"), "caf\xe9\n"}}
            << only("not-utf8:error");
        QTest::newRow("scripts and assets are fine")
            << "x" << Files{{s, named(QStringLiteral("x"))}, {QStringLiteral("scripts/a.py"), "print(1)\n"}, {QStringLiteral("assets/logo.png"), QByteArray("\x89PNG\0", 5)}}
            << QStringList{};
    }

    void rules()
    {
        QFETCH(QString, folder);
        QFETCH(Files, files);
        QFETCH(QStringList, expected);
        const SkillProblems problems = validateFolder(folder, files);
        QStringList texts;
        for (const auto& p : problems)
            texts << p.text();
        QVERIFY2(rulesOf(problems) == expected, qPrintable(texts.join(QLatin1Char('\n'))));
        for (const auto& p : problems) {
            QVERIFY2(!p.file.isEmpty(), qPrintable(p.text()));
            QVERIFY2(!p.hint.isEmpty(), qPrintable(p.text()));
            QVERIFY2(!p.message.isEmpty(), qPrintable(p.text()));
        }
        QCOMPARE(SkillValidator::hasErrors(problems), expected.join(QLatin1Char(' ')).contains(QStringLiteral(":error")));
    }

    void findingsNameTheLine()
    {
        const auto problems = validateFolder(QStringLiteral("x"),
            Files{{QStringLiteral("SKILL.md"), fm(QStringLiteral("name: x\ndescription: d\nauthor: me\n"),
                                                  QStringLiteral("# T\n\nRead references/none.md when stuck.\n"))}});
        QCOMPARE(problems.size(), std::size_t(2));
        QCOMPARE(problems[0].rule, QStringLiteral("front-matter-unknown-key"));
        QCOMPARE(problems[0].line, 4);
        QCOMPARE(problems[0].text().left(22), QStringLiteral("SKILL.md:4: error: unk"));
        QCOMPARE(problems[1].rule, QStringLiteral("pointer-broken"));
        QCOMPARE(problems[1].line, 8);
    }

    void latin1ErrorNamesTheLine()
    {
        const auto problems = validateFolder(QStringLiteral("x"), Files{{QStringLiteral("SKILL.md"), "---\nname: x\ndescription: caf\xe9\n---\n"}});
        QCOMPARE(problems.size(), std::size_t(1));
        QCOMPARE(problems[0].line, 3);
    }

    void workspaceNameBeatsFolderName()
    {
        const Files files{{QStringLiteral("SKILL.md"), named(QStringLiteral("table-qa"))}};
        QVERIFY(validateFolder(QStringLiteral("skill"), files, QStringLiteral("table-qa")).empty());
        const auto problems = validateFolder(QStringLiteral("table-qa"), files, QStringLiteral("other-name"));
        QCOMPARE(rulesOf(problems), QStringList{QStringLiteral("name-mismatch:error")});
        QVERIFY(problems[0].hint.contains(QStringLiteral("other-name")));
    }

    void suggestsNames_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("spaces and caps") << "My Table Skill!" << "my-table-skill";
        QTest::newRow("diacritics") << "Café Résumé" << "cafe-resume";
        QTest::newRow("hyphens") << "--a__b--" << "a-b";
        QTest::newRow("nothing left") << "!!!" << "";
    }

    void suggestsNames()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(SkillValidator::suggestName(input), expected);
    }

    void archiveFolderNameIsChecked()
    {
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("x.skill"));
        writeZip(zip, {{QStringLiteral("other-name/SKILL.md"), named(QStringLiteral("table-qa"))}});
        auto package = SkillPackage::load(zip);
        QVERIFY(package);
        QCOMPARE(rulesOf(SkillValidator::validate(package.value())), QStringList{QStringLiteral("name-mismatch:error")});
    }

    void bundledExampleIsClean()
    {
        auto package = SkillPackage::load(sourceDir() + QStringLiteral("/resources/examples/table-qa"));
        QVERIFY(package);
        const auto problems = SkillValidator::validate(package.value());
        QStringList texts;
        for (const auto& p : problems)
            texts << p.text();
        QVERIFY2(problems.empty(), qPrintable(texts.join(QLatin1Char('\n'))));
        QCOMPARE(package->name(), QStringLiteral("table-qa"));
        QVERIFY(!package->filesIn(Layer::L3).empty());
        QVERIFY(!package->pointers().empty());
        // The L1 cap of DESIGN.md 4.6: the description stays within 50 words.
        QVERIFY(package->frontMatter().description().split(QLatin1Char(' '), Qt::SkipEmptyParts).size() <= 50);
    }
};

QTEST_GUILESS_MAIN(tst_SkillValidator)
#include "tst_SkillValidator.moc"
