#include "tasks/Grader.h"
#include "tasks/TaskSource.h"
#include "tasks/WtqGrader.h"
#include "tasks/WtqValue.h"

#include "TestSupport.h"

#include <QTest>

using namespace sg;

namespace {

Task wtqTask(const QStringList& answers, const QStringList& canon = {})
{
    Task task;
    task.id = QStringLiteral("nu-test");
    task.grader = QStringLiteral("wtq");
    task.answers = answers;
    task.answersCanon = canon;
    return task;
}

QString typeName(WtqValue::Type type)
{
    switch (type) {
    case WtqValue::Type::Number:
        return QStringLiteral("number");
    case WtqValue::Type::Date:
        return QStringLiteral("date");
    case WtqValue::Type::String:
        break;
    }
    return QStringLiteral("string");
}

QStringList L(std::initializer_list<const char16_t*> items)
{
    QStringList out;
    for (const char16_t* item : items)
        out << QString::fromUtf16(item);
    return out;
}

} // namespace

class tst_WtqGrader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // README rule 1: how a predicted item is typed.
    void typing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("type");
        QTest::addColumn<double>("number");
        QTest::addColumn<QString>("ymd"); // "y m d" with -1 for xx

        QTest::newRow("int") << QStringLiteral("42") << QStringLiteral("number") << 42.0 << QString();
        QTest::newRow("negative float") << QStringLiteral("-3.5") << QStringLiteral("number") << -3.5 << QString();
        QTest::newRow("exponent") << QStringLiteral("1e3") << QStringLiteral("number") << 1000.0 << QString();
        QTest::newRow("spaces and plus") << QStringLiteral(" +7 ") << QStringLiteral("number") << 7.0 << QString();
        QTest::newRow("trailing point") << QStringLiteral("5.") << QStringLiteral("number") << 5.0 << QString();
        QTest::newRow("leading point") << QStringLiteral(".25") << QStringLiteral("number") << 0.25 << QString();
        QTest::newRow("arabic-indic digit") << QString::fromUtf16(u"\u0663") << QStringLiteral("number") << 3.0 << QString();
        QTest::newRow("near integer snaps") << QStringLiteral("2.9999999") << QStringLiteral("number") << 3.0 << QString();
        QTest::newRow("thousands comma") << QStringLiteral("1,000") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("unit") << QStringLiteral("17 years") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("nan") << QStringLiteral("NaN") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("inf") << QStringLiteral("inf") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("-infinity") << QStringLiteral("-Infinity") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("overflow") << QStringLiteral("1e999") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("underscore (python 2)") << QStringLiteral("1_000") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("hex") << QStringLiteral("0x10") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("full date") << QStringLiteral("1995-01-26") << QStringLiteral("date") << 0.0 << QStringLiteral("1995 1 26");
        QTest::newRow("unknown day") << QStringLiteral("2011-10-xx") << QStringLiteral("date") << 0.0 << QStringLiteral("2011 10 -1");
        QTest::newRow("unknown year xxxx") << QStringLiteral("xxxx-10-17") << QStringLiteral("date") << 0.0 << QStringLiteral("-1 10 17");
        QTest::newRow("unknown year xx") << QStringLiteral("XX-10-17") << QStringLiteral("date") << 0.0 << QStringLiteral("-1 10 17");
        QTest::newRow("unpadded fields") << QStringLiteral("2011-1-2") << QStringLiteral("date") << 0.0 << QStringLiteral("2011 1 2");
        QTest::newRow("year alone is a number") << QStringLiteral("2011-xx-xx") << QStringLiteral("number") << 2011.0 << QString();
        QTest::newRow("all unknown") << QStringLiteral("xx-xx-xx") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("month 13") << QStringLiteral("2011-13-01") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("day 32") << QStringLiteral("2011-12-32") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("two fields") << QStringLiteral("2011-01") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("month xxxx") << QStringLiteral("2011-xxxx-01") << QStringLiteral("string") << 0.0 << QString();
        QTest::newRow("word") << QStringLiteral("Italy") << QStringLiteral("string") << 0.0 << QString();
    }

    void typing()
    {
        QFETCH(QString, text);
        QFETCH(QString, type);
        QFETCH(double, number);
        QFETCH(QString, ymd);
        const WtqValue v = WtqValue::fromText(text);
        QCOMPARE(typeName(v.type), type);
        if (v.type == WtqValue::Type::Number)
            QCOMPARE(v.number, number);
        if (v.type == WtqValue::Type::Date)
            QCOMPARE(QStringLiteral("%1 %2 %3").arg(v.year).arg(v.month).arg(v.day), ymd);
        QCOMPARE(v.normalized, WtqValue::normalize(text));
    }

    // README rule 2: gold is typed from its canonical form and keeps its raw string.
    void goldTyping()
    {
        const WtqValue withCanon = WtqValue::fromGold(QStringLiteral("100,000"), QStringLiteral("100000.0"));
        QCOMPARE(withCanon.type, WtqValue::Type::Number);
        QCOMPARE(withCanon.number, 100000.0);
        QCOMPARE(withCanon.normalized, QStringLiteral("100,000"));
        const WtqValue date = WtqValue::fromGold(QStringLiteral("January 26, 1995"), QStringLiteral("1995-01-26"));
        QCOMPARE(date.type, WtqValue::Type::Date);
        QCOMPARE(date.normalized, QStringLiteral("january 26, 1995"));
        const WtqValue noCanon = WtqValue::fromGold(QStringLiteral("100,000"), QString());
        QCOMPARE(noCanon.type, WtqValue::Type::String);
    }

    // README rule 5, step by step.
    void normalize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const char16_t* text, const char16_t* expected) {
            QTest::newRow(name) << QString::fromUtf16(text) << QString::fromUtf16(expected);
        };
        row("diacritics", u"Crème Brûlée", u"creme brulee");
        row("compatibility form", u"\uFB01ne", u"fine");
        row("curly single quotes", u"rock \u2018n\u2019 roll", u"rock 'n' roll");
        row("backtick", u"it`s", u"it's");
        row("curly double quotes", u"say \u201Chi\u201D now", u"say \"hi\" now");
        row("en dash", u"1990\u20131995", u"1990-1995");
        row("em dash", u"a\u2014b", u"a-b");
        row("minus sign", u"\u22125", u"-5");
        row("hyphen", u"x\u2010y", u"x-y");
        row("citation digits", u"Italy [3]", u"italy");
        row("citation letters", u"Italy[a]", u"italy");
        row("citations chained", u"Italy [a][12]", u"italy");
        row("citation digits alone", u"[1]", u"");
        row("bracket at start stays", u"[a]", u"[a]");
        row("dagger", u"Gold \u2020", u"gold");
        row("marks", u"Gold*#\u2021\u2022\u2666", u"gold");
        row("trailing plus", u"C++", u"c");
        row("parentheses", u"Paris (France)", u"paris");
        row("two parentheses", u"Paris (a) (b)", u"paris");
        row("parentheses without space stay", u"Paris(France)", u"paris(france)");
        row("parentheses alone stay", u"(France)", u"(france)");
        row("outer quotes", u"\"Hello\"", u"hello");
        row("inner quotes stay", u"\"a\" and \"b\"", u"\"a\" and \"b\"");
        row("quotes around citation", u"\"Italy [3]\"", u"italy");
        row("citation after quotes", u"\"Italy\" [3]", u"italy");
        row("curly quotes around", u"\u201CItaly\u201D", u"italy");
        row("one period", u"Inc.", u"inc");
        row("only one period", u"a..", u"a.");
        row("period before citation", u"Ltd. [2]", u"ltd");
        row("whitespace", u"  New   York \t City ", u"new york city");
        row("no-break space", u"New\u00A0York", u"new york");
        row("newline", u"a\nb", u"a b");
        row("case", u"NEW YORK", u"new york");
        // U+FEFF is neither whitespace nor a mark for Python: it stays, even first.
        row("zero-width no-break space", u"\uFEFFa\uFEFFb", u"\uFEFFa\uFEFFb");
        row("astral compatibility letter", u"\U0001D400x", u"ax");
        row("astral combining mark", u"a\U0001D167", u"a");
    }

    void normalize()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(WtqValue::normalize(text), expected);
    }

    // README rules 3 and 4 and its examples (rule 6): the official verdict.
    void verdict_data()
    {
        QTest::addColumn<QStringList>("gold");
        QTest::addColumn<QStringList>("canon");
        QTest::addColumn<QStringList>("predicted");
        QTest::addColumn<bool>("passed");

        const QStringList none;
        auto row = [&](const char* name, const QStringList& gold, const QStringList& canon,
                       const QStringList& predicted, bool passed) {
            QTest::newRow(name) << gold << canon << predicted << passed;
        };
        // The README's own examples.
        row("Italy", L({u"Italy"}), none, L({u"Italy"}), true);
        row("italy", L({u"Italy"}), none, L({u"italy"}), true);
        row("Italy [3]", L({u"Italy"}), none, L({u"Italy [3]"}), true);
        row("100000 vs 100,000 with canon", L({u"100,000"}), L({u"100000.0"}), L({u"100000"}), true);
        row("100,000 vs 100,000 with canon", L({u"100,000"}), L({u"100000.0"}), L({u"100,000"}), true);
        row("100000 vs 100,000 without canon", L({u"100,000"}), none, L({u"100000"}), false);
        row("100,000 vs 100,000 without canon", L({u"100,000"}), none, L({u"100,000"}), true);
        row("17 vs 17 years with canon", L({u"17 years"}), L({u"17.0"}), L({u"17"}), true);
        row("17 years vs 17 years", L({u"17 years"}), L({u"17.0"}), L({u"17 years"}), true);
        row("17 vs 17 years without canon", L({u"17 years"}), none, L({u"17"}), false);
        row("$1.56 billion as a number", L({u"$1.56 billion"}), L({u"1560000000.0"}), L({u"1560000000"}), true);
        row("$1.56 billion as 1.56e9", L({u"$1.56 billion"}), L({u"1560000000.0"}), L({u"1.56e9"}), true);
        row("$1.56 billion as 1.56", L({u"$1.56 billion"}), L({u"1560000000.0"}), L({u"1.56"}), false);
        row("two items for one", L({u"Italy"}), none, L({u"Italy", u"France"}), false);
        row("one item for two", L({u"Italy", u"France"}), none, L({u"Italy"}), false);
        // Sets: order ignored, duplicates removed on both sides.
        row("order ignored", L({u"a", u"b"}), none, L({u"b", u"a"}), true);
        row("duplicate strings", L({u"Italy"}), none, L({u"Italy", u"italy [1]"}), true);
        row("duplicate numbers", L({u"3"}), none, L({u"3", u"3.0"}), true);
        row("duplicate gold", L({u"a", u"A"}), none, L({u"a"}), true);
        row("snapped duplicates", L({u"3"}), none, L({u"3", u"2.9999999"}), true);
        row("distinct numbers stay two", L({u"3"}), none, L({u"3", u"3.5"}), false);
        // Numbers.
        row("within 1e-6", L({u"1.5"}), none, L({u"1.5000001"}), true);
        row("beyond 1e-6", L({u"1.5"}), none, L({u"1.50001"}), false);
        row("exponent", L({u"1000"}), none, L({u"1e3"}), true);
        row("trailing point", L({u"5"}), none, L({u"5."}), true);
        row("year alone is a number", L({u"2004"}), none, L({u"2004-xx-xx"}), true);
        row("gold number from canon vs typed float", L({u"2,004 people"}), L({u"2004.0"}), L({u"2004.0000001"}), true);
        // Dates.
        row("date from canon", L({u"January 26, 1995"}), L({u"1995-01-26"}), L({u"1995-01-26"}), true);
        row("date unpadded", L({u"January 26, 1995"}), L({u"1995-01-26"}), L({u"1995-1-26"}), true);
        row("date as the raw string", L({u"January 26, 1995"}), L({u"1995-01-26"}), L({u"january 26, 1995"}), true);
        row("date vs year number", L({u"January 26, 1995"}), L({u"1995-01-26"}), L({u"1995"}), false);
        row("date with unknown day vs full", L({u"January 26, 1995"}), L({u"1995-01-26"}), L({u"1995-01-xx"}), false);
        row("unknown year xx vs xxxx", L({u"October 17"}), L({u"xxxx-10-17"}), L({u"xx-10-17"}), true);
        row("unknown year vs known", L({u"October 17"}), L({u"xxxx-10-17"}), L({u"1990-10-17"}), false);
        // Strings.
        row("string vs prefix", L({u"2004"}), none, L({u"2004 season"}), false);
        row("gold string vs number text", L({u"Three"}), none, L({u"3"}), false);
        row("nothing given", L({u"Italy"}), none, QStringList(), false);
    }

    void verdict()
    {
        QFETCH(QStringList, gold);
        QFETCH(QStringList, canon);
        QFETCH(QStringList, predicted);
        QFETCH(bool, passed);
        const Outcome outcome = WtqGrader().grade(wtqTask(gold, canon), predicted);
        QVERIFY2(outcome.passed == passed, qPrintable(outcome.evidence));
        // The soft score is 1 exactly when it passes, and evidence is there when it fails.
        QCOMPARE(outcome.score == 1.0, passed);
        QVERIFY(outcome.score >= 0.0 && outcome.score <= 1.0);
        QCOMPARE(outcome.evidence.isEmpty(), passed);
    }

    void softScoreAndEvidence_data()
    {
        QTest::addColumn<QStringList>("gold");
        QTest::addColumn<QStringList>("predicted");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("evidence");
        QTest::newRow("one wrong item") << L({u"2004"}) << L({u"2004 season"}) << 0.0
                                        << QStringLiteral("expected [\"2004\"], got [\"2004 season\"]: nothing matches \"2004\"");
        QTest::newRow("one missing of two") << L({u"a", u"b"}) << L({u"a"}) << 0.5
                                            << QStringLiteral("expected [\"a\", \"b\"], got [\"a\"]: 1 distinct item(s) where gold has 2");
        QTest::newRow("one extra") << L({u"a"}) << L({u"a", u"b"}) << 0.5
                                   << QStringLiteral("expected [\"a\"], got [\"a\", \"b\"]: 2 distinct item(s) where gold has 1");
        QTest::newRow("two of three right") << L({u"a", u"b", u"c"}) << L({u"a", u"b", u"x"}) << 2.0 / 3.0
                                            << QStringLiteral("expected [\"a\", \"b\", \"c\"], got [\"a\", \"b\", \"x\"]: nothing matches \"c\"");
        QTest::newRow("no answer") << L({u"a"}) << QStringList() << 0.0 << QStringLiteral("expected [\"a\"], got []: no answer");
    }

    void softScoreAndEvidence()
    {
        QFETCH(QStringList, gold);
        QFETCH(QStringList, predicted);
        QFETCH(double, score);
        QFETCH(QString, evidence);
        const Outcome outcome = WtqGrader().grade(wtqTask(gold), predicted);
        QVERIFY(!outcome.passed);
        QCOMPARE(outcome.score, score);
        QCOMPARE(outcome.evidence, evidence);
    }

    // The official rule lets two gold items match one predicted item; that still passes.
    void twoGoldItemsMayShareAPrediction()
    {
        const Outcome outcome = WtqGrader().grade(wtqTask(L({u"1.5", u"1.5000005"})), L({u"1.5000002", u"7"}));
        QVERIFY(outcome.passed);
        QCOMPARE(outcome.score, 1.0);
    }

    // Every bundled task passes with its own gold items, and with the canonical strings.
    void bundledTasksPassWithTheirGold()
    {
        auto set = TaskSource::load(QStringLiteral("wtq"),
                                    test::sourceDir() + QStringLiteral("/resources/examples/tasks/wtq-mini/tasks.jsonl"));
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.error().text()));
        auto grader = Grader::forTask(set->tasks.front());
        QVERIFY(grader.ok());
        int withCanon = 0;
        for (const Task& task : set->tasks) {
            QVERIFY2((*grader)->grade(task, task.answers).passed, qPrintable(task.id));
            if (!task.answersCanon.isEmpty() && task.canonType != QLatin1String("string")) {
                ++withCanon;
                QVERIFY2((*grader)->grade(task, task.answersCanon).passed, qPrintable(task.id));
            }
            QVERIFY2(!(*grader)->grade(task, task.answers + QStringList{QStringLiteral("zz-extra")}).passed,
                     qPrintable(task.id));
        }
        QVERIFY(withCanon > 10);
    }

    void factory()
    {
        QVERIFY(Grader::forKind(QStringLiteral("wtq")).ok());
        for (const char* kind : {"exact", "numeric", "regex", "contains"})
            QVERIFY(Grader::forKind(QString::fromLatin1(kind)).ok());
        Task task = wtqTask(L({u"a"}));
        task.grader = QStringLiteral("fuzzy");
        const auto unknown = Grader::forTask(task);
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, QStringLiteral("invalid"));
        QVERIFY(unknown.error().message.contains(QStringLiteral("fuzzy")));
        QVERIFY(unknown.error().where.contains(QStringLiteral("nu-test")));
        QVERIFY(unknown.error().hint.contains(QStringLiteral("exact")));
    }
};

QTEST_GUILESS_MAIN(tst_WtqGrader)
#include "tst_WtqGrader.moc"
