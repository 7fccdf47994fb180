#include "skill/PointerParser.h"

#include <QTest>

using namespace sg;

class tst_PointerParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findsPointers_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("targets");
        QTest::addColumn<bool>("isLink");
        QTest::addColumn<bool>("valid");

        const auto one = [](const char* t) { return QStringList{QString::fromLatin1(t)}; };
        QTest::newRow("plain text") << "Read references/csv.md when the table is messy." << one("references/csv.md") << false << true;
        QTest::newRow("sentence end") << "See references/csv.md." << one("references/csv.md") << false << true;
        QTest::newRow("code span") << "Read `references/csv.md` first" << one("references/csv.md") << false << true;
        QTest::newRow("markdown link") << "See [CSV notes](references/csv.md)." << one("references/csv.md") << true << true;
        QTest::newRow("link with ./") << "See [notes](./references/csv.md)" << one("references/csv.md") << true << true;
        QTest::newRow("link with anchor") << "[x](references/csv.md#quoting)" << one("references/csv.md") << true << true;
        QTest::newRow("link with title") << "[x](references/csv.md \"CSV\")" << one("references/csv.md") << true << true;
        QTest::newRow("percent-encoded link") << "[x](references/my%20notes.md)" << one("references/my notes.md") << true << true;
        QTest::newRow("angle link") << "[x](<references/csv.md>)" << one("references/csv.md") << true << true;
        QTest::newRow("link definition") << "[csv]: references/csv.md" << one("references/csv.md") << true << true;
        QTest::newRow("subfolder") << "Read references/formats/tsv.md when…" << one("references/formats/tsv.md") << false << true;
        QTest::newRow("quoted") << "the file \"references/a.md\" says" << one("references/a.md") << false << true;
        QTest::newRow("bold") << "**references/a.md**" << one("references/a.md") << false << true;
        QTest::newRow("two on a line") << "references/a.md or references/b.md"
                                       << QStringList{QStringLiteral("references/a.md"), QStringLiteral("references/b.md")} << false << true;
        QTest::newRow("climbs out") << "Read references/../SKILL.md" << one("SKILL.md") << false << false;
        QTest::newRow("climbs out, link") << "[x](references/../../etc/passwd.md)" << one("../etc/passwd.md") << true << false;
        QTest::newRow("url is not a pointer") << "https://example.com/references/a.md" << QStringList{} << false << true;
        QTest::newRow("other folder is not a pointer") << "docs/references/a.md" << QStringList{} << false << true;
        QTest::newRow("not markdown") << "references/data.csv" << QStringList{} << false << true;
        QTest::newRow("bare folder") << "Put notes in the references/ folder." << QStringList{} << false << true;
        QTest::newRow("no pointer") << "Nothing to see here." << QStringList{} << false << true;
    }

    void findsPointers()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, targets);
        QFETCH(bool, isLink);
        QFETCH(bool, valid);
        const auto pointers = PointerParser::parse(text);
        QStringList found;
        for (const auto& p : pointers)
            found << p.target;
        QCOMPARE(found, targets);
        for (const auto& p : pointers) {
            QCOMPARE(p.isLink, isLink);
            QCOMPARE(p.valid, valid);
        }
    }

    void reportsLineAndColumn()
    {
        const auto pointers = PointerParser::parse(QStringLiteral("# Title\n\nSee `references/a.md`.\n"), 8);
        QCOMPARE(pointers.size(), std::size_t(1));
        QCOMPARE(pointers[0].line, 10);
        QCOMPARE(pointers[0].column, 6);
        QCOMPARE(pointers[0].raw, QStringLiteral("references/a.md"));
    }
};

QTEST_GUILESS_MAIN(tst_PointerParser)
#include "tst_PointerParser.moc"
