#include "IterationInspector.h"

#include "GradientsView.h"
#include "MomentumView.h"
#include "TrajectoryView.h"

#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace sg {

namespace {

QString endingText(const QString& kind)
{
    if (kind.isEmpty())
        return IterationInspector::tr("not finished");
    return kind;
}

QString score(double value)
{
    return QString::number(value, 'f', 2);
}

} // namespace

IterationInspector::IterationInspector(QWidget* parent) : QWidget(parent)
{
    m_picker = new QComboBox(this);
    m_picker->setObjectName(QStringLiteral("iterationPicker"));
    m_picker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_picker->setToolTip(tr("The iteration to inspect; 0 is the selection pass"));
    m_refresh = new QToolButton(this);
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_refresh->setToolTip(tr("Read the run's files again"));
    m_simulated = new QLabel(tr(" SIMULATED "), this);
    m_simulated->setObjectName(QStringLiteral("inspectorSimulated"));
    m_simulated->setStyleSheet(
        QStringLiteral("background:#b9770e; color:white; font-weight:bold; border-radius:3px;"));
    m_simulated->setToolTip(
        tr("This run uses the offline sim provider: its scores and texts are synthetic"));
    m_simulated->hide();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("inspectorStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);

    auto* top = new QHBoxLayout;
    auto* pickerLabel = new QLabel(tr("&Iteration:"), this);
    pickerLabel->setBuddy(m_picker);
    top->addWidget(pickerLabel);
    top->addWidget(m_picker);
    top->addWidget(m_refresh);
    top->addWidget(m_simulated);
    top->addWidget(m_status, 1);

    m_errors = new QLabel(this);
    m_errors->setObjectName(QStringLiteral("inspectorErrors"));
    m_errors->setWordWrap(true);
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setStyleSheet(QStringLiteral(
        "background:#fdecea; color:#8a1c12; border:1px solid #e6b0aa; padding:4px;"));
    m_errors->hide();

    m_gradients = new GradientsView(this);
    m_gradients->setObjectName(QStringLiteral("gradientsView"));
    m_momentum = new MomentumView(this);
    m_momentum->setObjectName(QStringLiteral("momentumView"));
    m_trajectory = new TrajectoryView(this);
    m_trajectory->setObjectName(QStringLiteral("trajectoryView"));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("inspectorTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->insertTab(GradientsTab, m_gradients, tr("Gradients"));
    m_tabs->insertTab(MomentumTab, m_momentum, tr("Momentum"));
    m_tabs->insertTab(TrajectoryTab, m_trajectory, tr("Trajectory"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_errors);
    layout->addWidget(m_tabs, 1);

    connect(&m_loadWatcher, &QFutureWatcherBase::finished, this, &IterationInspector::onLoaded);
    connect(&m_trajectoryWatcher, &QFutureWatcherBase::finished, this,
            &IterationInspector::onTrajectoryLoaded);
    connect(m_refresh, &QToolButton::clicked, this, &IterationInspector::refresh);
    connect(m_picker, &QComboBox::activated, this,
            [this](int index) { showIteration(m_picker->itemData(index).toInt()); });
    connect(m_gradients, &GradientsView::trajectoryRequested, this,
            [this](const QString& task) { showTrajectory(iteration(), task); });
    connect(m_momentum, &MomentumView::trajectoryRequested, this,
            [this](const QString& task) { showTrajectory(iteration(), task); });
    connect(m_trajectory, &TrajectoryView::taskChosen, this,
            [this](const QString& task) { showTrajectory(m_trajectory->iteration(), task); });
    showRunMessage(tr("No run to inspect: start a run, or pick one to follow."));
}

// The jobs hold copies of what they read; the widget may go while one still runs.
IterationInspector::~IterationInspector() = default;

void IterationInspector::setRun(const QString& runDir)
{
    m_runDir = runDir;
    m_requested = -1;
    m_follow = true;
    m_latest = -1;
    m_artifacts.reset();
    m_trajectoryIteration = -1;
    m_trajectoryTask.clear();
    m_waitingTrajectory.reset();
    m_picker->clear();
    m_trajectory->setTasks(0, {});
    if (runDir.isEmpty()) {
        showRunMessage(tr("No run to inspect: start a run, or pick one to follow."));
        return;
    }
    showRunMessage(tr("Reading %1…").arg(QDir(runDir).dirName()));
    startLoad();
}

void IterationInspector::showIteration(int iteration)
{
    if (m_runDir.isEmpty())
        return;
    m_requested = iteration;
    // Picking the newest iteration means "follow the run" again.
    m_follow = iteration < 0 || (m_latest >= 0 && iteration >= m_latest);
    startLoad();
}

void IterationInspector::showTrajectory(int iteration, const QString& task)
{
    if (m_runDir.isEmpty() || task.isEmpty())
        return;
    m_tabs->setCurrentIndex(TrajectoryTab);
    // A reader of a trajectory stays on its iteration while the run goes on (picking the newest
    // iteration follows the run again).
    m_follow = false;
    if (iteration != this->iteration() || m_requested != iteration) {
        m_requested = iteration;
        startLoad();
    }
    m_trajectoryIteration = iteration;
    m_trajectoryTask = task;
    startTrajectoryLoad();
}

void IterationInspector::refresh()
{
    if (m_runDir.isEmpty())
        return;
    if (m_follow)
        m_requested = -1;
    startLoad();
    // A trajectory that was not written yet may be there now; written ones never change.
    if (m_trajectoryIteration >= 0 && !m_trajectory->hasTrajectory())
        startTrajectoryLoad();
}

bool IterationInspector::isLoading() const
{
    return m_loadWatcher.isRunning() || m_trajectoryWatcher.isRunning();
}

QString IterationInspector::statusText() const
{
    return m_status->text();
}

QString IterationInspector::errorText() const
{
    return m_errors->isHidden() ? QString() : m_errors->text();
}

IterationInspector::Snapshot IterationInspector::readSnapshot(const QString& runDir, int iteration)
{
    Snapshot s;
    s.runDir = runDir;
    s.requested = iteration;
    s.iterations = IterationArtifacts::iterations(runDir);
    if (s.iterations.empty()) {
        s.error = Error{QStringLiteral("no iteration has started yet"),
                        QStringLiteral("the selection pass writes iter-0000 first"), runDir,
                        QStringLiteral("not-found")};
        return s;
    }
    for (int i : s.iterations) {
        const auto decision = IterationArtifacts::readDecision(runDir, i);
        s.endings[i] = decision.value ? decision.value->kind : QString();
    }
    const int shown =
        iteration < 0 || iteration > s.iterations.back() ? s.iterations.back() : iteration;
    auto current = IterationArtifacts::load(runDir, shown);
    if (!current) {
        s.error = current.error();
        return s;
    }
    s.current = std::move(current).value();
    if (shown > 0) {
        if (auto previous = IterationArtifacts::load(runDir, shown - 1))
            s.previous = std::move(previous).value();
    }
    return s;
}

IterationInspector::TrajectoryLoad
IterationInspector::readTrajectory(const QString& runDir, int iteration, const QString& task)
{
    TrajectoryLoad t;
    t.runDir = runDir;
    t.iteration = iteration;
    t.task = task;
    auto read = IterationArtifacts::trajectory(runDir, iteration, task);
    if (read)
        t.trajectory = std::move(read).value();
    else
        t.error = read.error();
    return t;
}

void IterationInspector::startLoad()
{
    if (m_loadWatcher.isRunning()) {
        m_loadAgain = true; // once this one is in, with what is asked for now
        return;
    }
    m_loadAgain = false;
    m_loadWatcher.setFuture(
        QtConcurrent::run(&IterationInspector::readSnapshot, m_runDir, m_requested));
}

void IterationInspector::onLoaded()
{
    const Snapshot snapshot = m_loadWatcher.result();
    // Shown when it is what is asked for now (refreshes during a load only re-read the same),
    // dropped when another run or iteration was asked for meanwhile.
    const bool current = snapshot.runDir == m_runDir && snapshot.requested == m_requested;
    const bool again = m_loadAgain;
    if (again)
        startLoad();
    if (current)
        apply(snapshot);
}

void IterationInspector::apply(const Snapshot& snapshot)
{
    updatePicker(snapshot);
    if (!snapshot.current) {
        m_artifacts.reset();
        showRunMessage(snapshot.error ? snapshot.error->text() : tr("Nothing to show."));
        Q_EMIT loaded();
        return;
    }
    const IterationArtifacts& a = *snapshot.current;
    m_artifacts = a;
    m_picker->setCurrentIndex(m_picker->findData(a.iteration()));

    m_gradients->setArtifacts(a);
    const bool comparable = snapshot.previous.has_value();
    const IterationArtifacts none;
    m_momentum->setArtifacts(a, a.changesSince(comparable ? *snapshot.previous : none),
                             comparable ? snapshot.previous->iteration() : -1);
    const QString shownTask = m_trajectory->task();
    const int shownIteration = m_trajectory->iteration();
    m_trajectory->setTasks(a.iteration(), a.trajectoryTasks());
    if (m_waitingTrajectory) {
        const TrajectoryLoad waiting = *m_waitingTrajectory;
        m_waitingTrajectory.reset();
        if (waiting.iteration == a.iteration() && waiting.task == m_trajectoryTask)
            showLoadedTrajectory(waiting);
    }
    // Keep looking at the same task when the reader moves to another iteration.
    if (shownIteration != a.iteration() && m_trajectoryIteration != a.iteration() &&
        !shownTask.isEmpty() && a.trajectoryTasks().contains(shownTask)) {
        m_trajectoryIteration = a.iteration();
        m_trajectoryTask = shownTask;
        startTrajectoryLoad();
    }

    QStringList errors;
    for (const Error& e : a.errors())
        errors << e.text();
    m_errors->setText(
        errors.isEmpty()
            ? QString()
            : tr("Some files of iteration %1 could not be read; the rest is shown.\n%2")
                  .arg(a.iteration())
                  .arg(errors.join(QLatin1Char('\n'))));
    m_errors->setVisible(!errors.isEmpty());
    updateStatus();
    Q_EMIT loaded();
}

void IterationInspector::updatePicker(const Snapshot& snapshot)
{
    m_latest = snapshot.iterations.empty() ? -1 : snapshot.iterations.back();
    const QSignalBlocker block(m_picker);
    const int current = m_picker->currentData().isValid() ? m_picker->currentData().toInt() : -1;
    m_picker->clear();
    for (int i : snapshot.iterations) {
        const auto ending = snapshot.endings.find(i);
        const QString kind = ending == snapshot.endings.end() ? QString() : ending->second;
        m_picker->addItem(
            i == 0 ? tr("0 — selection pass") : tr("%1 — %2").arg(i).arg(endingText(kind)), i);
    }
    m_picker->setCurrentIndex(m_picker->findData(current));
}

void IterationInspector::updateStatus()
{
    if (!m_artifacts)
        return;
    const IterationArtifacts& a = *m_artifacts;
    m_simulated->setVisible(a.isSimulated());
    const QString simulated = a.isSimulated() ? tr(" (simulated)") : QString();
    QStringList parts;
    const auto& outcomes = a.outcomes();
    const QString what = a.iteration() == 0 ? tr("train pool") : tr("batch");
    if (outcomes.value)
        parts << tr("%1: %2 of %3 passed%4")
                     .arg(what)
                     .arg(outcomes.value->passed)
                     .arg(outcomes.value->total)
                     .arg(simulated);
    else if (outcomes.missing())
        parts << (a.batch().value
                      ? tr("%1: %2 %3 running")
                            .arg(what)
                            .arg(a.batch().value->size())
                            .arg(a.batch().value->size() == 1 ? tr("task") : tr("tasks"))
                      : tr("%1: not yet graded").arg(what));
    if (a.iteration() > 0) {
        const auto& decision = a.decision();
        if (decision.value) {
            const DecisionInfo& d = *decision.value;
            QString text = d.by.isEmpty() ? d.kind : tr("%1 (%2)").arg(d.kind, d.by);
            if (d.valBefore && d.valAfter)
                text +=
                    tr(" · val %1 → %2%3").arg(score(*d.valBefore), score(*d.valAfter), simulated);
            parts << text;
        } else if (decision.missing()) {
            parts << tr("not finished: no decision yet");
        }
        if (a.proposal().value && a.proposal().value->escalation)
            parts << tr("escalation");
    }
    m_status->setText(parts.join(QStringLiteral(" · ")));
}

void IterationInspector::showRunMessage(const QString& text)
{
    m_simulated->hide();
    m_errors->hide();
    m_status->setText(text);
    m_gradients->showMessage(text);
    m_momentum->showMessage(text);
    m_trajectory->showMessage(text);
}

void IterationInspector::startTrajectoryLoad()
{
    if (m_trajectoryWatcher.isRunning()) {
        m_trajectoryAgain = true;
        return;
    }
    m_trajectoryAgain = false;
    m_trajectoryWatcher.setFuture(QtConcurrent::run(&IterationInspector::readTrajectory, m_runDir,
                                                    m_trajectoryIteration, m_trajectoryTask));
}

void IterationInspector::onTrajectoryLoaded()
{
    const TrajectoryLoad t = m_trajectoryWatcher.result();
    if (m_trajectoryAgain)
        startTrajectoryLoad();
    if (t.runDir != m_runDir || t.iteration != m_trajectoryIteration || t.task != m_trajectoryTask)
        return;
    if (!t.trajectory) {
        const bool notYet = t.error && t.error->code == QLatin1String("not-found");
        m_trajectory->showMessage(notYet ? tr("Not yet: %1 has no trajectory in iteration %2 so "
                                              "far; it appears when the task has finished.")
                                               .arg(t.task)
                                               .arg(t.iteration)
                                         : tr("The trajectory of %1 could not be read — %2")
                                               .arg(t.task, t.error ? t.error->text() : QString()));
        Q_EMIT trajectoryShown();
        return;
    }
    if ((!m_artifacts || m_artifacts->iteration() != t.iteration) && m_loadWatcher.isRunning()) {
        // Its iteration is still loading: show it with the grader's line once that is in.
        m_waitingTrajectory = t;
        return;
    }
    showLoadedTrajectory(t);
}

void IterationInspector::showLoadedTrajectory(const TrajectoryLoad& t)
{
    std::optional<TaskOutcome> graded;
    if (m_artifacts && m_artifacts->iteration() == t.iteration && m_artifacts->outcomes().value)
        if (const TaskOutcome* o = m_artifacts->outcomes().value->find(t.task))
            graded = *o;
    const bool simulated = m_artifacts && m_artifacts->isSimulated();
    m_trajectory->setTrajectory(t.iteration, *t.trajectory, graded, simulated);
    Q_EMIT trajectoryShown();
}

} // namespace sg
