#include "MainWindow.h"
#include "models/SkillTreeModel.h"
#include "run/RunControls.h"
#include "views/HistoryView.h"
#include "views/SkillView.h"

#include "TestSupport.h"
#include "workspace/Workspace.h"

#include <QAction>
#include <QDockWidget>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QSettings>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

using namespace sg;
using namespace sg::test;

class tst_MainWindow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_settings;

private Q_SLOTS:
    void initTestCase()
    {
        // The window's settings go here, never to the person's own.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    }

    void showsTheBundledExample()
    {
        MainWindow window;
        QVERIFY(window.openSkill(sourceDir() + QStringLiteral("/resources/examples/table-qa")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.skillView()->selectedFile(), QStringLiteral("SKILL.md"));
        auto* header = window.findChild<QLabel*>(QStringLiteral("frontMatter"));
        QVERIFY(header->text().contains(QStringLiteral("table-qa")));
        QVERIFY(header->text().contains(QStringLiteral("valid")));
        auto* problems = window.findChild<QListWidget*>(QStringLiteral("problemList"));
        QCOMPARE(problems->count(), 1);
        QVERIFY(problems->item(0)->text().startsWith(QStringLiteral("No problems")));
        auto* rendered = window.findChild<QTextBrowser*>(QStringLiteral("renderedView"));
        QVERIFY(!rendered->toPlainText().contains(QStringLiteral("description:"))); // body only, front matter in the header
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("table-qa")));

        // Selecting the reference shows it.
        window.skillView()->selectFile(QStringLiteral("references/reading-tables.md"));
        auto* source = window.findChild<QPlainTextEdit*>(QStringLiteral("sourceView"));
        QVERIFY(source->toPlainText().startsWith(QStringLiteral("# ")));
    }

    void listsProblemsOfABrokenSkill()
    {
        QTemporaryDir tmp;
        const QString dir = makeSkill(tmp.path(), QStringLiteral("broken"), "---\nname: Broken\n---\nRead references/x.md now.\n");
        MainWindow window;
        QVERIFY(window.openSkill(dir));
        auto* problems = window.findChild<QListWidget*>(QStringLiteral("problemList"));
        QStringList texts;
        for (int i = 0; i < problems->count(); ++i)
            texts << problems->item(i)->text();
        QCOMPARE(problems->count(), 4); // charset, folder mismatch, no description, broken pointer
        QVERIFY(texts.join(QLatin1Char('\n')).contains(QStringLiteral("SKILL.md:2: error: name \"Broken\"")));
        QVERIFY(texts.join(QLatin1Char('\n')).contains(QStringLiteral("description")));
        QVERIFY(texts.join(QLatin1Char('\n')).contains(QStringLiteral("references/x.md")));
    }

    void opensAWorkspaceAsItsSkillUnderTheRecordedName()
    {
        QTemporaryDir tmp;
        Workspace::CreateOptions create;
        create.skillPath = sourceDir() + QStringLiteral("/resources/examples/table-qa");
        QVERIFY(Workspace::create(tmp.filePath(QStringLiteral("ws")), create));
        MainWindow window;
        QVERIFY(window.openSkill(tmp.filePath(QStringLiteral("ws"))));
        QVERIFY(window.currentSkill().endsWith(QStringLiteral("/ws/skill")));
        // skill/ is not named after the skill; the workspace's recorded name is what counts.
        auto* problems = window.findChild<QListWidget*>(QStringLiteral("problemList"));
        QCOMPARE(problems->count(), 1);
        QVERIFY2(problems->item(0)->text().startsWith(QStringLiteral("No problems")), qPrintable(problems->item(0)->text()));
    }

    void unreadablePathKeepsTheWindowUsable()
    {
        MainWindow window;
        QVERIFY(window.openSkill(sourceDir() + QStringLiteral("/resources/examples/table-qa")));
        QVERIFY(!window.openSkill(QStringLiteral("/no/such/skill")));
        // The previous skill stays open.
        QVERIFY(window.currentSkill().endsWith(QStringLiteral("table-qa")));
        QCOMPARE(window.skillView()->model()->index(0, 0).data().toString(), QStringLiteral("SKILL.md"));
    }

    void workspaceEnablesRunsAndABareSkillDoesNot()
    {
        QTemporaryDir tmp;
        Workspace::CreateOptions create;
        create.skillPath = sourceDir() + QStringLiteral("/resources/examples/table-qa");
        QVERIFY(Workspace::create(tmp.filePath(QStringLiteral("ws")), create));
        MainWindow window;
        QVERIFY(window.openPath(tmp.filePath(QStringLiteral("ws"))));
        QCOMPARE(window.workspaceRoot(), QFileInfo(tmp.filePath(QStringLiteral("ws"))).absoluteFilePath());
        QVERIFY(window.runControls()->runAction()->isEnabled());
        QCOMPARE(window.runControls()->runAction()->shortcut(), QKeySequence(Qt::Key_F5));
        QCOMPARE(window.runControls()->stepAction()->shortcut(), QKeySequence(Qt::Key_F10));
        QVERIFY(!window.runControls()->stopAction()->isEnabled()); // nothing runs
        auto* tree = window.historyView()->findChild<QTreeView*>(QStringLiteral("historyTree"));
        QTRY_COMPARE_WITH_TIMEOUT(tree->model()->rowCount(), 1, 10000);

        // A plain package has no history and no runs.
        QVERIFY(window.openPath(sourceDir() + QStringLiteral("/resources/examples/table-qa")));
        QVERIFY(window.workspaceRoot().isEmpty());
        QVERIFY(!window.runControls()->runAction()->isEnabled());
        // A folder that is not a workspace is refused, and the window stays as it was.
        QVERIFY(!window.openWorkspace(tmp.path()));
        QVERIFY(window.currentSkill().endsWith(QStringLiteral("table-qa")));
    }

    void layoutIsRestored()
    {
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.findChild<QDockWidget*>(QStringLiteral("logDock"))->hide();
            window.resize(1100, 700);
            QVERIFY(window.close());
        }
        MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(!again.findChild<QDockWidget*>(QStringLiteral("logDock"))->isVisible());
        QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("historyDock"))->isVisible());
        QCOMPARE(again.size(), QSize(1100, 700));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
