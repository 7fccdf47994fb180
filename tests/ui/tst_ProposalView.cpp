#include "models/DiffModel.h"
#include "models/IntralineDiff.h"
#include "views/DiffDelegate.h"
#include "views/ProposalView.h"

#include <QAbstractItemModelTester>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace sg;

namespace {

QByteArray body(std::initializer_list<int> changed = {})
{
    QByteArray out;
    for (int i = 1; i <= 20; ++i) {
        const bool hit = std::find(changed.begin(), changed.end(), i) != changed.end();
        out += (hit ? "Changed step " : "Step ") + QByteArray::number(i) + " of the procedure.\n";
    }
    return out;
}

QByteArray skillMd(const QByteArray& description, std::initializer_list<int> changed = {})
{
    return "---\nname: demo\ndescription: " + description + "\n---\n\n# Demo\n\n" + body(changed);
}

const QByteArray kNotesBefore =
    "# Notes\n\nRead this when a table has merged cells.\nUse the first header row.\n";
const QByteArray kNotesAfter =
    "# Notes\n\nRead this when a table has merged cells.\nUse the last header row.\n";

// Two files, three hunks: SKILL.md's front matter (L1), its body (L2), and an L3 reference.
struct Request
{
    std::vector<TreeFile> current{
        {QStringLiteral("SKILL.md"), skillMd("Answers questions over tables."), false},
        {QStringLiteral("references/notes.md"), kNotesBefore, false}};
    ReviewRequest request;

    Request()
    {
        request.iteration = 4;
        request.proposal = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
        request.candidate = {{QStringLiteral("SKILL.md"),
                              skillMd("Answers questions over tables and workbooks.", {15}), false},
                             {QStringLiteral("references/notes.md"), kNotesAfter, false}};
        request.changedFiles = {QStringLiteral("SKILL.md"), QStringLiteral("references/notes.md")};
        request.caps.changedLines = 6;
        request.valBefore = 0.5;
        request.valAfter = 0.625;
    }
};

// Collects what the view decides.
struct Decisions
{
    std::vector<Decision> list;
    explicit Decisions(ProposalView& view)
    {
        QObject::connect(&view, &ProposalView::decided, &view,
                         [this](const Decision& d) { list.push_back(d); });
    }
};

// The old and new side of each hunk as the model shows them, whatever the mode.
std::vector<std::pair<QStringList, QStringList>> hunkSides(const DiffModel& model)
{
    std::vector<std::pair<QStringList, QStringList>> out;
    for (int row = 0; row < model.rowCount(); ++row) {
        const DiffModel::Row& r = model.row(row);
        if (r.kind == DiffModel::Kind::Hunk)
            out.emplace_back();
        if (r.kind != DiffModel::Kind::Line)
            continue;
        auto& [before, after] = out.back();
        if (model.mode() == DiffModel::Mode::SideBySide) {
            if (r.left.origin != 0)
                before << r.left.text;
            if (r.right.origin != 0)
                after << r.right.text;
            continue;
        }
        if (r.left.origin != '+')
            before << r.left.text;
        if (r.left.origin != '-')
            after << r.left.text;
    }
    return out;
}

QPushButton* button(ProposalView& view, const char* name)
{
    auto* b = view.findChild<QPushButton*>(QString::fromLatin1(name));
    if (!b)
        qFatal("no button %s", name);
    return b;
}

} // namespace

