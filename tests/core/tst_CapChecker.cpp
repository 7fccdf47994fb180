#include "optim/CapChecker.h"
#include "skill/SkillPackage.h"
#include "tasks/Task.h"

#include <QTest>

using namespace sg;

namespace {

using Files = QMap<QString, QByteArray>;

const QString kSkillMd = QStringLiteral("SKILL.md");
const QString kDescription = QStringLiteral("Answers questions about tables.");
// Front matter on lines 1-4; the body starts on line 5 and this one ends on line 7.
const QString kBody = QStringLiteral("# Table QA\n\nInspect the table before answering.\n");

QByteArray skill(const QString& body, const QString& description = kDescription,
                 const QString& name = QStringLiteral("table-qa"))
{
    return QStringLiteral("---\nname: %1\ndescription: %2\n---\n%3")
        .arg(name, description, body)
        .toUtf8();
}

// The base skill with one more body line, which lands on SKILL.md line 8.
Files withLine(const QString& line)
{
    return {{kSkillMd, skill(kBody + line + QLatin1Char('\n'))}};
}

QString words(int n)
{
    QStringList out;
    for (int i = 0; i < n; ++i)
        out << QStringLiteral("w%1").arg(i);
    return out.join(QLatin1Char(' '));
}

QString lines(int n, const QString& stem = QStringLiteral("Rule"))
{
    QString out;
    for (int i = 1; i <= n; ++i)
        out += QStringLiteral("%1 %2: check the column type.\n").arg(stem).arg(i);
    return out;
}

SkillPackage package(const Files& files)
{
    SkillFiles f;
    f.origin = QStringLiteral("memory");
    f.rootName = QStringLiteral("skill"); // as in a workspace: the name comes from the context
    for (auto it = files.begin(); it != files.end(); ++it)
        f.files.push_back({it.key(), it.value(), false});
    return SkillPackage::fromFiles(std::move(f));
}

// The batch of every row: gold answers, ids and questions to leak.
const std::vector<Task>& tasks()
{
    static const std::vector<Task> all = [] {
        std::vector<Task> out(3);
        out[0].id = QStringLiteral("nt-12");
        out[0].prompt = QStringLiteral("Which team won the most games in the season?");
        out[0].answers = {QStringLiteral("Lions")};
        out[1].id = QStringLiteral("nt-345");
        out[1].prompt = QStringLiteral("In what year did the club first reach the final?");
        out[1].answers = {QStringLiteral("2004")};
        // Too short to be told apart from ordinary text: answers "no" and "12", id "q7".
        out[2].id = QStringLiteral("q7");
        out[2].prompt = QStringLiteral("How many rows are there?");
        out[2].answers = {QStringLiteral("no"), QStringLiteral("12")};
        return out;
    }();
    return all;
}

CapContext context(int changedLineCap = 40, bool escalation = false, bool allowScripts = false)
{
    CapContext c;
    c.skillName = QStringLiteral("table-qa");
    for (const Task& t : tasks())
        c.batch.push_back(&t);
    c.changedLineCap = changedLineCap;
    c.escalation = escalation;
    c.allowScripts = allowScripts;
    return c;
}

QStringList where(const CapReport& report)
{
    QStringList out;
    for (const CapViolation& v : report.violations)
        out << QStringLiteral("%1@%2:%3").arg(v.cap, v.file).arg(v.line);
    return out;
}

} // namespace

