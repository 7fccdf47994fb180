#include "history/GitRepo.h"
#include "models/HistoryModel.h"
#include "run/RunLock.h"
#include "views/DiffDialog.h"
#include "views/HistoryView.h"
#include "workspace/Workspace.h"

#include "TestSupport.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTreeView>

using namespace sg;

namespace {

const QString kSkillName = QStringLiteral("history-skill");
constexpr int kWaitMs = 10000;

template <typename T> T must(Result<T> r)
{
    if (!r)
        qFatal("%s", qPrintable(r.error().text()));
    return std::move(r).value();
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

// A workspace whose skill has three versions (v1 imported, v2 and v3 edits) and one rejected
// proposal made on v2.
struct Fixture
{
    QTemporaryDir tmp;
    QString root;
    Version v1, v2, v3, rejected;

    QString skillDir() const { return root + QStringLiteral("/skill"); }
    GitRepo repo() const { return must(GitRepo::open(skillDir())); }
};

std::vector<TreeFile> withBody(std::vector<TreeFile> files, const QString& body)
{
    for (TreeFile& f : files) {
        if (f.path == QLatin1String("SKILL.md"))
            f.data = test::skillMd(kSkillName, {}, body);
    }
    return files;
}

std::unique_ptr<Fixture> makeWorkspace()
{
    auto f = std::make_unique<Fixture>();
    Workspace::CreateOptions options;
    options.skillPath = test::makeSkill(f->tmp.filePath(QStringLiteral("src")), kSkillName);
    options.origin = QStringLiteral("a test");
    f->root = f->tmp.filePath(QStringLiteral("ws"));
    Workspace ws = must(Workspace::create(f->root, options));
    GitRepo& repo = ws.repo();
    f->v1 = must(repo.version(QStringLiteral("main")));
    const auto files = must(repo.files(f->v1.sha));
    f->v2 = must(repo.commitFiles(withBody(files, QStringLiteral("Second version.\n")),
                                  QStringLiteral("Second"), {}, {}));
    f->rejected = must(repo.createProposal(QStringLiteral("r1"), 1,
                                           withBody(files, QStringLiteral("Rejected idea.\n")),
                                           QStringLiteral("Iteration 1: an idea"), {}));
    f->v3 = must(repo.commitFiles(withBody(files, QStringLiteral("Third version.\n")),
                                  QStringLiteral("Third"), {}, {}));
    return f;
}

// The view on `f`'s workspace, loaded.
bool open(HistoryView& view, const Fixture& f)
{
    QSignalSpy loaded(&view, &HistoryView::loaded);
    view.setWorkspace(f.root);
    return loaded.wait(kWaitMs);
}

} // namespace

class tst_HistoryView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsTheWorkspaceHistory()
    {
        auto f = makeWorkspace();
        HistoryView view;
        QSignalSpy failed(&view, &HistoryView::failed);
        QVERIFY(open(view, *f));
        QCOMPARE(failed.count(), 0);
        auto* tree = view.findChild<QTreeView*>(QStringLiteral("historyTree"));
        QVERIFY(tree);
        QCOMPARE(tree->model()->rowCount(), 3);
        QCOMPARE(view.selectedSha(), f->v3.sha); // the current version
        const QModelIndex v2 = view.model()->indexOfSha(f->v2.sha);
        QCOMPARE(view.model()->rowCount(v2), 1);
        QVERIFY(tree->isExpanded(v2)); // side branches are visible

