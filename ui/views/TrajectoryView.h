#pragma once

#include "agent/Trajectory.h"
#include "run/IterationArtifacts.h"

#include <QSet>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QTextBrowser;

namespace sg {

// One task's trajectory (DESIGN.md 2, 4.2): the outcome and the grader's evidence, tokens and
// timings on top; below, the conversation — system, user and assistant messages, each tool call
// with its arguments and each tool result in monospace. Long results (and the system prompt)
// are cut to a few lines with a link that shows the rest. Built with text cursors, not HTML, so
// a long result costs no markup parsing.
class TrajectoryView : public QWidget
{
    Q_OBJECT
public:
    explicit TrajectoryView(QWidget* parent = nullptr);

    // The tasks of `iteration` that have a trajectory, for the task picker (keeps the current
    // task when it is listed).
    void setTasks(int iteration, const QStringList& tasks);
    // `graded` is the task's line of outcomes.json when there is one (else the trajectory's own
    // outcome is shown); scores are marked "simulated" when `simulated`.
    void setTrajectory(int iteration, const Trajectory& trajectory,
                       const std::optional<TaskOutcome>& graded, bool simulated);
    // Clears the trajectory and says why (none chosen, not yet written, damaged).
    void showMessage(const QString& text);

    int iteration() const { return m_iteration; }
    QString task() const;
    bool hasTrajectory() const { return m_trajectory.has_value(); }
    QString message() const;
    // The outcome, evidence, tokens and timings as plain text.
    QString summaryText() const;
    QString conversationText() const;

    // Shows every long message in full (or cut again).
    void setExpandAll(bool expand);
    // Shows message `index` of the conversation in full.
    void expandMessage(int index);

    QTextBrowser* conversation() const { return m_conversation; }
    QComboBox* taskPicker() const { return m_taskCombo; }

Q_SIGNALS:
    // The reader picked another task in this view.
    void taskChosen(const QString& task);

private:
    void render();
    void renderSummary(const Trajectory& t);

    QComboBox* m_taskCombo = nullptr;
    QCheckBox* m_expandAll = nullptr;
    QLabel* m_iterationLabel = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_outcome = nullptr;
    QLabel* m_answer = nullptr;
    QLabel* m_evidence = nullptr;
    QLabel* m_tokens = nullptr;
    QLabel* m_timing = nullptr;
    QLabel* m_skill = nullptr;
    QWidget* m_summary = nullptr;
    QTextBrowser* m_conversation = nullptr;

    int m_iteration = -1;
    std::optional<Trajectory> m_trajectory;
    std::optional<TaskOutcome> m_graded;
    bool m_simulated = false;
    QSet<int> m_expanded; // message indices shown in full
};

} // namespace sg
