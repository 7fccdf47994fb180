#include "skill/FrontMatter.h"

#include <QTest>

using namespace sg;

namespace {

QStringList rules(const SkillProblems& problems)
{
    QStringList out;
    for (const auto& p : problems)
        out << p.rule;
    return out;
}

} // namespace

class tst_FrontMatter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesFieldsLinesAndBody()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral(
            "---\nname: table-qa\ndescription: Answers questions.\nmetadata:\n  version: \"0.1\"\n  owner: me\n---\n# Title\nBody\n"));
        QVERIFY(parsed.problems.empty());
        const FrontMatter& fm = parsed.frontMatter;
        QVERIFY(fm.present());
        QCOMPARE(fm.name(), QStringLiteral("table-qa"));
        QCOMPARE(fm.description(), QStringLiteral("Answers questions."));
        QCOMPARE(fm.lineOf(QStringLiteral("name")), 2);
        QCOMPARE(fm.lineOf(QStringLiteral("description")), 3);
        QCOMPARE(fm.lineOf(QStringLiteral("metadata")), 4);
        QCOMPARE(fm.lastLine(), 7);
        const auto* metadata = fm.field(QStringLiteral("metadata"));
        QVERIFY(metadata);
        QCOMPARE(metadata->kind, FrontMatter::Kind::Map);
        QCOMPARE(metadata->entries.size(), std::size_t(2));
        QCOMPARE(metadata->entries[1].key, QStringLiteral("owner"));
        QCOMPARE(metadata->entries[1].line, 6);
        QCOMPARE(parsed.bodyFirstLine, 8);
        QCOMPARE(parsed.body, QStringLiteral("# Title\nBody\n"));
    }

    void absentKeyPointsAtOpeningLine()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\nname: x\n---\n"));
        QCOMPARE(parsed.frontMatter.lineOf(QStringLiteral("description")), 1);
        QVERIFY(!parsed.frontMatter.scalar(QStringLiteral("description")));
    }

    void acceptsWindowsLineEndings()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\r\nname: x\r\ndescription: d\r\n---\r\nBody\r\n"));
        QVERIFY(parsed.problems.empty());
        QCOMPARE(parsed.frontMatter.name(), QStringLiteral("x"));
        QCOMPARE(parsed.bodyFirstLine, 5);
    }

    void reportsDuplicateKeysWithTheirLine()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\nname: a\ndescription: d\nname: b\n---\n"));
        QCOMPARE(rules(parsed.problems), QStringList{QStringLiteral("front-matter-duplicate-key")});
        QCOMPARE(parsed.problems[0].line, 4);
        QVERIFY(parsed.problems[0].message.contains(QStringLiteral("\"name\"")));
    }

    void reportsDuplicateKeysInsideMetadata()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\nname: a\nmetadata:\n  k: 1\n  k: 2\n---\n"));
        QCOMPARE(rules(parsed.problems), QStringList{QStringLiteral("front-matter-duplicate-key")});
        QCOMPARE(parsed.problems[0].line, 5);
    }

    void sameKeyInDifferentMapsIsFine()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\nname: a\nmetadata:\n  name: 1\n---\n"));
        QVERIFY(parsed.problems.empty());
    }

    void invalidYamlNamesTheLine()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\nname: a\ndescription: [unclosed\n---\n"));
        QCOMPARE(rules(parsed.problems), QStringList{QStringLiteral("front-matter-yaml")});
        QVERIFY2(parsed.problems[0].line >= 3, qPrintable(parsed.problems[0].text()));
        QVERIFY(!parsed.problems[0].hint.isEmpty());
    }

    void colonInPlainValueIsAYamlError()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\nname: a\ndescription: Use it: now: please\n---\n"));
        QCOMPARE(rules(parsed.problems), QStringList{QStringLiteral("front-matter-yaml")});
        QCOMPARE(parsed.problems[0].line, 3);
    }

    void notAMapping()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\n- a\n- b\n---\n"));
        QCOMPARE(rules(parsed.problems), QStringList{QStringLiteral("front-matter-not-mapping")});
    }

    void emptyFrontMatter()
    {
        const auto parsed = FrontMatter::parse(QStringLiteral("---\n---\nbody\n"));
        QCOMPARE(rules(parsed.problems), QStringList{QStringLiteral("front-matter-not-mapping")});
    }

    void missingAndUnclosed()
    {
        QCOMPARE(rules(FrontMatter::parse(QStringLiteral("# Just markdown\n")).problems),
                 QStringList{QStringLiteral("front-matter-missing")});
        QCOMPARE(rules(FrontMatter::parse(QStringLiteral("---\nname: a\n# never closed\n")).problems),
                 QStringList{QStringLiteral("front-matter-unclosed")});
        QCOMPARE(rules(FrontMatter::parse(QStringLiteral("  \n\n")).problems), QStringList{QStringLiteral("skill-md-empty")});
    }

    void deepNestingIsAnErrorNotACrash()
    {
        const QString deep = QStringLiteral("---\nname: ") + QString(5000, QLatin1Char('[')) + QStringLiteral("\n---\n");
        const auto parsed = FrontMatter::parse(deep);
        QCOMPARE(rules(parsed.problems), QStringList{QStringLiteral("front-matter-yaml")});
    }
};

QTEST_GUILESS_MAIN(tst_FrontMatter)
#include "tst_FrontMatter.moc"
