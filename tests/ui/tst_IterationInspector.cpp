#include "TestSupport.h"

#include "models/DiagnosisModel.h"
#include "models/PatternModel.h"
#include "views/GradientsView.h"
#include "views/IterationInspector.h"
#include "views/MomentumView.h"
#include "views/TrajectoryView.h"

#include "agent/Trajectory.h"
#include "optim/Diagnosis.h"
#include "optim/PatternRecord.h"
#include "run/IterationArtifacts.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace sg;
using namespace sg::test;

namespace {

constexpr int kWait = 10000;
constexpr int kLongResultLines = 40;

void writeJson(const QString& run, const QString& relative, const nlohmann::json& json)
{
    writeFile(run, relative, QByteArray::fromStdString(json.dump(2)));
}

Diagnosis diagnosis(const QString& task, const QString& kind, const QString& label, int iteration)
{
    return {task, kind, label,
            QStringLiteral("Prose for %1: the agent %2.")
                .arg(task, kind == QLatin1String("failure")
                               ? QStringLiteral("guessed")
                               : QStringLiteral("followed the guidance")),
            iteration};
}

Pattern pattern(const QString& id, std::vector<int> appearedIn, std::vector<int> remedies)
{
    Pattern p;
    p.id = id;
    p.summary = id + QStringLiteral(" questions answered without a method");
    p.anchor = id.mid(2) + QStringLiteral("-questions");
    p.appearedIn = std::move(appearedIn);
    for (int r : remedies)
        p.remedyLog.push_back({r, QStringLiteral("seen in %1").arg(r),
                               QStringLiteral("patch of iteration %1").arg(r)});
    return p;
}

nlohmann::json outcomes(int iteration, const std::vector<std::pair<QString, bool>>& results)
{
    nlohmann::json list = nlohmann::json::array();
    int passed = 0;
    for (const auto& [task, ok] : results) {
        passed += ok ? 1 : 0;
        list.push_back(
            {{"task", task.toStdString()},
             {"passed", ok},
             {"score", ok ? 1.0 : 0.0},
             {"end", "submitted"},
             {"error", ""},
             {"evidence", ok ? "" : "expected [\"12\"], got [\"7\"]: nothing matches \"12\""}});
    }
    return {{"iteration", iteration},
            {"passed", passed},
            {"total", int(results.size())},
            {"outcomes", list}};
}

// A trajectory with every kind of message: the system prompt, the question, tool calls with
// arguments, a long tool result and the answer.
Trajectory trajectory(const QString& task)
{
    Trajectory t;
    t.taskId = task;
    t.model = QStringLiteral("sim");
    t.messages.push_back(
        LlmMessage::system(QStringLiteral("You solve one task at a time with tools.")));
    t.messages.push_back(LlmMessage::user(QStringLiteral("Question: how many rows mention Oslo?")));
    ToolCall activate{QStringLiteral("call_1"),
                      QStringLiteral("activate_skill"),
                      nlohmann::json::object(),
                      {},
                      true};
    t.messages.push_back(
        LlmMessage::assistant(QStringLiteral("I will read the skill first."), {activate}));
    t.messages.push_back(
        LlmMessage::toolResult(activate, QStringLiteral("# Table QA\nFollow the steps.")));
    ToolCall sql{QStringLiteral("call_2"),
                 QStringLiteral("sql"),
                 {{"query", "SELECT * FROM t WHERE city = 'Oslo'"}},
                 {},
                 true};
    t.messages.push_back(LlmMessage::assistant(QStringLiteral("Looking at the table."), {sql}));
    QStringList rows;
    for (int i = 0; i < kLongResultLines; ++i)
        rows << QStringLiteral("row %1 | Oslo | %2").arg(i).arg(i * 7);
    t.messages.push_back(LlmMessage::toolResult(sql, rows.join(QLatin1Char('\n'))));
    ToolCall submit{
        QStringLiteral("call_3"), QStringLiteral("submit_answer"), {{"values", {"7"}}}, {}, true};
    t.messages.push_back(LlmMessage::assistant(QStringLiteral("Submitting."), {submit}));
    t.messages.push_back(LlmMessage::toolResult(submit, QStringLiteral("Answer received.")));
    for (int i = 0; i < 3; ++i) {
        Trajectory::Turn turn;
        turn.startedMs = i * 10;
        turn.endedMs = i * 10 + 4;
        turn.inputTokens = 700 + i * 100;
        turn.outputTokens = 12;
        turn.tools.push_back({QStringLiteral("tool"), nlohmann::json::object(), {}, true, 3});
        t.turns.push_back(turn);
    }
    t.activated = true;
    t.answer = {QStringLiteral("7")};
    t.answered = true;
    t.outcome = {0.0, false,
                 QStringLiteral("expected [\"12\"], got [\"7\"]: nothing matches \"12\"")};
    t.end = Trajectory::End::Submitted;
    t.wallMs = 31;
    return t;
}

void writeIteration(const QString& run, int n, const std::vector<std::pair<QString, bool>>& results,
                    const std::vector<Diagnosis>& diagnoses, const std::vector<Pattern>& patterns,
                    const nlohmann::json& proposal)
{
    const QString dir = IterationArtifacts::folderName(n) + QLatin1Char('/');
    nlohmann::json batch = nlohmann::json::array();
    for (const auto& r : results) {
        batch.push_back(r.first.toStdString());
        writeJson(run, dir + QStringLiteral("trajectories/%1.json").arg(r.first),
                  trajectory(r.first).toJson());
    }
    writeJson(run, dir + QStringLiteral("batch.json"),
              {{"iteration", n}, {"tasks", batch}, {"skill", "abc"}});
    writeJson(run, dir + QStringLiteral("outcomes.json"), outcomes(n, results));
    writeJson(run, dir + QStringLiteral("diagnoses.json"), Diagnosis::listJson(diagnoses));
    PatternRecord record;
    record.patterns = patterns;
    writeJson(run, dir + QStringLiteral("pattern_record.json"), record.toJson());
    Overlay overlay;
    overlay.iteration = n;
    overlay.themes = {QStringLiteral("Answers are not checked against the table")};
    for (const Diagnosis& d : diagnoses)
        overlay.entries.push_back({d.task,
                                   d.kind == QLatin1String("failure") ? QStringLiteral("failure")
                                                                      : QStringLiteral("success"),
                                   patterns.front().id, patterns.front().anchor,
                                   QStringLiteral("no method"), QStringLiteral("add a method")});
    writeJson(run, dir + QStringLiteral("overlay.json"), overlay.toJson());
    writeJson(run, dir + QStringLiteral("proposal.json"), proposal);
    writeJson(run, dir + QStringLiteral("decision.json"),
              {{"iteration", n},
               {"kind", "accepted"},
               {"by", "auto"},
               {"val_before", 0.5},
               {"val_after", 0.6}});
}

// A simulated run of three iterations after the selection pass. Iteration 2 against 1:
// p-counting seen again, p-lookup unchanged, p-comparison new, p-old gone. Iteration 3:
// p-counting (seen in 1, 2, 3 after the remedy of 1) escalated; p-lookup's escalation is due.
QString makeRun(const QTemporaryDir& tmp)
{
    const QString run = tmp.filePath(QStringLiteral("runs/optimize-test"));
    writeJson(run, QStringLiteral("run.json"),
              {{"id", "optimize-test"},
               {"kind", "optimize"},
               {"status", "running"},
               {"config", {{"simulated", true}}}});
    writeJson(
        run, QStringLiteral("iter-0000/outcomes.json"),
        {{"iteration", 0},
         {"outcomes",
          {{{"task", "nt-1"}, {"passed", false}, {"score", 0.0}, {"evidence", "expected 12"}}}}});
    writeJson(run, QStringLiteral("iter-0000/trajectories/nt-1.json"),
              trajectory(QStringLiteral("nt-1")).toJson());

    const QString failure = QStringLiteral("failure");
    writeIteration(run, 1,
                   {{QStringLiteral("nt-1"), false},
                    {QStringLiteral("nt-2"), false},
                    {QStringLiteral("nt-3"), false}},
                   {diagnosis(QStringLiteral("nt-1"), failure,
                              QStringLiteral("Counting questions lack guidance"), 1),
                    diagnosis(QStringLiteral("nt-2"), failure,
                              QStringLiteral("Lookup questions lack guidance"), 1),
                    diagnosis(QStringLiteral("nt-3"), failure,
                              QStringLiteral("Counting questions lack guidance"), 1)},
                   {pattern(QStringLiteral("p-counting"), {1}, {1}),
                    pattern(QStringLiteral("p-lookup"), {1}, {1}),
                    pattern(QStringLiteral("p-old"), {1}, {})},
                   {{"escalation", false}, {"patterns", {"p-counting", "p-lookup"}}});
    writeIteration(run, 2,
                   {{QStringLiteral("nt-1"), true},
                    {QStringLiteral("nt-2"), false},
                    {QStringLiteral("nt-10"), false}},
                   {diagnosis(QStringLiteral("nt-1"), QStringLiteral("contrastive"),
                              QStringLiteral("Counting guidance was followed"), 2),
                    diagnosis(QStringLiteral("nt-2"), failure,
                              QStringLiteral("Lookup questions lack guidance"), 2),
                    diagnosis(QStringLiteral("nt-10"), failure,
                              QStringLiteral("Comparison questions lack guidance"), 2)},
                   {pattern(QStringLiteral("p-counting"), {1, 2}, {1}),
                    pattern(QStringLiteral("p-lookup"), {1}, {1}),
                    pattern(QStringLiteral("p-comparison"), {2}, {})},
                   {{"escalation", false}, {"patterns", {"p-counting", "p-comparison"}}});
    writeIteration(run, 3, {{QStringLiteral("nt-3"), false}, {QStringLiteral("nt-2"), false}},
                   {diagnosis(QStringLiteral("nt-3"), failure,
                              QStringLiteral("Counting questions lack guidance"), 3),
                    diagnosis(QStringLiteral("nt-2"), failure,
                              QStringLiteral("Lookup questions lack guidance"), 3)},
                   {pattern(QStringLiteral("p-counting"), {1, 2, 3}, {1}),
                    pattern(QStringLiteral("p-lookup"), {1, 2, 3}, {1}),
                    pattern(QStringLiteral("p-comparison"), {2}, {2})},
                   {{"escalation", true},
                    {"patterns", {"p-counting"}},
                    {"summary", {{"patterns_addressed", {"p-counting"}}}}});
    return run;
}

IterationArtifacts load(const QString& run, int iteration)
{
    auto a = IterationArtifacts::load(run, iteration);
    if (!a)
        qFatal("%s", qPrintable(a.error().text()));
    return a.value();
}

QStringList column(const QAbstractItemModel* model, int column, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int row = 0; row < model->rowCount(); ++row)
        out << model->index(row, column).data(role).toString();
    return out;
}

} // namespace

