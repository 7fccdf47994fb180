#include "TestSupport.h"
#include "views/NewWorkspaceWizard.h"
#include "workspace/Workspace.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace sg;
using namespace sg::test;

namespace {

constexpr int kCheckMs = 30000;
constexpr int kCreateMs = 60000;

QString labelText(const QWidget& w, const QString& name)
{
    const auto* label = w.findChild<QLabel*>(name);
    return label ? label->text() : QStringLiteral("<no label %1>").arg(name);
}

// The rules the findings list shows, as the validator names them in its tooltips' text.
QStringList findingTexts(const QWidget& w)
{
    QStringList out;
    const auto* tree = w.findChild<QTreeWidget*>(QStringLiteral("skillFindings"));
    for (int i = 0; tree && i < tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = tree->topLevelItem(i);
        out << item->text(0) + QLatin1Char(' ') + item->text(1) + QLatin1Char(' ') + item->text(2);
    }
    return out;
}

bool nextEnabled(const QWizard& wizard)
{
    return wizard.button(QWizard::NextButton)->isEnabled();
}

// A SKILL.md without a description whose body points at a reference that does not exist.
QByteArray brokenSkillMd()
{
    return QByteArrayLiteral("---\nname: broken-skill\n---\n# Steps\n\n1. Read [the "
                             "guide](references/guide.md) first.\n");
}

void writeTasks(const QString& file, int count)
{
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += QStringLiteral(
                     "{\"id\": \"t-%1\", \"prompt\": \"What is %1 + 1?\", \"answer\": \"%2\"}\n")
                     .arg(i)
                     .arg(i + 1)
                     .toUtf8();
    writeFile(QFileInfo(file).absolutePath(), QFileInfo(file).fileName(), lines);
}

} // namespace