        QSignalSpy selected(&view, &HistoryView::versionSelected);
        view.selectVersion(f->v1.sha);
        QCOMPARE(view.selectedSha(), f->v1.sha);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toString(), f->v1.sha);
    }

    void aFolderWithoutAWorkspaceFails()
    {
        QTemporaryDir tmp;
        HistoryView view;
        QSignalSpy failed(&view, &HistoryView::failed);
        view.setWorkspace(tmp.path());
        QVERIFY(failed.wait(kWaitMs));
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("history")));
        QCOMPARE(view.model()->rowCount(), 0);
    }

    void restoresThroughTheAction()
    {
        auto f = makeWorkspace();
        HistoryView view;
        QVERIFY(open(view, *f));
        QList<QString> asked;
        view.setConfirmRestore([&asked](const Version& v) {
            asked << v.sha;
            return true;
        });
        view.selectVersion(f->v1.sha);
        QAction* restore = view.findChild<QAction*>(QStringLiteral("restoreAction"));
        QVERIFY(restore);
        QVERIFY(restore->isEnabled());

        QSignalSpy restored(&view, &HistoryView::restored);
        QSignalSpy failed(&view, &HistoryView::failed);
        restore->trigger();
        QCOMPARE(asked, QList<QString>{f->v1.sha});
        QVERIFY(!restore->isEnabled()); // while it runs
        QVERIFY(restored.wait(kWaitMs));
        QCOMPARE(failed.count(), 0);
        const Version made = restored.at(0).at(0).value<Version>();

        GitRepo repo = f->repo();
        const Version head = must(repo.version(QStringLiteral("main")));
        QCOMPARE(head.sha, made.sha);
        QCOMPARE(head.parents, QStringList{f->v3.sha});
        QCOMPARE(head.trailer(QStringLiteral("SkillGrad-Restored-From")), f->v1.sha);
        QCOMPARE(must(repo.files(head.sha)).size(), must(repo.files(f->v1.sha)).size());
        QCOMPARE(must(repo.diff(f->v1.sha, head.sha)).size(), size_t(0)); // the same tree
        QCOMPARE(readAll(f->skillDir() + QStringLiteral("/SKILL.md")), test::skillMd(kSkillName));
        QCOMPARE(int(must(repo.versions()).size()), 4);

        // The view reloads and selects the new current version.
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->headSha(), made.sha, kWaitMs);
        QCOMPARE(view.model()->rowCount(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(view.selectedSha(), made.sha, kWaitMs);
        QVERIFY(!restore->isEnabled()); // the current version
    }

    void aDeclinedConfirmationChangesNothing()
    {
        auto f = makeWorkspace();
        HistoryView view;
        QVERIFY(open(view, *f));
        int asked = 0;
        view.setConfirmRestore([&asked](const Version&) {
            ++asked;
            return false;
        });
        view.selectVersion(f->v1.sha);
        QSignalSpy restored(&view, &HistoryView::restored);
        view.findChild<QAction*>(QStringLiteral("restoreAction"))->trigger();
        QCOMPARE(asked, 1);
        QVERIFY(!view.restoreVersion(f->v1.sha));
        QCOMPARE(asked, 2);
        // Declining starts nothing, so there is nothing to wait for.
        QVERIFY(view.restoreAction()->isEnabled());
        QCOMPARE(must(f->repo().version(QStringLiteral("main"))).sha, f->v3.sha);
        QCOMPARE(readAll(f->skillDir() + QStringLiteral("/SKILL.md")),
                 test::skillMd(kSkillName, {}, QStringLiteral("Third version.\n")));
        QCOMPARE(restored.count(), 0);
    }

    void restoreIsDisabledWhileARunIsInProgress()
    {
        auto f = makeWorkspace();
        HistoryView view;
        QVERIFY(open(view, *f));
        int asked = 0;
        view.setConfirmRestore([&asked](const Version&) {
            ++asked;
            return true;
        });
        view.selectVersion(f->v1.sha);
        QAction* restore = view.restoreAction();
        QVERIFY(restore->isEnabled());

        view.setRunInProgress(true);
        QVERIFY(!restore->isEnabled());
        QVERIFY(restore->toolTip().contains(QStringLiteral("run is in progress")));
        QSignalSpy failed(&view, &HistoryView::failed);
        QVERIFY(!view.restoreVersion(f->v1.sha));
        QCOMPARE(asked, 0);
        QCOMPARE(failed.count(), 1);

        view.setRunInProgress(false);
        QVERIFY(restore->isEnabled());

        // A run started elsewhere (the CLI) holds runs/.lock.
        auto lock = RunLock::acquire(f->root + QStringLiteral("/runs"), QStringLiteral("cli-run"));
        QVERIFY(lock);
        QVERIFY(!view.restoreVersion(f->v1.sha));
        QCOMPARE(asked, 0);
        QCOMPARE(failed.count(), 2);
        QVERIFY(failed.at(1).at(0).toString().contains(QStringLiteral("in progress")));
        QCOMPARE(must(f->repo().version(QStringLiteral("main"))).sha, f->v3.sha);
    }

    void proposalsAndTheHeadCannotBeRestored()
    {
        auto f = makeWorkspace();
        HistoryView view;
        QVERIFY(open(view, *f));
        view.setConfirmRestore([](const Version&) { return true; });
        view.selectVersion(f->rejected.sha);
        QCOMPARE(view.selectedSha(), f->rejected.sha);
        QVERIFY(!view.restoreAction()->isEnabled());
        QVERIFY(view.exportAction()->isEnabled());
        view.selectVersion(f->v3.sha);
        QVERIFY(!view.restoreAction()->isEnabled());
        QVERIFY(!view.restoreVersion(f->v3.sha));
    }

    void exportWritesAFolderAndAnArchive()
    {
        auto f = makeWorkspace();
        HistoryView view;
        QVERIFY(open(view, *f));
        QSignalSpy exported(&view, &HistoryView::exported);
        const QString out = f->tmp.filePath(QStringLiteral("out"));
        QVERIFY(view.exportVersion(f->v2.sha, out));
        QVERIFY(exported.wait(kWaitMs));
        const QString folder = out + QLatin1Char('/') + kSkillName;
        QCOMPARE(exported.at(0).at(0).toString(), folder);
        QCOMPARE(readAll(folder + QStringLiteral("/SKILL.md")),
                 test::skillMd(kSkillName, {}, QStringLiteral("Second version.\n")));

        const QString zip = f->tmp.filePath(QStringLiteral("v1.skill"));
        QVERIFY(view.exportVersion(f->v1.sha, zip));
        QVERIFY(exported.wait(kWaitMs));
        QCOMPARE(exported.at(1).at(0).toString(), zip);
        QVERIFY(QFileInfo(zip).size() > 0);

        // An existing archive is not replaced.
        QSignalSpy failed(&view, &HistoryView::failed);
        QVERIFY(view.exportVersion(f->v1.sha, zip));
        QVERIFY(failed.wait(kWaitMs));
        QCOMPARE(exported.count(), 2);
    }

    void diffDialogShowsTheDiff()
    {
        auto f = makeWorkspace();
        HistoryView view;
        QVERIFY(open(view, *f));
        view.selectVersion(f->v1.sha);
        QAction* diff = view.findChild<QAction*>(QStringLiteral("diffWithCurrentAction"));
        QVERIFY(diff && diff->isEnabled());
        diff->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(view.findChild<DiffDialog*>(QStringLiteral("diffDialog")),
                                 kWaitMs);
        auto* dialog = view.findChild<DiffDialog*>(QStringLiteral("diffDialog"));
        QVERIFY(!dialog->isModal());
        QVERIFY(dialog->windowTitle().contains(f->v1.shortSha()));
        QVERIFY(dialog->windowTitle().contains(f->v3.shortSha()));
        auto* text = dialog->findChild<QPlainTextEdit*>(QStringLiteral("diffText"));
        QVERIFY(text && text->isReadOnly());
        const QString expected = must(f->repo().unifiedDiff(f->v1.sha, f->v3.sha));
        QVERIFY(expected.contains(QStringLiteral("+Third version.")));
        QCOMPARE(text->toPlainText().trimmed(), expected.trimmed());
        QCOMPARE(dialog->patch(), expected);
    }

    void aLargeDiffIsPlainTextAndColoured()
    {
        QString patch = QStringLiteral("diff --git a/SKILL.md b/SKILL.md\n--- a/SKILL.md\n+++ "
                                       "b/SKILL.md\n@@ -1,2500 +1,2500 @@\n");
        for (int i = 0; i < 2500; ++i)
            patch += QStringLiteral("-old line %1\n+new line %1\n").arg(i);
        DiffDialog dialog;
        QElapsedTimer timer;
        timer.start();
        dialog.setDiff(QStringLiteral("a → b"), patch);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        qInfo("a 5,004-line diff shown in %lld ms", timer.elapsed());
        auto* text = dialog.findChild<QPlainTextEdit*>(QStringLiteral("diffText"));
        QVERIFY(text->document()->blockCount() >= 5004);
        auto colourOf = [text](int block) {
            const auto formats = text->document()->findBlockByNumber(block).layout()->formats();
            return formats.isEmpty() ? QColor() : formats.front().format.foreground().color();
        };
        const QColor hunk = colourOf(3), removed = colourOf(4), added = colourOf(5);
        QVERIFY(hunk.isValid() && removed.isValid() && added.isValid());
        QVERIFY(removed != added && added != hunk);
        QCOMPARE(colourOf(5003), added); // the last line, coloured without scrolling to it
    }
};

QTEST_MAIN(tst_HistoryView)
#include "tst_HistoryView.moc"
