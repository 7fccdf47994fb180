#include "tasks/GenericGrader.h"
#include "tasks/Grader.h"

#include <QTest>

using namespace sg;

namespace {

Task genericTask(const QString& grader, const QStringList& answers, const nlohmann::json& extra = nlohmann::json::object())
{
    Task task;
    task.id = QStringLiteral("t1");
    task.grader = grader;
    task.answers = answers;
    task.extra = extra;
    return task;
}

} // namespace

class tst_GenericGrader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void grade_data()
    {
        QTest::addColumn<QString>("grader");
        QTest::addColumn<QStringList>("answers");
        QTest::addColumn<QString>("extra"); // JSON
        QTest::addColumn<QStringList>("predicted");
        QTest::addColumn<bool>("passed");

        auto row = [](const char* name, const char* grader, const QStringList& answers, const char* extra,
                      const QStringList& predicted, bool passed) {
            QTest::newRow(name) << QString::fromLatin1(grader) << answers << QString::fromLatin1(extra) << predicted << passed;
        };
        const QStringList paris{QStringLiteral("Paris")};
        // exact: the trimmed text, case-sensitive.
        row("exact equal", "exact", paris, "{}", {QStringLiteral("Paris")}, true);
        row("exact trims", "exact", paris, "{}", {QStringLiteral("  Paris\n")}, true);
        row("exact trims gold", "exact", {QStringLiteral(" Paris ")}, "{}", {QStringLiteral("Paris")}, true);
        row("exact is case-sensitive", "exact", paris, "{}", {QStringLiteral("paris")}, false);
        row("exact keeps inner spacing", "exact", {QStringLiteral("New York")}, "{}", {QStringLiteral("New  York")}, false);
        row("exact any alternative", "exact", {QStringLiteral("NYC"), QStringLiteral("New York")}, "{}", {QStringLiteral("New York")}, true);
        row("exact two items joined", "exact", paris, "{}", {QStringLiteral("Paris"), QStringLiteral("London")}, false);
        row("exact two items as gold text", "exact", {QStringLiteral("a\nb")}, "{}", {QStringLiteral("a"), QStringLiteral("b")}, true);
        row("exact nothing", "exact", paris, "{}", {}, false);
        // numeric: default tolerance 1e-6, absolute.
        row("numeric equal", "numeric", {QStringLiteral("12.5")}, "{}", {QStringLiteral("12.5")}, true);
        row("numeric within default", "numeric", {QStringLiteral("0.3")}, "{}", {QStringLiteral("0.30000000000000004")}, true);
        row("numeric beyond default", "numeric", {QStringLiteral("0.3")}, "{}", {QStringLiteral("0.3001")}, false);
        row("numeric tolerance", "numeric", {QStringLiteral("100")}, "{\"tolerance\": 0.5}", {QStringLiteral("100.4")}, true);
        row("numeric beyond tolerance", "numeric", {QStringLiteral("100")}, "{\"tolerance\": 0.5}", {QStringLiteral("100.6")}, false);
        row("numeric thousands", "numeric", {QStringLiteral("1234567.5")}, "{}", {QStringLiteral("1,234,567.5")}, true);
        row("numeric bad grouping", "numeric", {QStringLiteral("15")}, "{}", {QStringLiteral("1,5")}, false);
        row("numeric exponent", "numeric", {QStringLiteral("1500")}, "{}", {QStringLiteral("1.5e3")}, true);
        row("numeric sign", "numeric", {QStringLiteral("-2")}, "{}", {QStringLiteral("-2.0")}, true);
        row("numeric unit refused", "numeric", {QStringLiteral("5")}, "{}", {QStringLiteral("5 kg")}, false);
        row("numeric words refused", "numeric", {QStringLiteral("5")}, "{}", {QStringLiteral("five")}, false);
        row("numeric nan refused", "numeric", {QStringLiteral("5")}, "{}", {QStringLiteral("nan")}, false);
        row("numeric alternatives", "numeric", {QStringLiteral("1"), QStringLiteral("2")}, "{}", {QStringLiteral("2")}, true);
        // regex: the whole text.
        row("regex full", "regex", {QStringLiteral("\\d{4}")}, "{}", {QStringLiteral("2004")}, true);
        row("regex partial is not enough", "regex", {QStringLiteral("\\d{4}")}, "{}", {QStringLiteral("in 2004")}, false);
        row("regex alternation anchored", "regex", {QStringLiteral("a|b")}, "{}", {QStringLiteral("ab")}, false);
        row("regex any pattern", "regex", {QStringLiteral("x"), QStringLiteral("(?i)paris")}, "{}", {QStringLiteral("PARIS")}, true);
        row("regex invalid pattern fails", "regex", {QStringLiteral("(")}, "{}", {QStringLiteral("(")}, false);
        // contains: case-insensitive.
        row("contains", "contains", paris, "{}", {QStringLiteral("The answer is paris.")}, true);
        row("contains missing", "contains", paris, "{}", {QStringLiteral("The answer is Lyon.")}, false);
        row("contains any", "contains", {QStringLiteral("x"), QStringLiteral("LYON")}, "{}", {QStringLiteral("lyon")}, true);
    }

    void grade()
    {
        QFETCH(QString, grader);
        QFETCH(QStringList, answers);
        QFETCH(QString, extra);
        QFETCH(QStringList, predicted);
        QFETCH(bool, passed);
        const Task task = genericTask(grader, answers, nlohmann::json::parse(extra.toStdString()));
        auto g = Grader::forTask(task);
        QVERIFY(g.ok());
        const Outcome outcome = (*g)->grade(task, predicted);
        QVERIFY2(outcome.passed == passed, qPrintable(outcome.evidence));
        QCOMPARE(outcome.score, passed ? 1.0 : 0.0);
        QCOMPARE(outcome.evidence.isEmpty(), passed);
    }

    void evidence_data()
    {
        QTest::addColumn<QString>("grader");
        QTest::addColumn<QStringList>("answers");
        QTest::addColumn<QString>("predicted");
        QTest::addColumn<QString>("evidence");
        QTest::newRow("exact") << QStringLiteral("exact") << QStringList{QStringLiteral("Paris")} << QStringLiteral("paris")
                               << QStringLiteral("expected \"Paris\", got \"paris\"");
        QTest::newRow("exact alternatives") << QStringLiteral("exact") << QStringList{QStringLiteral("a"), QStringLiteral("b")}
                                            << QStringLiteral("c") << QStringLiteral("expected one of [\"a\", \"b\"], got \"c\"");
        QTest::newRow("numeric") << QStringLiteral("numeric") << QStringList{QStringLiteral("12.5")} << QStringLiteral("12.7")
                                 << QStringLiteral("expected 12.5 (within 1e-06), got 12.7");
        QTest::newRow("not a number") << QStringLiteral("numeric") << QStringList{QStringLiteral("12.5")} << QStringLiteral("about 12")
                                      << QStringLiteral("expected 12.5 (within 1e-06), got \"about 12\", which is not a number");
        QTest::newRow("regex") << QStringLiteral("regex") << QStringList{QStringLiteral("\\d+")} << QStringLiteral("x")
                               << QStringLiteral("expected a full match of \"\\\\d+\", got \"x\"");
        QTest::newRow("contains") << QStringLiteral("contains") << QStringList{QStringLiteral("Paris")} << QStringLiteral("Lyon")
                                  << QStringLiteral("expected text containing \"Paris\" (any case), got \"Lyon\"");
    }

    void evidence()
    {
        QFETCH(QString, grader);
        QFETCH(QStringList, answers);
        QFETCH(QString, predicted);
        QFETCH(QString, evidence);
        const Task task = genericTask(grader, answers);
        const Outcome outcome = (*Grader::forTask(task))->grade(task, {predicted});
        QVERIFY(!outcome.passed);
        QCOMPARE(outcome.evidence, evidence);
    }

    void numberParsing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<double>("value");
        QTest::newRow("int") << QStringLiteral("42") << true << 42.0;
        QTest::newRow("spaces") << QStringLiteral(" 42 ") << true << 42.0;
        QTest::newRow("grouped") << QStringLiteral("1,000") << true << 1000.0;
        QTest::newRow("grouped decimals") << QStringLiteral("-12,345.25") << true << -12345.25;
        QTest::newRow("bad group") << QStringLiteral("1,00") << false << 0.0;
        QTest::newRow("leading comma group") << QStringLiteral("1234,567") << false << 0.0;
        QTest::newRow("decimal comma") << QStringLiteral("3,5") << false << 0.0;
        QTest::newRow("percent") << QStringLiteral("50%") << false << 0.0;
        QTest::newRow("inf") << QStringLiteral("inf") << false << 0.0;
        QTest::newRow("overflow") << QStringLiteral("1e400") << false << 0.0;
    }

    void numberParsing()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(double, value);
        const auto parsed = GenericGrader::parseNumber(text);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(*parsed, value);
    }

    void tolerance()
    {
        QCOMPARE(GenericGrader::tolerance(genericTask(QStringLiteral("numeric"), {})), 1e-6);
        QCOMPARE(GenericGrader::tolerance(genericTask(QStringLiteral("numeric"), {}, {{"tolerance", 0.25}})), 0.25);
        QCOMPARE(GenericGrader::tolerance(genericTask(QStringLiteral("numeric"), {}, {{"tolerance", "big"}})), 1e-6);
    }
};

QTEST_GUILESS_MAIN(tst_GenericGrader)
#include "tst_GenericGrader.moc"