class tst_NewWorkspaceWizard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exampleThroughAllPagesCreatesAWorkspace()
    {
        QTemporaryDir tmp;
        const QString target = tmp.filePath(QStringLiteral("ws"));
        NewWorkspaceWizard wizard;
        QCOMPARE(wizard.objectName(), QStringLiteral("newWorkspaceWizard"));
        wizard.show();
        QCOMPARE(wizard.currentId(), int(NewWorkspaceWizard::SkillPageId));
        QTRY_VERIFY_WITH_TIMEOUT(nextEnabled(wizard), kCheckMs); // the bundled example is valid
        QVERIFY2(
            labelText(wizard, QStringLiteral("skillStatus")).contains(QStringLiteral("table-qa")),
            qPrintable(labelText(wizard, QStringLiteral("skillStatus"))));

        wizard.button(QWizard::NextButton)->click();
        QCOMPARE(wizard.currentId(), int(NewWorkspaceWizard::TasksPageId));
        wizard.setSplit(SplitCounts{}, 7);
        QTRY_VERIFY_WITH_TIMEOUT(
            labelText(wizard, QStringLiteral("tasksStatus")).startsWith(QStringLiteral("✔")),
            kCheckMs);
        QVERIFY2(
            labelText(wizard, QStringLiteral("tasksStatus")).contains(QStringLiteral("100 tasks")),
            qPrintable(labelText(wizard, QStringLiteral("tasksStatus"))));
        QVERIFY(nextEnabled(wizard));

        wizard.button(QWizard::NextButton)->click();
        QCOMPARE(wizard.currentId(), int(NewWorkspaceWizard::ProviderPageId));
        QVERIFY(labelText(wizard, QStringLiteral("providerNote"))
                    .contains(QStringLiteral("SYNTHETIC")));
        RoleConfig optimizer;
        optimizer.provider = QStringLiteral("openai");
        optimizer.model = QStringLiteral("gpt-4o-mini");
        optimizer.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        wizard.setOptimizer(optimizer);
        QVERIFY(nextEnabled(wizard));

        wizard.button(QWizard::NextButton)->click();
        QCOMPARE(wizard.currentId(), int(NewWorkspaceWizard::LocationPageId));
        wizard.setLocation(target);
        QVERIFY(
            labelText(wizard, QStringLiteral("locationStatus")).startsWith(QStringLiteral("✔")));
        QVERIFY(
            labelText(wizard, QStringLiteral("summary")).contains(QStringLiteral("gpt-4o-mini")));
        QAbstractButton* finish = wizard.button(QWizard::FinishButton);
        QVERIFY(finish->isVisible() && finish->isEnabled());

        QSignalSpy created(&wizard, &NewWorkspaceWizard::workspaceCreated);
        finish->click();
        QVERIFY(wizard.isCreating());
        QVERIFY(!finish->isEnabled()); // one creation at a time
        QVERIFY(created.wait(kCreateMs));
        QCOMPARE(created.first().first().toString(), QDir(target).absolutePath());
        QCOMPARE(wizard.createdWorkspace(), QDir(target).absolutePath());
        QCOMPARE(wizard.result(), int(QDialog::Accepted));
        QVERIFY(!wizard.isVisible());

        auto ws = Workspace::open(target);
        QVERIFY2(ws.ok(), qPrintable(ws ? QString() : ws.error().text()));
        QCOMPARE(ws->config().skillName, QStringLiteral("table-qa"));
        QCOMPARE(ws->config().taskSource, QStringLiteral("wtq"));
        QCOMPARE(ws->config().seed, quint64(7));
        QCOMPARE(ws->config().role(QStringLiteral("executor")).provider, QStringLiteral("sim"));
        for (const QString& role :
             {QStringLiteral("failure-diagnoser"), QStringLiteral("contrastive-diagnoser"),
              QStringLiteral("momentum"), QStringLiteral("patcher")}) {
            QCOMPARE(ws->config().role(role).provider, QStringLiteral("openai"));
            QCOMPARE(ws->config().role(role).model, QStringLiteral("gpt-4o-mini"));
            QCOMPARE(ws->config().role(role).baseUrl, QStringLiteral("http://127.0.0.1:9/v1"));
        }
        auto tasks = ws->tasks();
        QVERIFY(tasks.ok());
        const Splits& splits = tasks->splits();
        QCOMPARE(splits.train.size() + splits.val.size() + splits.test.size(), qsizetype(100));
        QCOMPARE(splits.seed, quint64(7));
    }

    void brokenSkillShowsFindingsAndCreatesNothing_data()
    {
        QTest::addColumn<bool>("archive");
        QTest::newRow("folder") << false;
        QTest::newRow("archive") << true;
    }

    void brokenSkillShowsFindingsAndCreatesNothing()
    {
        QFETCH(bool, archive);
        QTemporaryDir tmp;
        QString skill;
        if (archive) {
            skill = tmp.filePath(QStringLiteral("broken-skill.zip"));
            writeZip(skill, {{QStringLiteral("broken-skill/SKILL.md"), brokenSkillMd()}});
        } else {
            skill = makeSkill(tmp.path(), QStringLiteral("broken-skill"), brokenSkillMd());
        }
        const QString target = tmp.filePath(QStringLiteral("ws"));
        const QStringList before = snapshot(tmp.path());

        NewWorkspaceWizard wizard;
        wizard.show();
        QSignalSpy checked(&wizard, &NewWorkspaceWizard::skillChecked);
        wizard.setSkillPath(skill);
        QVERIFY(checked.wait(kCheckMs));
        QCOMPARE(checked.last().first().toBool(), false);

        const QStringList findings = findingTexts(wizard);
        QVERIFY2(findings.filter(QStringLiteral("error SKILL.md")).size() >= 2,
                 qPrintable(findings.join(QLatin1Char('\n'))));
        QVERIFY2(!findings.filter(QStringLiteral("description")).isEmpty(),
                 qPrintable(findings.join(QLatin1Char('\n'))));
        QVERIFY2(!findings.filter(QStringLiteral("references/guide.md")).isEmpty(),
                 qPrintable(findings.join(QLatin1Char('\n'))));
        QVERIFY2(!findings.filter(QStringLiteral("SKILL.md:6")).isEmpty(),
                 qPrintable(findings.join(QLatin1Char('\n')))); // the pointer's line
        QVERIFY(
            labelText(wizard, QStringLiteral("skillStatus")).contains(QStringLiteral("2 errors")));
        QVERIFY(!nextEnabled(wizard));

        // Neither the disabled button nor the API gets past the skill page.
        wizard.button(QWizard::NextButton)->click();
        wizard.next();
        QCOMPARE(wizard.currentId(), int(NewWorkspaceWizard::SkillPageId));
        wizard.setLocation(target);
        QVERIFY(!QFileInfo::exists(target));
        QCOMPARE(snapshot(tmp.path()), before);

        // Fixing the skill unblocks the page.
        writeFile(archive ? tmp.filePath(QStringLiteral("fixed")) : skill,
                  QStringLiteral("SKILL.md"), skillMd(QStringLiteral("broken-skill")));
        wizard.setSkillPath(archive ? tmp.filePath(QStringLiteral("fixed")) : skill);
        QVERIFY(checked.wait(kCheckMs));
        QCOMPARE(checked.last().first().toBool(), true);
        QTRY_VERIFY(nextEnabled(wizard));
    }

    void badTasksFileShowsItsError()
    {
        QTemporaryDir tmp;
        const QString skill = makeSkill(tmp.path(), QStringLiteral("adder"));
        const QString good = tmp.filePath(QStringLiteral("tasks/tasks.jsonl"));
        writeTasks(good, 10);
        const QString bad = tmp.filePath(QStringLiteral("bad/tasks.jsonl"));
        writeFile(tmp.filePath(QStringLiteral("bad")), QStringLiteral("tasks.jsonl"),
                  QByteArrayLiteral("{\"id\": \"a\", \"prompt\": \"x\", \"answer\": "
                                    "\"1\"}\n{\"id\": \"b\", \"prompt\": \n"));

        NewWorkspaceWizard wizard;
        wizard.show();
        QSignalSpy skillChecked(&wizard, &NewWorkspaceWizard::skillChecked);
        wizard.setSkillPath(skill);
        QVERIFY(skillChecked.wait(kCheckMs));
        QTRY_VERIFY(nextEnabled(wizard));
        wizard.button(QWizard::NextButton)->click();
        QCOMPARE(wizard.currentId(), int(NewWorkspaceWizard::TasksPageId));

        QSignalSpy tasksChecked(&wizard, &NewWorkspaceWizard::tasksChecked);
        wizard.setTasks(QStringLiteral("jsonl"), good);
        QTRY_VERIFY_WITH_TIMEOUT(
            labelText(wizard, QStringLiteral("tasksStatus")).startsWith(QStringLiteral("✔")),
            kCheckMs);
        QVERIFY(
            labelText(wizard, QStringLiteral("tasksStatus")).contains(QStringLiteral("10 tasks")));
        QVERIFY(nextEnabled(wizard));

        wizard.setTasks(QStringLiteral("jsonl"), bad);
        QTRY_VERIFY_WITH_TIMEOUT(
            labelText(wizard, QStringLiteral("tasksStatus")).startsWith(QStringLiteral("✘")),
            kCheckMs);
        const QString error = labelText(wizard, QStringLiteral("tasksStatus"));
        QVERIFY2(error.contains(QStringLiteral("tasks.jsonl")) && error.contains(QLatin1Char('2')),
                 qPrintable(error)); // the file and its line
        QVERIFY(!nextEnabled(wizard));

        wizard.setTasks(QStringLiteral("jsonl"), tmp.filePath(QStringLiteral("missing.jsonl")));
        QTRY_VERIFY_WITH_TIMEOUT(labelText(wizard, QStringLiteral("tasksStatus"))
                                     .contains(QStringLiteral("missing.jsonl")),
                                 kCheckMs);
        QVERIFY(!nextEnabled(wizard));

        // Too many asked for: the split's own error.
        wizard.setTasks(QStringLiteral("jsonl"), good);
        wizard.setSplit(SplitCounts{50, -1, -1}, 1);
        QTRY_VERIFY_WITH_TIMEOUT(
            labelText(wizard, QStringLiteral("tasksStatus")).startsWith(QStringLiteral("✘")),
            kCheckMs);
        QVERIFY(!nextEnabled(wizard));

        wizard.setTasks(QString(), QString());
        QVERIFY(labelText(wizard, QStringLiteral("tasksStatus"))
                    .startsWith(QStringLiteral("No tasks")));
        QVERIFY(nextEnabled(wizard));
    }

    void nonEmptyTargetIsRefused()
    {
        QTemporaryDir tmp;
        const QString occupied = tmp.filePath(QStringLiteral("occupied"));
        writeFile(occupied, QStringLiteral("notes.txt"), "mine");
        const QString empty = tmp.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(empty));
        const QStringList before = snapshot(tmp.path());

        NewWorkspaceWizard wizard;
        wizard.show();
        QTRY_VERIFY_WITH_TIMEOUT(nextEnabled(wizard), kCheckMs);
        wizard.button(QWizard::NextButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(nextEnabled(wizard), kCheckMs);
        wizard.button(QWizard::NextButton)->click();
        wizard.button(QWizard::NextButton)->click();
        QCOMPARE(wizard.currentId(), int(NewWorkspaceWizard::LocationPageId));

        wizard.setLocation(occupied);
        QVERIFY2(labelText(wizard, QStringLiteral("locationStatus"))
                     .contains(QStringLiteral("not empty")),
                 qPrintable(labelText(wizard, QStringLiteral("locationStatus"))));
        QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());
        wizard.button(QWizard::FinishButton)->click();
        QVERIFY(!wizard.isCreating());
        QCOMPARE(snapshot(tmp.path()), before);

        wizard.setLocation(empty);
        QVERIFY(
            labelText(wizard, QStringLiteral("locationStatus")).startsWith(QStringLiteral("✔")));
        QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
    }

    void failedCreationShowsTheErrorAndLeavesNothing()
    {
        QTemporaryDir tmp;
        writeFile(tmp.path(), QStringLiteral("file"), "not a folder");
        const QString target = tmp.filePath(QStringLiteral("file/ws")); // its parent is a file
        const QStringList before = snapshot(tmp.path());

        NewWorkspaceWizard wizard;
        wizard.show();
        QTRY_VERIFY_WITH_TIMEOUT(nextEnabled(wizard), kCheckMs);
        wizard.button(QWizard::NextButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(nextEnabled(wizard), kCheckMs);
        wizard.button(QWizard::NextButton)->click();
        wizard.button(QWizard::NextButton)->click();
        wizard.setLocation(target);
        QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());

        QSignalSpy failed(&wizard, &NewWorkspaceWizard::creationFailed);
        wizard.button(QWizard::FinishButton)->click();
        QVERIFY(failed.wait(kCreateMs));
        QVERIFY(wizard.isVisible());
        QCOMPARE(wizard.currentId(), int(NewWorkspaceWizard::LocationPageId));
        QVERIFY(wizard.createdWorkspace().isEmpty());
        const QString shown = labelText(wizard, QStringLiteral("createError"));
        QVERIFY2(shown.contains(QStringLiteral("not created")), qPrintable(shown));
        QCOMPARE(snapshot(tmp.path()), before);
    }
};

QTEST_MAIN(tst_NewWorkspaceWizard)
#include "tst_NewWorkspaceWizard.moc"