// The iteration inspector over a hand-made run folder: diagnoses listed and filtered, the
// pattern record with its changes and escalations, a trajectory's tool calls and evidence, and
// damaged or half-written files shown as such.
class tst_IterationInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void gradientsListAndFilterDiagnoses()
    {
        QTemporaryDir tmp;
        const QString run = makeRun(tmp);
        GradientsView view;
        QAbstractItemModelTester modelTester(
            view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester filterTester(
            view.filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(700, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setArtifacts(load(run, 2));

        const QAbstractItemModel* shown = view.table()->model();
        QCOMPARE(shown->rowCount(), 3);
        // Natural task order: nt-10 after nt-2.
        QCOMPARE(
            column(shown, DiagnosisModel::TaskColumn),
            (QStringList{QStringLiteral("nt-1"), QStringLiteral("nt-2"), QStringLiteral("nt-10")}));
        QCOMPARE(view.selectedTask(), QStringLiteral("nt-1"));
        QVERIFY(view.detailText().contains(QStringLiteral("Prose for nt-1")));
        QVERIFY(view.detailText().contains(QStringLiteral("the answer matched")));

        view.setKindFilter(QStringLiteral("failure"));
        QCOMPARE(column(shown, DiagnosisModel::TaskColumn),
                 (QStringList{QStringLiteral("nt-2"), QStringLiteral("nt-10")}));
        QCOMPARE(column(shown, DiagnosisModel::KindColumn, DiagnosisModel::KindRole),
                 (QStringList{QStringLiteral("failure"), QStringLiteral("failure")}));
        // The selected row was filtered out: the first one left is shown.
        QCOMPARE(view.selectedTask(), QStringLiteral("nt-2"));
        QVERIFY(view.detailText().contains(QStringLiteral("Grader evidence: expected [\"12\"]")));
        view.setKindFilter(QStringLiteral("contrastive"));
        QCOMPARE(column(shown, DiagnosisModel::TaskColumn), QStringList{QStringLiteral("nt-1")});

        view.setKindFilter(QString());
        view.setLabelFilter(QStringLiteral("comparison"));
        QCOMPARE(column(shown, DiagnosisModel::TaskColumn), QStringList{QStringLiteral("nt-10")});
        QCOMPARE(view.selectedTask(), QStringLiteral("nt-10"));
        view.setKindFilter(QStringLiteral("contrastive"));
        QCOMPARE(shown->rowCount(), 0);
        QVERIFY(view.detailText().isEmpty());
        view.setKindFilter(QString());
        view.setLabelFilter(QString());
        QCOMPARE(shown->rowCount(), 3);
        // The label picker offers the iteration's labels.
        auto* labels = view.findChild<QComboBox*>(QStringLiteral("labelFilter"));
        QVERIFY(labels);
        QVERIFY(labels->findText(QStringLiteral("Lookup questions lack guidance")) > 0);

        // Double-clicking a diagnosis asks for its trajectory.
        QSignalSpy requested(&view, &GradientsView::trajectoryRequested);
        view.selectTask(QStringLiteral("nt-2"));
        const QModelIndex index = view.table()->currentIndex();
        // The view takes a double click only on the row the press before it hit.
        QTest::mousePress(view.table()->viewport(), Qt::LeftButton, {},
                          view.table()->visualRect(index).center());
        QTest::mouseDClick(view.table()->viewport(), Qt::LeftButton, {},
                           view.table()->visualRect(index).center());
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toString(), QStringLiteral("nt-2"));

        // Reloading keeps the filters and the selection.
        view.setKindFilter(QStringLiteral("failure"));
        view.setArtifacts(load(run, 2));
        QCOMPARE(shown->rowCount(), 2);
        QCOMPARE(view.selectedTask(), QStringLiteral("nt-2"));
    }

    void momentumHighlightsChangesSinceThePreviousIteration()
    {
        QTemporaryDir tmp;
        const QString run = makeRun(tmp);
        MomentumView view;
        QAbstractItemModelTester tester(view.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(900, 600);
        const IterationArtifacts now = load(run, 2);
        const IterationArtifacts before = load(run, 1);
        view.setArtifacts(now, now.changesSince(before), 1);

        const PatternModel* model = view.model();
        QCOMPARE(column(model, PatternModel::IdColumn),
                 (QStringList{QStringLiteral("p-counting"), QStringLiteral("p-lookup"),
                              QStringLiteral("p-comparison")}));
        const auto change = [model](const QString& id) {
            return PatternModel::Change(
                model->index(model->rowOf(id), 0).data(PatternModel::ChangeRole).toInt());
        };
        const auto background = [model](const QString& id) {
            return model->index(model->rowOf(id), PatternModel::AnchorColumn)
                .data(Qt::BackgroundRole);
        };
        QCOMPARE(change(QStringLiteral("p-counting")), PatternModel::Change::Changed);
        QCOMPARE(change(QStringLiteral("p-lookup")), PatternModel::Change::Unchanged);
        QCOMPARE(change(QStringLiteral("p-comparison")), PatternModel::Change::New);
        QCOMPARE(background(QStringLiteral("p-comparison")).value<QBrush>().color(),
                 PatternModel::newColor());
        QCOMPARE(background(QStringLiteral("p-counting")).value<QBrush>().color(),
                 PatternModel::changedColor());
        QVERIFY(!background(QStringLiteral("p-lookup")).isValid());
        QCOMPARE(
            model->index(model->rowOf(QStringLiteral("p-counting")), PatternModel::StatusColumn)
                .data()
                .toString(),
            QStringLiteral("seen again"));
        QCOMPARE(
            model->index(model->rowOf(QStringLiteral("p-comparison")), PatternModel::StatusColumn)
                .data()
                .toString(),
            QStringLiteral("new"));
        QCOMPARE(model->index(0, PatternModel::AppearedColumn)
                     .data(PatternModel::AppearedInRole)
                     .value<QList<int>>(),
                 (QList<int>{1, 2}));
        QCOMPARE(model->index(0, PatternModel::RemedyColumn).data().toString(),
                 QStringLiteral("iter 1: patch of iteration 1"));
        // The pattern gone since iteration 1 is named in the legend.
        QVERIFY(view.legendText().contains(QStringLiteral("iteration 1")));
        QVERIFY(view.legendText().contains(QStringLiteral("p-old")));
        // No escalation in iteration 2.
        for (int row = 0; row < model->rowCount(); ++row)
            QCOMPARE(model->index(row, 0).data(PatternModel::EscalationRole).toInt(),
                     int(PatternModel::Escalation::None));

        // The overlay below, as overlay.json has it.
        QCOMPARE(view.overlayTable()->rowCount(), 3);
        QCOMPARE(view.overlayTable()->item(0, 0)->text(), QStringLiteral("nt-1"));
        QCOMPARE(view.overlayTable()->item(0, 1)->text(), QStringLiteral("success"));
        QVERIFY(view.themesText().contains(
            QStringLiteral("Answers are not checked against the table")));
        QSignalSpy requested(&view, &MomentumView::trajectoryRequested);
        Q_EMIT view.overlayTable()->cellDoubleClicked(1, 3);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toString(), QStringLiteral("nt-2"));

        // Iteration 3: p-counting came back after its remedy and the proposal escalated it;
        // p-lookup needs it too, but the proposal did not address it.
        const IterationArtifacts third = load(run, 3);
        view.setArtifacts(third, third.changesSince(now), 2);
        const auto escalation = [model](const QString& id) {
            return PatternModel::Escalation(
                model->index(model->rowOf(id), 0).data(PatternModel::EscalationRole).toInt());
        };
        QCOMPARE(escalation(QStringLiteral("p-counting")), PatternModel::Escalation::Escalated);
        QCOMPARE(escalation(QStringLiteral("p-lookup")), PatternModel::Escalation::None);
        QCOMPARE(escalation(QStringLiteral("p-comparison")), PatternModel::Escalation::None);
        const QModelIndex counting =
            model->index(model->rowOf(QStringLiteral("p-counting")), PatternModel::IdColumn);
        QVERIFY(!counting.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(counting.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Escalated:")));
        QVERIFY(model->index(counting.row(), PatternModel::StatusColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("escalated")));
        QVERIFY(
            model->index(model->rowOf(QStringLiteral("p-comparison")), PatternModel::StatusColumn)
                .data()
                .toString()
                .contains(QStringLiteral("new remedy")));
        QVERIFY(!view.legendText().contains(QStringLiteral("gone")));
        // Before the patcher has run, both are due.
        QVERIFY(QFile::remove(QDir(run).filePath(QStringLiteral("iter-0003/proposal.json"))));
        const IterationArtifacts unpatched = load(run, 3);
        view.setArtifacts(unpatched, unpatched.changesSince(now), 2);
        QCOMPARE(escalation(QStringLiteral("p-counting")), PatternModel::Escalation::Due);
        QCOMPARE(escalation(QStringLiteral("p-lookup")), PatternModel::Escalation::Due);
        QVERIFY(model->index(model->rowOf(QStringLiteral("p-lookup")), PatternModel::StatusColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("escalation due")));
        // The bar delegate paints every row.
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.grab().isNull());
    }

    void inspectorLoadsIterationsAndShowsATrajectory()
    {
        QTemporaryDir tmp;
        const QString run = makeRun(tmp);
        IterationInspector inspector;
        inspector.resize(900, 700);
        inspector.show();
        QSignalSpy loaded(&inspector, &IterationInspector::loaded);
        inspector.setRun(run);
        QVERIFY(loaded.wait(kWait));
        // The latest iteration first; the picker lists them all with how they ended.
        QCOMPARE(inspector.iteration(), 3);
        QCOMPARE(inspector.iterationPicker()->count(), 4);
        QCOMPARE(inspector.iterationPicker()->itemText(0), QStringLiteral("0 — selection pass"));
        QCOMPARE(inspector.iterationPicker()->itemText(2), QStringLiteral("2 — accepted"));
        QVERIFY(inspector.statusText().contains(QStringLiteral("0 of 2 passed (simulated)")));
        QVERIFY(inspector.errorText().isEmpty());

        inspector.showIteration(2);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(inspector.iteration(), 2);
        QCOMPARE(inspector.gradientsView()->model()->rowCount(), 3);
        QCOMPARE(inspector.momentumView()->model()->rowCount(), 3);

        // A diagnosis asks for its trajectory: the Trajectory tab shows it.
        QSignalSpy shown(&inspector, &IterationInspector::trajectoryShown);
        Q_EMIT inspector.gradientsView()->trajectoryRequested(QStringLiteral("nt-2"));
        QVERIFY(shown.wait(kWait));
        QCOMPARE(inspector.tabs()->currentIndex(), int(IterationInspector::TrajectoryTab));
        TrajectoryView* view = inspector.trajectoryView();
        QCOMPARE(view->task(), QStringLiteral("nt-2"));
        QCOMPARE(view->iteration(), 2);
        const QString summary = view->summaryText();
        QVERIFY2(summary.contains(QStringLiteral("expected [\"12\"], got [\"7\"]")),
                 qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("(simulated)")));
        QVERIFY(summary.contains(QLocale().toString(2400) +
                                 QStringLiteral(" in · 36 out over 3 model turns")));
        QVERIFY(summary.contains(QStringLiteral("31 ms wall")));
        const QString text = view->conversationText();
        QVERIFY(text.contains(QStringLiteral("→ activate_skill")));
        QVERIFY(text.contains(QStringLiteral("→ sql")));
        QVERIFY(text.contains(QStringLiteral("query: SELECT * FROM t WHERE city = 'Oslo'")));
        QVERIFY(text.contains(QStringLiteral("Tool result: sql")));
        QVERIFY(text.contains(QStringLiteral("Final answer: [\"7\"]")));
        // The long result is cut, with a link to the rest.
        QVERIFY(text.contains(QStringLiteral("row 0 | Oslo")));
        QVERIFY(!text.contains(QStringLiteral("row 39 | Oslo")));
        QVERIFY(text.contains(QStringLiteral("more lines — show all")));
        Q_EMIT view->conversation()->anchorClicked(QUrl(QStringLiteral("expand:5")));
        QVERIFY(view->conversationText().contains(QStringLiteral("row 39 | Oslo")));
        QVERIFY(!view->conversationText().contains(QStringLiteral("more lines — show all")));

        // A new iteration of the run does not take the reader away from the trajectory.
        writeJson(run, QStringLiteral("iter-0004/batch.json"),
                  {{"iteration", 4}, {"tasks", {"nt-5"}}});
        inspector.refresh();
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(inspector.iterationPicker()->count(), 5);
        QCOMPARE(inspector.iteration(), 2);
        QCOMPARE(view->task(), QStringLiteral("nt-2"));

        // Another iteration keeps showing the same task when it has one.
        inspector.showIteration(1);
        QVERIFY(loaded.wait(kWait));
        QTRY_COMPARE_WITH_TIMEOUT(view->iteration(), 1, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(view->hasTrajectory(), kWait);
        QCOMPARE(view->task(), QStringLiteral("nt-2"));

        // A task without a trajectory says so.
        inspector.showTrajectory(1, QStringLiteral("nt-77"));
        QVERIFY(shown.wait(kWait));
        QVERIFY(view->message().startsWith(QStringLiteral("Not yet")));
    }

    void aRunInProgressShowsNotYetAndFollowsNewIterations()
    {
        QTemporaryDir tmp;
        const QString run = makeRun(tmp);
        IterationInspector inspector;
        QSignalSpy loaded(&inspector, &IterationInspector::loaded);
        inspector.setRun(run);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(inspector.iteration(), 3);

        // Iteration 4 starts: only its batch is written.
        writeJson(run, QStringLiteral("iter-0004/batch.json"),
                  {{"iteration", 4}, {"tasks", {"nt-5", "nt-6"}}});
        inspector.refresh();
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(inspector.iteration(), 4); // followed
        QCOMPARE(inspector.iterationPicker()->itemText(4), QStringLiteral("4 — not finished"));
        QVERIFY(inspector.gradientsView()->message().startsWith(QStringLiteral("Not yet")));
        QVERIFY(inspector.momentumView()->message().startsWith(QStringLiteral("Not yet")));
        QVERIFY(inspector.statusText().contains(QStringLiteral("2 tasks running")));
        QVERIFY(inspector.errorText().isEmpty());

        // The reader picks an earlier iteration: new ones no longer move the view.
        inspector.showIteration(1);
        QVERIFY(loaded.wait(kWait));
        writeJson(run, QStringLiteral("iter-0005/batch.json"),
                  {{"iteration", 5}, {"tasks", {"nt-7"}}});
        inspector.refresh();
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(inspector.iteration(), 1);
        QCOMPARE(inspector.iterationPicker()->count(), 6);

        // The selection pass has trajectories but no diagnoses.
        inspector.showIteration(0);
        QVERIFY(loaded.wait(kWait));
        QVERIFY(inspector.gradientsView()->message().contains(QStringLiteral("selection pass")));
        QCOMPARE(inspector.trajectoryView()->taskPicker()->count(), 1);
    }

    void aDamagedFileShowsAnErrorNotACrash()
    {
        QTemporaryDir tmp;
        const QString run = makeRun(tmp);
        writeFile(run, QStringLiteral("iter-0002/diagnoses.json"),
                  "{\"diagnoses\": [{\"task\": \"nt-");
        writeFile(run, QStringLiteral("iter-0002/trajectories/nt-2.json"), "[]");
        IterationInspector inspector;
        QSignalSpy loaded(&inspector, &IterationInspector::loaded);
        inspector.setRun(run);
        QVERIFY(loaded.wait(kWait));
        inspector.showIteration(2);
        QVERIFY(loaded.wait(kWait));
        QVERIFY2(inspector.errorText().contains(
                     QStringLiteral("iter-0002/diagnoses.json: is not valid JSON")),
                 qPrintable(inspector.errorText()));
        QVERIFY(inspector.gradientsView()->message().contains(QStringLiteral("could not be read")));
        QCOMPARE(inspector.gradientsView()->model()->rowCount(), 0);
        // The iteration's other files are still shown.
        QCOMPARE(inspector.momentumView()->model()->rowCount(), 3);

        QSignalSpy shown(&inspector, &IterationInspector::trajectoryShown);
        inspector.showTrajectory(2, QStringLiteral("nt-2"));
        QVERIFY(shown.wait(kWait));
        QVERIFY(!inspector.trajectoryView()->hasTrajectory());
        QVERIFY2(inspector.trajectoryView()->message().contains(
                     QStringLiteral("iter-0002/trajectories/nt-2.json")),
                 qPrintable(inspector.trajectoryView()->message()));

        // A run folder that is not there.
        inspector.setRun(tmp.filePath(QStringLiteral("runs/none")));
        QVERIFY(loaded.wait(kWait));
        QVERIFY(inspector.statusText().contains(QStringLiteral("no iteration has started yet")));
        QCOMPARE(inspector.iteration(), -1);
    }
};

QTEST_MAIN(tst_IterationInspector)
#include "tst_IterationInspector.moc"