class tst_ProposalView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hunksAndLayers()
    {
        Request r;
        ProposalView view;
        view.showRequest(r.request, r.current);
        QCOMPARE(view.hunkCount(), 3);
        QCOMPARE(view.selection().hunk(0).layers, std::vector<Layer>{Layer::L1});
        QCOMPARE(view.selection().hunk(1).layers, std::vector<Layer>{Layer::L2});
        QCOMPARE(view.selection().hunk(2).layers, std::vector<Layer>{Layer::L3});
        auto* files = view.findChild<QTreeWidget*>(QStringLiteral("proposalFiles"));
        QVERIFY(files);
        QCOMPARE(files->topLevelItemCount(), 2);
        QCOMPARE(files->topLevelItem(0)->text(1), QStringLiteral("L1 L2"));
        QCOMPARE(files->topLevelItem(1)->text(1), QStringLiteral("L3"));
        const QString facts = view.findChild<QLabel*>(QStringLiteral("proposalFacts"))->text();
        QVERIFY2(facts.contains(QStringLiteral("0.500 → 0.625")), qPrintable(facts));
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("proposalTitle"))
                    ->text()
                    .contains(QStringLiteral("0123456")));
    }

    // Accept hunk 1, reject hunk 2, keep hunk 3: an Edit with exactly those files.
    void mixedSelectionIsEdit()
    {
        Request r;
        ProposalView view;
        Decisions got(view);
        view.showRequest(r.request, r.current);
        QVERIFY(!button(view, "proposalApply")->isEnabled()); // nothing rejected yet
        view.setHunkAccepted(1, false);
        QVERIFY(button(view, "proposalApply")->isEnabled());
        view.findChild<QLineEdit*>(QStringLiteral("proposalNote"))
            ->setText(QStringLiteral("body edit is task-specific"));
        QTest::mouseClick(button(view, "proposalApply"), Qt::LeftButton);
        QCOMPARE(got.list.size(), std::size_t(1));
        const Decision& d = got.list.front();
        QCOMPARE(d.kind, Decision::Kind::Edit);
        QCOMPARE(d.note, QStringLiteral("body edit is task-specific"));
        QCOMPARE(int(d.files.size()), 2);
        QCOMPARE(d.files.at(QStringLiteral("SKILL.md")),
                 skillMd("Answers questions over tables and workbooks."));
        QCOMPARE(d.files.at(QStringLiteral("references/notes.md")), kNotesAfter);
        QVERIFY(d.deleted.isEmpty());

        // One answer per request: the buttons are spent.
        QVERIFY(!view.awaitingDecision());
        QTest::mouseClick(button(view, "proposalAccept"), Qt::LeftButton);
        QCOMPARE(got.list.size(), std::size_t(1));
    }

    void allAcceptedIsAccept()
    {
        Request r;
        ProposalView view;
        Decisions got(view);
        view.showRequest(r.request, r.current);
        view.setHunkAccepted(0, false);
        view.setHunkAccepted(0, true);
        QVERIFY(!button(view, "proposalApply")->isEnabled());
        QTest::mouseClick(button(view, "proposalAccept"), Qt::LeftButton);
        QCOMPARE(got.list.size(), std::size_t(1));
        QCOMPARE(got.list.front().kind, Decision::Kind::Accept);
        QVERIFY(got.list.front().files.empty());
    }

    void fileUnticked()
    {
        Request r;
        ProposalView view;
        Decisions got(view);
        view.showRequest(r.request, r.current);
        auto* files = view.findChild<QTreeWidget*>(QStringLiteral("proposalFiles"));
        files->topLevelItem(1)->setCheckState(0, Qt::Unchecked);
        QVERIFY(!view.isHunkAccepted(2));
        view.setHunkAccepted(0, false);
        QCOMPARE(files->topLevelItem(0)->checkState(0), Qt::PartiallyChecked);
        view.applySelection();
        QCOMPARE(got.list.size(), std::size_t(1));
        const Decision& d = got.list.front();
        QCOMPARE(d.kind, Decision::Kind::Edit);
        QCOMPARE(d.files.at(QStringLiteral("SKILL.md")),
                 skillMd("Answers questions over tables.", {15}));
        QCOMPARE(d.files.at(QStringLiteral("references/notes.md")), kNotesBefore);
    }

    void newFileRejectedIsDeleted()
    {
        Request r;
        r.request.candidate.push_back({QStringLiteral("references/new.md"), "fresh\n", false});
        ProposalView view;
        Decisions got(view);
        view.showRequest(r.request, r.current);
        QCOMPARE(view.hunkCount(), 4);
        view.setFileAccepted(QStringLiteral("references/new.md"), false);
        view.applySelection();
        QCOMPARE(got.list.front().kind, Decision::Kind::Edit);
        QCOMPARE(got.list.front().deleted, QStringList{QStringLiteral("references/new.md")});
    }

    void keyboard()
    {
        Request r;
        ProposalView view;
        Decisions got(view);
        view.resize(1000, 700);
        view.show();
        view.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        view.showRequest(r.request, r.current);
        view.findChild<QListView*>(QStringLiteral("proposalDiff"))->setFocus();
        QCOMPARE(view.currentHunk(), 0);
        QTest::keyClick(&view, Qt::Key_N);
        QCOMPARE(view.currentHunk(), 1);
        QTest::keyClick(&view, Qt::Key_R);
        QVERIFY(!view.isHunkAccepted(1));
        QTest::keyClick(&view, Qt::Key_J);
        QCOMPARE(view.currentHunk(), 2);
        QTest::keyClick(&view, Qt::Key_N); // past the last hunk: stays
        QCOMPARE(view.currentHunk(), 2);
        QTest::keyClick(&view, Qt::Key_R);
        QTest::keyClick(&view, Qt::Key_A);
        QVERIFY(view.isHunkAccepted(2));
        QTest::keyClick(&view, Qt::Key_P);
        QTest::keyClick(&view, Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(view.currentHunk(), 0);
        QVERIFY(got.list.empty());
        QTest::keyClick(&view, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(got.list.size(), std::size_t(1));
        QCOMPARE(got.list.front().kind, Decision::Kind::Edit);
        QCOMPARE(got.list.front().files.at(QStringLiteral("SKILL.md")),
                 skillMd("Answers questions over tables and workbooks."));

        // The next request: Ctrl+Backspace rejects it; typing in the note is not a shortcut.
        view.showRequest(r.request, r.current);
        QVERIFY(view.awaitingDecision());
        auto* note = view.findChild<QLineEdit*>(QStringLiteral("proposalNote"));
        note->setFocus();
        QTest::keyClicks(note, QStringLiteral("nar"));
        QCOMPARE(note->text(), QStringLiteral("nar"));
        QVERIFY(view.isHunkAccepted(0));
        QTest::keyClick(&view, Qt::Key_Backspace, Qt::ControlModifier);
        QCOMPARE(got.list.size(), std::size_t(2));
        QCOMPARE(got.list.back().kind, Decision::Kind::Reject);
    }

    void clickCheckBox()
    {
        Request r;
        ProposalView view;
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showRequest(r.request, r.current);
        auto* list = view.findChild<QListView*>(QStringLiteral("proposalDiff"));
        auto* delegate = qobject_cast<DiffDelegate*>(list->itemDelegate());
        QVERIFY(delegate);
        const QModelIndex hunk = view.diffModel()->index(view.diffModel()->rowOfHunk(0));
        const QRect box = delegate->checkBoxRect(hunk, list->visualRect(hunk));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, box.center());
        QVERIFY(!view.isHunkAccepted(0));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, box.center());
        QVERIFY(view.isHunkAccepted(0));
        // A file row's box takes the whole file.
        const QModelIndex file = view.diffModel()->index(view.diffModel()->rowOfFile(0));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          delegate->checkBoxRect(file, list->visualRect(file)).center());
        QVERIFY(!view.isHunkAccepted(0));
        QVERIFY(!view.isHunkAccepted(1));
        QVERIFY(view.isHunkAccepted(2));
    }

    void sideBySideShowsTheSameHunks()
    {
        Request r;
        ProposalView view;
        view.showRequest(r.request, r.current);
        const auto unified = hunkSides(*view.diffModel());
        QCOMPARE(int(unified.size()), 3);
        view.setCurrentHunk(2);
        QTest::mouseClick(view.findChild<QToolButton*>(QStringLiteral("proposalSideBySide")),
                          Qt::LeftButton);
        QCOMPARE(view.mode(), DiffModel::Mode::SideBySide);
        QCOMPARE(view.currentHunk(), 2);
        const auto sideBySide = hunkSides(*view.diffModel());
        QCOMPARE(sideBySide, unified);
        // The changed pair sits on one row, with its changed word marked on both sides.
        bool paired = false;
        for (int row = 0; row < view.diffModel()->rowCount(); ++row) {
            const DiffModel::Row& line = view.diffModel()->row(row);
            if (line.left.origin == '-' && line.right.origin == '+' &&
                line.left.text.startsWith(QLatin1String("Use the"))) {
                const IntralineDiff::Ranges words = view.diffModel()->intraline(row);
                QCOMPARE(words.before.size(), 1);
                QCOMPARE(line.left.text.mid(words.before[0].start, words.before[0].length),
                         QStringLiteral("first"));
                QCOMPARE(line.right.text.mid(words.after[0].start, words.after[0].length),
                         QStringLiteral("last"));
                paired = true;
            }
        }
        QVERIFY(paired);
        view.setMode(DiffModel::Mode::Unified);
        QCOMPARE(hunkSides(*view.diffModel()), unified);
    }

    void modelTester()
    {
        Request r;
        ProposalView view;
        QAbstractItemModelTester tester(view.diffModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.showRequest(r.request, r.current);
        QVERIFY(view.diffModel()->rowCount() > 10);
        view.setHunkAccepted(1, false);
        view.setMode(DiffModel::Mode::SideBySide);
        view.setFileAccepted(QStringLiteral("SKILL.md"), false);
        const QModelIndex hunk = view.diffModel()->index(view.diffModel()->rowOfHunk(2));
        QVERIFY(view.diffModel()->setData(hunk, Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(hunk.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        view.clear();
        QCOMPARE(view.diffModel()->rowCount(), 0);
    }

    void editAndAccept()
    {
        Request r;
        r.current[1].data.replace("\n",
                                  "\r\n"); // a CRLF file keeps its line breaks through the editor
        r.request.candidate[1].data = QByteArray(kNotesAfter).replace("\n", "\r\n");
        ProposalView view;
        Decisions got(view);
        view.show();
        view.showRequest(r.request, r.current);
        view.setHunkAccepted(1, false);
        view.setCurrentHunk(2);
        QTest::mouseClick(button(view, "proposalEdit"), Qt::LeftButton);
        auto* dialog = view.findChild<QDialog*>(QStringLiteral("proposalEditDialog"));
        QVERIFY(dialog);
        auto* text = dialog->findChild<QPlainTextEdit*>(QStringLiteral("proposalEditText"));
        QCOMPARE(text->toPlainText(), QString::fromUtf8(kNotesAfter));
        text->setPlainText(
            QStringLiteral("# Notes\n\nUse the last header row, then check the totals.\n"));
        dialog->accept();
        QCOMPARE(got.list.size(), std::size_t(1));
        const Decision& d = got.list.front();
        QCOMPARE(d.kind, Decision::Kind::Edit);
        QCOMPARE(d.files.at(QStringLiteral("references/notes.md")),
                 QByteArray("# Notes\r\n\r\nUse the last header row, then check the totals.\r\n"));
        // The other file keeps the choice: hunk 2 (the body) rejected.
        QCOMPARE(d.files.at(QStringLiteral("SKILL.md")),
                 skillMd("Answers questions over tables and workbooks."));
    }

    void editedRequestShowsViolations()
    {
        Request r;
        r.request.edited = true;
        r.request.valAfter.reset();
        r.request.caps.violations.push_back(
            {QStringLiteral("description-words"), QStringLiteral("SKILL.md"), 3,
             QStringLiteral("the description has 61 words; keep it to 50")});
        ProposalView view;
        view.show();
        view.showRequest(r.request, r.current);
        auto* caps = view.findChild<QLabel*>(QStringLiteral("proposalCaps"));
        QVERIFY(caps->isVisible());
        QVERIFY2(caps->text().contains(QStringLiteral("Your edit breaks")),
                 qPrintable(caps->text()));
        QVERIFY(caps->text().contains(QStringLiteral("SKILL.md:3")));
        QVERIFY(caps->text().contains(QStringLiteral("keep it to 50")));
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("proposalFacts"))
                    ->text()
                    .contains(QStringLiteral("not scored")));
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("proposalTitle"))
                    ->text()
                    .contains(QStringLiteral("your edit")));
    }

    void intralineWords()
    {
        const IntralineDiff::Ranges same =
            IntralineDiff::compare(QStringLiteral("a b"), QStringLiteral("a b"));
        QVERIFY(same.before.isEmpty() && same.after.isEmpty());
        const IntralineDiff::Ranges r =
            IntralineDiff::compare(QStringLiteral("Use the first header row."),
                                   QStringLiteral("Use the last two header rows."));
        QCOMPARE(r.before.size(), 2);
        QCOMPARE(r.after.size(), 2);
        QCOMPARE(QStringLiteral("Use the last two header rows.")
                     .mid(r.after[0].start, r.after[0].length),
                 QStringLiteral("last two"));
        // Nothing in common: no word marks, the line colour says it all.
        QVERIFY(IntralineDiff::compare(QStringLiteral("alpha beta"), QStringLiteral("gamma delta"))
                    .after.isEmpty());
    }

    void wrapping()
    {
        QCOMPARE(DiffDelegate::wrapStarts(QString(), 10), QList<int>{0});
        QCOMPARE(DiffDelegate::wrapStarts(QStringLiteral("aaaa bbbb cccc"), 10),
                 (QList<int>{0, 10}));
        QCOMPARE(DiffDelegate::wrapStarts(QStringLiteral("abcdefghijklmnopqrstu"), 10),
                 (QList<int>{0, 10, 20}));
    }
};

QTEST_MAIN(tst_ProposalView)
#include "tst_ProposalView.moc"