class tst_CapChecker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // One row per cap and boundary: the two versions, the run's settings, and exactly the
    // violations expected ("cap@file:line"), with the changed and moved line counts (-1: any).
    void caps_data()
    {
        QTest::addColumn<Files>("before");
        QTest::addColumn<Files>("after");
        QTest::addColumn<int>("cap");
        QTest::addColumn<bool>("escalation");
        QTest::addColumn<bool>("allowScripts");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<int>("changed");
        QTest::addColumn<int>("moved");
        const Files base{{kSkillMd, skill(kBody)}};
        const QStringList none;
        const auto only = [](const char* v) {
            return QStringList{QString::fromUtf8(v)};
        };

        QTest::newRow("unchanged") << base << base << 40 << false << false << none << 0 << 0;

        // L1 and the spec.
        QTest::newRow("description 50 words") << base << Files{{kSkillMd, skill(kBody, words(50))}}
                                              << 40 << false << false << none << 2 << 0;
        QTest::newRow("description 51 words")
            << base << Files{{kSkillMd, skill(kBody, words(51))}} << 40 << false << false
            << only("description-words@SKILL.md:3") << 2 << 0;
        QTest::newRow("bad name")
            << base << Files{{kSkillMd, skill(kBody, kDescription, QStringLiteral("Table_QA"))}}
            << 40 << false << false
            << QStringList{QStringLiteral("spec@SKILL.md:2"), QStringLiteral("spec@SKILL.md:2")}
            << 2 << 0;
        QTest::newRow("name differs from the workspace's")
            << base << Files{{kSkillMd, skill(kBody, kDescription, QStringLiteral("other"))}} << 40
            << false << false << only("spec@SKILL.md:2") << 2 << 0;
        QTest::newRow("front matter broken")
            << base << Files{{kSkillMd, "---\nname: table-qa\n" + kBody.toUtf8()}} << 40 << false
            << false << only("spec@SKILL.md:1") << -1 << -1;

        // L2 length: under the cap, not at it.
        QTest::newRow("body 499 lines")
            << Files{{kSkillMd, skill(lines(499))}} << Files{{kSkillMd, skill(lines(499))}} << 40
            << false << false << none << 0 << 0;
        QTest::newRow("body 500 lines")
            << Files{{kSkillMd, skill(lines(500))}} << Files{{kSkillMd, skill(lines(500))}} << 40
            << false << false << only("body-lines@SKILL.md:504") << 0 << 0;

        // Pointers and orphans.
        const QByteArray notes = "# Notes\n\nJoin tables on their keys.\n";
        QTest::newRow("orphan L3 file")
            << base
            << Files{{kSkillMd, skill(kBody)}, {QStringLiteral("references/notes.md"), notes}} << 40
            << false << false << only("orphan@references/notes.md:0") << 2 << 0;
        Files pointed = withLine(
            QStringLiteral("Read references/notes.md when tables must be joined. Skip when not."));
        pointed[QStringLiteral("references/notes.md")] = notes;
        QTest::newRow("L3 file pointed to")
            << base << pointed << 40 << false << false << none << 3 << 0;
        QTest::newRow("broken pointer")
            << base << withLine(QStringLiteral("Read references/missing.md when stuck.")) << 40
            << false << false << only("pointer@SKILL.md:8") << 1 << 0;
        QTest::newRow("pointer out of references/")
            << base << withLine(QStringLiteral("See [x](references/../../x.md).")) << 40 << false
            << false << only("pointer@SKILL.md:8") << 1 << 0;

        // Task-specific lines: the three kinds, and look-alikes that must not match.
        const QStringList leak = only("task-specific@SKILL.md:8");
        QTest::newRow("gold answer")
            << base << withLine(QStringLiteral("Check the Lions row first.")) << 40 << false
            << false << leak << 1 << 0;
        QTest::newRow("gold answer, other case")
            << base << withLine(QStringLiteral("check the LIONS row first.")) << 40 << false
            << false << leak << 1 << 0;
        QTest::newRow("gold answer inside a word")
            << base << withLine(QStringLiteral("Lionsgate tables list studios.")) << 40 << false
            << false << none << 1 << 0;
        QTest::newRow("gold number")
            << base << withLine(QStringLiteral("Years such as 2004 are numbers.")) << 40 << false
            << false << leak << 1 << 0;
        QTest::newRow("gold number inside a number")
            << base << withLine(QStringLiteral("Codes such as 20045 are ids.")) << 40 << false
            << false << none << 1 << 0;
        QTest::newRow("task id") << base << withLine(QStringLiteral("As in nt-12, count the rows."))
                                 << 40 << false << false << leak << 1 << 0;
        QTest::newRow("task id inside a longer id")
            << base << withLine(QStringLiteral("As in nt-123, count the rows.")) << 40 << false
            << false << none << 1 << 0;
        QTest::newRow("4 question words")
            << base << withLine(QStringLiteral("Ask which team won the title.")) << 40 << false
            << false << leak << 1 << 0;
        QTest::newRow("4 question words, punctuation and case")
            << base << withLine(QStringLiteral("WHICH team: won, the...")) << 40 << false << false
            << leak << 1 << 0;
        QTest::newRow("3 question words")
            << base << withLine(QStringLiteral("Ask which team won, then check.")) << 40 << false
            << false << none << 1 << 0;
        QTest::newRow("short answers and ids")
            << base << withLine(QStringLiteral("If unsure answer no; see q7 and row 12.")) << 40
            << false << false << none << 1 << 0;
        Files inL3 = withLine(QStringLiteral(
            "Read references/years.md when a value looks like a year. Skip when not."));
        inL3[QStringLiteral("references/years.md")] = "# Years\nA year like 2004 is a number.\n";
        QTest::newRow("gold answer in L3") << base << inL3 << 40 << false << false
                                           << only("task-specific@references/years.md:2") << 3 << 0;
        const Files withLions = withLine(QStringLiteral("Check the Lions row first."));
        QTest::newRow("gold answer already in the skill")
            << withLions
            << Files{{kSkillMd,
                      skill(kBody + QStringLiteral("Check the Lions row first.\nThen verify.\n"))}}
            << 40 << false << false << none << 1 << 0;
        Files lionsLifted{
            {kSkillMd,
             skill(kBody +
                   QStringLiteral("Read references/checks.md when checking. Skip when not.\n"))},
            {QStringLiteral("references/checks.md"), "Check the Lions row first.\n"}};
        QTest::newRow("gold answer line moved to L3")
            << withLions << lionsLifted << 40 << false << false << none << 2 << 1;

        // Changed lines: the learning rate.
        QTest::newRow("40 lines added") << base << Files{{kSkillMd, skill(kBody + lines(40))}} << 40
                                        << false << false << none << 40 << 0;
        QTest::newRow("41 lines added") << base << Files{{kSkillMd, skill(kBody + lines(41))}} << 40
                                        << false << false << only("changed-lines@:0") << 41 << 0;
        QString spaced;
        for (const QString& l : lines(40).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            spaced += l + QStringLiteral("\n\n");
        QTest::newRow("blank lines do not count")
            << base << Files{{kSkillMd, skill(kBody + spaced)}} << 40 << false << false << none
            << 40 << 0;
        QTest::newRow("20 lines replaced")
            << Files{{kSkillMd, skill(kBody + lines(20))}}
            << Files{{kSkillMd, skill(kBody + lines(20, QStringLiteral("Step")))}} << 40 << false
            << false << none << 40 << 0;
        QTest::newRow("21 lines replaced")
            << Files{{kSkillMd, skill(kBody + lines(21))}}
            << Files{{kSkillMd, skill(kBody + lines(21, QStringLiteral("Step")))}} << 40 << false
            << false << only("changed-lines@:0") << 42 << 0;
        QTest::newRow("cap is the run's")
            << base << Files{{kSkillMd, skill(kBody + lines(11))}} << 10 << false << false
            << only("changed-lines@:0") << 11 << 0;
        QTest::newRow("CRLF only") << base << Files{{kSkillMd, skill(kBody).replace("\n", "\r\n")}}
                                   << 40 << false << false << none << 0 << 0;

        // Moves: 30 lines lifted from L2 into a new L3 file, plus the one pointer line.
        const QString block = lines(30, QStringLiteral("Date rule"));
        const Files beforeLift{{kSkillMd, skill(kBody + QStringLiteral("\n") + block)}};
        const Files lifted{
            {kSkillMd,
             skill(kBody +
                   QStringLiteral(
                       "\nRead references/dates.md when a value is a date. Skip when not.\n"))},
            {QStringLiteral("references/dates.md"), block.toUtf8()}};
        QTest::newRow("lift to L3 counts the block once")
            << beforeLift << lifted << 40 << false << false << none << 31 << 30;
        QTest::newRow("lift to L3 over a cap of 30")
            << beforeLift << lifted << 30 << false << false << only("changed-lines@:0") << 31 << 30;
        QTest::newRow("lift to L3 on escalation")
            << beforeLift << lifted << 30 << true << false << none << 1 << 30;
        // A block moved within SKILL.md, past a longer section, is also a move.
        const QString other = lines(35, QStringLiteral("Output rule"));
        const Files beforeMove{{kSkillMd, skill(kBody + block + other)}};
        const Files afterMove{{kSkillMd, skill(kBody + other + block)}};
        QTest::newRow("block moved within SKILL.md")
            << beforeMove << afterMove << 40 << false << false << none << 30 << 30;
        QTest::newRow("block moved within SKILL.md, escalation")
            << beforeMove << afterMove << 40 << true << false << none << 0 << 30;

        // scripts/, assets/ and files outside the layout.
        Files script = base;
        script[QStringLiteral("scripts/run.py")] = "print(1)\nprint(2)\n";
        Files scriptEdited = base;
        scriptEdited[QStringLiteral("scripts/run.py")] = "print(1)\nprint(3)\n";
        QTest::newRow("script changed") << script << scriptEdited << 40 << false << false
                                        << only("scripts@scripts/run.py:2") << 2 << 0;
        QTest::newRow("script changed, scripts allowed")
            << script << scriptEdited << 40 << false << true << none << 2 << 0;
        QTest::newRow("script added")
            << base << script << 40 << false << false << only("scripts@scripts/run.py:0") << 2 << 0;
        QTest::newRow("script deleted")
            << script << base << 40 << false << false << only("scripts@scripts/run.py:0") << 2 << 0;
        QTest::newRow("script line endings changed")
            << script
            << Files{{kSkillMd, skill(kBody)},
                     {QStringLiteral("scripts/run.py"), "print(1)\r\nprint(2)\r\n"}}
            << 40 << false << false << only("scripts@scripts/run.py:0") << 0 << 0;
        Files asset = base;
        asset[QStringLiteral("assets/logo.png")] = QByteArray("\x89PNG\0\1\2", 7);
        Files assetEdited = base;
        assetEdited[QStringLiteral("assets/logo.png")] = QByteArray("\x89PNG\0\1\3", 7);
        QTest::newRow("binary asset changed counts one line")
            << asset << assetEdited << 40 << false << false << none << 1 << 0;
        Files readme = base;
        readme[QStringLiteral("README.md")] = "# About\n\nA skill.\n";
        QTest::newRow("new top-level file")
            << base << readme << 40 << false << false << none << 2 << 0;
    }

    void caps()
    {
        QFETCH(Files, before);
        QFETCH(Files, after);
        QFETCH(int, cap);
        QFETCH(bool, escalation);
        QFETCH(bool, allowScripts);
        QFETCH(QStringList, expected);
        QFETCH(int, changed);
        QFETCH(int, moved);
        const CapReport report = CapChecker::check(package(before), package(after),
                                                   context(cap, escalation, allowScripts));
        QVERIFY2(where(report) == expected, qPrintable(report.text()));
        QCOMPARE(report.ok(), expected.isEmpty());
        if (changed >= 0)
            QCOMPARE(report.changedLines, changed);
        if (moved >= 0)
            QCOMPARE(report.movedLines, moved);
        for (const CapViolation& v : report.violations) {
            QVERIFY2(v.message.contains(QLatin1Char(':')),
                     qPrintable(v.message)); // what is wrong: what to do
            QVERIFY(v.file.isEmpty() == (v.cap == QLatin1String("changed-lines")));
        }
    }

    // The message names the task and the kind of leak, never the gold answer itself.
    void taskSpecificMessages_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("answer") << "Check the Lions row first."
                                << "this line holds a gold answer of task nt-12; L2 lines must "
                                   "apply broadly: state the general rule, "
                                   "not this task's values or wording";
        QTest::newRow("id") << "As in nt-345, find the year."
                            << "this line names task nt-345; L2 lines";
        QTest::newRow("question")
            << "Which team won the game?"
            << "this line copies 4 words in a row from the question of task nt-12; L2";
        QTest::newRow("two kinds, two tasks")
            << "Which team won the title in 2004?"
            << "this line copies 4 words in a row from the question of task nt-12 and holds a "
               "gold answer of task nt-345; L2";
    }

    void taskSpecificMessages()
    {
        QFETCH(QString, line);
        QFETCH(QString, expected);
        const Files base{{kSkillMd, skill(kBody)}};
        const CapReport report =
            CapChecker::check(package(base), package(withLine(line)), context());
        QCOMPARE(report.violations.size(), std::size_t(1));
        QVERIFY2(report.violations[0].message.startsWith(expected),
                 qPrintable(report.violations[0].message));
        for (const Task& t : tasks()) {
            for (const QString& answer : t.answers) {
                if (answer.size() >= 3) // "12" is part of "nt-12"
                    QVERIFY2(!report.violations[0].message.contains(answer, Qt::CaseInsensitive),
                             qPrintable(answer));
            }
        }
    }

    void textAndJson()
    {
        const Files base{{kSkillMd, skill(kBody)}};
        const Files after{
            {kSkillMd,
             skill(kBody + QStringLiteral("Read references/missing.md when stuck.\n") + lines(41),
                   words(51))}};
        const CapReport report = CapChecker::check(package(base), package(after), context());
        QCOMPARE(where(report), (QStringList{QStringLiteral("description-words@SKILL.md:3"),
                                             QStringLiteral("pointer@SKILL.md:8"),
                                             QStringLiteral("changed-lines@:0")}));
        const QStringList text = report.text().split(QLatin1Char('\n'));
        QCOMPARE(text.size(), 3);
        QCOMPARE(text[0], QStringLiteral(
                              "SKILL.md:3: description-words: the description has 51 words; the "
                              "cap is 50: say what the "
                              "skill does and when to use it, and move the details into the body"));
        QCOMPARE(text[1], QStringLiteral("SKILL.md:8: pointer: pointer-broken: "
                                         "references/missing.md is pointed to but does not exist "
                                         "(create the file or fix the path)"));
        QVERIFY2(text[2].startsWith(QStringLiteral("changed-lines: 44 lines changed")),
                 qPrintable(text[2]));
        QVERIFY2(text[2].contains(QStringLiteral("SKILL.md 44")), qPrintable(text[2]));

        const nlohmann::json j = report.toJson();
        QCOMPARE(j.size(), std::size_t(4));
        QCOMPARE(j.at("ok").get<bool>(), false);
        QCOMPARE(j.at("changed_lines").get<int>(), 44);
        QCOMPARE(j.at("moved_lines").get<int>(), 0);
        const auto& violations = j.at("violations");
        QVERIFY(violations.is_array());
        QCOMPARE(violations.size(), std::size_t(3));
        QCOMPARE(violations[1].size(), std::size_t(4));
        QCOMPARE(violations[1].at("cap").get<std::string>(), std::string("pointer"));
        QCOMPARE(violations[1].at("file").get<std::string>(), std::string("SKILL.md"));
        QCOMPARE(violations[1].at("line").get<int>(), 8);
        QCOMPARE(QString::fromStdString(violations[1].at("message").get<std::string>()),
                 report.violations[1].message);
        QCOMPARE(violations[2].at("file").get<std::string>(), std::string());
        QCOMPARE(violations[2].at("line").get<int>(), 0);

        const nlohmann::json clean =
            CapChecker::check(package(base), package(base), context()).toJson();
        QCOMPARE(clean.dump(),
                 std::string(R"({"changed_lines":0,"moved_lines":0,"ok":true,"violations":[]})"));
    }
};

QTEST_GUILESS_MAIN(tst_CapChecker)
#include "tst_CapChecker.moc"
