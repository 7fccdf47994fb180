#include "TrajectoryView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QTextBlockFormat>
#include <QTextBrowser>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QUrl>
#include <QVBoxLayout>

namespace sg {

namespace {

// A tool result or system prompt longer than this is cut until the reader asks for the rest.
constexpr int kPreviewLines = 12;
constexpr int kSystemPreviewLines = 3; // the same for every task of a run
constexpr int kPreviewChars = 1500;
const QString kExpandScheme = QStringLiteral("expand");

const QColor kSystemColor(0x6c, 0x75, 0x7d);
const QColor kUserColor(0x1f, 0x5f, 0xa8);
const QColor kAssistantColor(0x6f, 0x42, 0xc1);
const QColor kToolColor(0x1e, 0x84, 0x49);
const QColor kErrorColor(0xc0, 0x39, 0x2b);

QString number(qint64 n)
{
    return QLocale().toString(n);
}

QString millis(qint64 ms)
{
    return ms < 10000 ? QStringLiteral("%1 ms").arg(ms)
                      : QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

// "3–4 ms" since the task started.
QString span(qint64 fromMs, qint64 toMs)
{
    if (toMs < 10000)
        return QStringLiteral("%1–%2 ms").arg(fromMs).arg(toMs);
    return QStringLiteral("%1–%2 s")
        .arg(double(fromMs) / 1000.0, 0, 'f', 1)
        .arg(double(toMs) / 1000.0, 0, 'f', 1);
}

QString trimmedEnd(const QString& text)
{
    qsizetype end = text.size();
    while (end > 0 && text.at(end - 1).isSpace())
        --end;
    return text.left(end);
}

QString quoteList(const QStringList& values)
{
    QStringList quoted;
    for (const QString& v : values)
        quoted << QLatin1Char('"') + v + QLatin1Char('"');
    return QLatin1Char('[') + quoted.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString argumentsText(const ToolCall& call)
{
    if (!call.argumentsValid)
        return call.rawArguments + QStringLiteral("   ← not valid JSON");
    if (call.arguments.is_object() && call.arguments.empty())
        return {};
    // Code and queries read best as they were written, not as an escaped JSON string.
    if (call.arguments.is_object() && call.arguments.size() == 1) {
        const auto& [key, value] = *call.arguments.items().begin();
        if (value.is_string()) {
            const QString text = QString::fromStdString(value.get<std::string>());
            return text.contains(QLatin1Char('\n'))
                       ? QString::fromStdString(key) + QStringLiteral(":\n") + text
                       : QString::fromStdString(key) + QStringLiteral(": ") + text;
        }
    }
    return QString::fromStdString(call.arguments.dump(2));
}

// The cut of `text` shown until it is expanded; empty when it is short enough to show whole.
QString preview(const QString& text, int maxLines, int* hiddenLines)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    if (lines.size() <= maxLines + 2 && text.size() <= kPreviewChars)
        return {};
    QString cut = lines.mid(0, maxLines).join(QLatin1Char('\n')).left(kPreviewChars);
    *hiddenLines = int(lines.size()) - int(cut.count(QLatin1Char('\n'))) - 1;
    return cut;
}

} // namespace

TrajectoryView::TrajectoryView(QWidget* parent) : QWidget(parent)
{
    m_taskCombo = new QComboBox(this);
    m_taskCombo->setObjectName(QStringLiteral("taskPicker"));
    m_taskCombo->setMinimumContentsLength(10);
    m_taskCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_iterationLabel = new QLabel(this);
    m_expandAll = new QCheckBox(tr("Show long results in &full"), this);
    m_expandAll->setObjectName(QStringLiteral("expandAll"));
    auto* top = new QHBoxLayout;
    auto* taskLabel = new QLabel(tr("T&ask:"), this);
    taskLabel->setBuddy(m_taskCombo);
    top->addWidget(taskLabel);
    top->addWidget(m_taskCombo);
    top->addWidget(m_iterationLabel);
    top->addStretch(1);
    top->addWidget(m_expandAll);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("trajectoryMessage"));
    m_message->setWordWrap(true);
    m_message->setMargin(6);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_summary = new QWidget(this);
    m_summary->setObjectName(QStringLiteral("trajectorySummary"));
    auto* form = new QFormLayout(m_summary);
    form->setContentsMargins(0, 0, 0, 0);
    form->setVerticalSpacing(2);
    const auto label = [this](const char* name) {
        auto* l = new QLabel(m_summary);
        l->setObjectName(QString::fromLatin1(name));
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return l;
    };
    m_outcome = label("trajectoryOutcome");
    m_answer = label("trajectoryAnswer");
    m_evidence = label("trajectoryEvidence");
    m_tokens = label("trajectoryTokens");
    m_timing = label("trajectoryTiming");
    m_skill = label("trajectorySkill");
    form->addRow(tr("Outcome:"), m_outcome);
    form->addRow(tr("Answer:"), m_answer);
    form->addRow(tr("Grader evidence:"), m_evidence);
    form->addRow(tr("Tokens:"), m_tokens);
    form->addRow(tr("Time:"), m_timing);
    form->addRow(tr("Skill:"), m_skill);

    m_conversation = new QTextBrowser(this);
    m_conversation->setObjectName(QStringLiteral("conversation"));
    m_conversation->setOpenLinks(false);
    m_conversation->setOpenExternalLinks(false);
    m_conversation->setUndoRedoEnabled(false);
    m_conversation->setLineWrapMode(QTextEdit::WidgetWidth);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(m_summary);
    layout->addWidget(m_conversation, 1);

    connect(m_taskCombo, &QComboBox::activated, this, [this](int index) {
        const QString task = m_taskCombo->itemText(index);
        if (!task.isEmpty() && task != (m_trajectory ? m_trajectory->taskId : QString()))
            Q_EMIT taskChosen(task);
    });
    connect(m_expandAll, &QCheckBox::toggled, this, [this] { render(); });
    connect(m_conversation, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == kExpandScheme)
            expandMessage(url.path().toInt());
    });
    showMessage(tr("Pick a task, or open a trajectory from the Gradients or Momentum tab."));
}

void TrajectoryView::setTasks(int iteration, const QStringList& tasks)
{
    const QString current = task();
    const QSignalBlocker block(m_taskCombo);
    m_taskCombo->clear();
    m_taskCombo->addItems(tasks);
    m_taskCombo->setCurrentIndex(tasks.indexOf(current));
    m_taskCombo->setEnabled(!tasks.isEmpty());
    m_iterationLabel->setText(
        tasks.isEmpty()
            ? tr("iteration %1 has no trajectories yet").arg(iteration)
            : (tasks.size() == 1
                   ? tr("in iteration %1 (1 task)").arg(iteration)
                   : tr("in iteration %1 (%2 tasks)").arg(iteration).arg(tasks.size())));
    if (iteration != m_iteration && m_trajectory)
        showMessage(tr("Pick a task of iteration %1.").arg(iteration));
    m_iteration = iteration;
}

void TrajectoryView::setTrajectory(int iteration, const Trajectory& trajectory,
                                   const std::optional<TaskOutcome>& graded, bool simulated)
{
    const bool same =
        m_trajectory && m_trajectory->taskId == trajectory.taskId && m_iteration == iteration;
    if (!same)
        m_expanded.clear();
    m_iteration = iteration;
    m_trajectory = trajectory;
    m_graded = graded;
    m_simulated = simulated;
    {
        const QSignalBlocker block(m_taskCombo);
        int index = m_taskCombo->findText(trajectory.taskId);
        if (index < 0) {
            m_taskCombo->addItem(trajectory.taskId);
            index = m_taskCombo->count() - 1;
        }
        m_taskCombo->setCurrentIndex(index);
    }
    m_message->hide();
    m_summary->show();
    m_conversation->show();
    renderSummary(trajectory);
    render();
    if (!same)
        m_conversation->verticalScrollBar()->setValue(0);
}

void TrajectoryView::showMessage(const QString& text)
{
    m_trajectory.reset();
    m_graded.reset();
    m_expanded.clear();
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_summary->hide();
    m_conversation->clear();
    m_conversation->hide();
}

QString TrajectoryView::task() const
{
    return m_trajectory ? m_trajectory->taskId : m_taskCombo->currentText();
}

QString TrajectoryView::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

QString TrajectoryView::summaryText() const
{
    if (!m_trajectory)
        return {};
    QStringList lines;
    for (const QLabel* l : {m_outcome, m_answer, m_evidence, m_tokens, m_timing, m_skill})
        lines << l->text();
    return lines.join(QLatin1Char('\n'));
}

QString TrajectoryView::conversationText() const
{
    return m_conversation->toPlainText();
}

void TrajectoryView::setExpandAll(bool expand)
{
    m_expandAll->setChecked(expand);
}

void TrajectoryView::expandMessage(int index)
{
    if (m_expanded.contains(index))
        return;
    m_expanded.insert(index);
    render();
}

void TrajectoryView::renderSummary(const Trajectory& t)
{
    const Outcome outcome = m_graded ? m_graded->outcome : t.outcome;
    const QString end =
        m_graded && !m_graded->end.isEmpty() ? m_graded->end : Trajectory::endName(t.end);
    const QString verdict = outcome.passed ? tr("<b style=\"color:#1e8449\">passed</b>")
                                           : tr("<b style=\"color:#c0392b\">failed</b>");
    m_outcome->setTextFormat(Qt::RichText);
    m_outcome->setText(tr("%1 · score %2%3 · ended: %4")
                           .arg(verdict)
                           .arg(outcome.score, 0, 'f', 2)
                           .arg(m_simulated ? tr(" <b>(simulated)</b>") : QString())
                           .arg(end.toHtmlEscaped()));
    m_answer->setText(t.answered ? quoteList(t.answer) : tr("none submitted"));
    QString evidence =
        outcome.evidence.isEmpty()
            ? (outcome.passed ? tr("the answer matched the gold answer") : tr("none given"))
            : outcome.evidence;
    const QString error = m_graded && !m_graded->error.isEmpty() ? m_graded->error : t.error;
    if (!error.isEmpty())
        evidence += QStringLiteral("\n") + tr("Error: %1").arg(error);
    m_evidence->setText(evidence);

    qint64 modelMs = 0;
    qint64 toolMs = 0;
    int cached = 0;
    for (const Trajectory::Turn& turn : t.turns) {
        modelMs += std::max<qint64>(0, turn.endedMs - turn.startedMs);
        cached += turn.cached ? 1 : 0;
        for (const Trajectory::ToolStep& step : turn.tools)
            toolMs += step.ms;
    }
    const QString turns =
        t.turns.size() == 1 ? tr("1 model turn") : tr("%1 model turns").arg(t.turns.size());
    m_tokens->setText(
        tr("%1 in · %2 out over %3").arg(number(t.inputTokens()), number(t.outputTokens()), turns) +
        (cached ? tr(" (%1 from the cache)").arg(cached) : QString()));
    m_timing->setText(tr("%1 wall · %2 waiting for the model · %3 in tools")
                          .arg(millis(t.wallMs), millis(modelMs), millis(toolMs)));
    m_skill->setText(
        (t.activated ? tr("activated") : tr("never activated")) + QStringLiteral(" · ") +
        (t.referencesRead.isEmpty()
             ? tr("no references read")
             : tr("read %1").arg(t.referencesRead.join(QStringLiteral(", ")))) +
        (t.model.isEmpty() ? QString() : QStringLiteral(" · ") + tr("model %1").arg(t.model)));
}

void TrajectoryView::render()
{
    if (!m_trajectory)
        return;
    const Trajectory& t = *m_trajectory;
    const int scroll = m_conversation->verticalScrollBar()->value();
    m_conversation->clear();
    QTextCursor cursor(m_conversation->document());
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    QTextCharFormat plain;
    QTextCharFormat mono;
    mono.setFont(fixed);
    const auto heading = [](const QColor& color) {
        QTextCharFormat f;
        f.setFontWeight(QFont::Bold);
        f.setForeground(color);
        return f;
    };
    QTextCharFormat dim;
    dim.setForeground(kSystemColor);
    QTextBlockFormat headingBlock;
    headingBlock.setTopMargin(10);
    QTextBlockFormat body;
    QTextBlockFormat code;
    code.setLeftMargin(14);
    code.setBackground(QColor(0xf4, 0xf5, 0xf7));

    bool first = true;
    const auto block = [&](const QTextBlockFormat& format) {
        if (!first)
            cursor.insertBlock(format);
        else
            cursor.setBlockFormat(format);
        first = false;
    };
    // `maxLines` 0: never cut.
    const auto text = [&](int index, const QString& untrimmed, const QTextBlockFormat& format,
                          const QTextCharFormat& chars, int maxLines) {
        int hidden = 0;
        const QString content = trimmedEnd(untrimmed);
        const QString cut = maxLines > 0 && !m_expandAll->isChecked() && !m_expanded.contains(index)
                                ? preview(content, maxLines, &hidden)
                                : QString();
        block(format);
        cursor.insertText(cut.isEmpty() ? content : cut, chars);
        if (!cut.isEmpty()) {
            block(format);
            QTextCharFormat link = dim;
            link.setAnchor(true);
            link.setAnchorHref(QStringLiteral("%1:%2").arg(kExpandScheme).arg(index));
            link.setFontUnderline(true);
            link.setForeground(kUserColor);
            cursor.insertText((hidden == 1 ? tr("… 1 more line — show all")
                                           : tr("… %1 more lines — show all").arg(hidden)),
                              link);
        }
    };

    int turnIndex = -1;
    for (int i = 0; i < int(t.messages.size()); ++i) {
        const LlmMessage& m = t.messages[std::size_t(i)];
        block(headingBlock);
        switch (m.role) {
        case LlmMessage::Role::System:
            cursor.insertText(tr("System prompt"), heading(kSystemColor));
            text(i, m.content, body, dim, kSystemPreviewLines);
            break;
        case LlmMessage::Role::User:
            cursor.insertText(tr("User"), heading(kUserColor));
            text(i, m.content, body, plain, kPreviewLines);
            break;
        case LlmMessage::Role::Assistant: {
            ++turnIndex;
            cursor.insertText(tr("Assistant"), heading(kAssistantColor));
            if (turnIndex < int(t.turns.size())) {
                const Trajectory::Turn& turn = t.turns[std::size_t(turnIndex)];
                cursor.insertText(tr("   turn %1 · %2 · %3 in / %4 out tokens%5")
                                      .arg(turnIndex + 1)
                                      .arg(span(turn.startedMs, turn.endedMs),
                                           number(turn.inputTokens), number(turn.outputTokens),
                                           turn.cached ? tr(" · cached") : QString()),
                                  dim);
            }
            if (!m.content.isEmpty())
                text(i, m.content, body, plain, 0);
            for (const ToolCall& call : m.toolCalls) {
                block(code);
                cursor.insertText(QStringLiteral("→ %1").arg(call.name), heading(kToolColor));
                const QString args = argumentsText(call);
                if (!args.isEmpty())
                    text(i, args, code, mono, 0);
            }
            break;
        }
        case LlmMessage::Role::Tool: {
            // The step's timing: the call's position in the turn that made it.
            QString timing;
            if (turnIndex >= 0 && turnIndex < int(t.turns.size()) && i > 0) {
                const Trajectory::Turn& turn = t.turns[std::size_t(turnIndex)];
                int callIndex = -1;
                for (int back = i - 1; back >= 0 && callIndex < 0; --back) {
                    const LlmMessage& prev = t.messages[std::size_t(back)];
                    if (prev.role != LlmMessage::Role::Assistant)
                        continue;
                    for (int c = 0; c < int(prev.toolCalls.size()); ++c)
                        if (prev.toolCalls[std::size_t(c)].id == m.toolCallId)
                            callIndex = c;
                    break;
                }
                if (callIndex >= 0 && callIndex < int(turn.tools.size()))
                    timing = QStringLiteral(" · ") + millis(turn.tools[std::size_t(callIndex)].ms);
            }
            cursor.insertText(m.isError ? tr("Tool error: %1").arg(m.toolName)
                                        : tr("Tool result: %1").arg(m.toolName),
                              heading(m.isError ? kErrorColor : kToolColor));
            cursor.insertText(timing, dim);
            text(i, m.content.isEmpty() ? tr("(empty)") : m.content, code, mono, kPreviewLines);
            break;
        }
        }
    }
    block(headingBlock);
    cursor.insertText(tr("Final answer: "), heading(kAssistantColor));
    cursor.insertText(
        t.answered ? quoteList(t.answer) : tr("none (%1)").arg(Trajectory::endName(t.end)), plain);
    m_conversation->verticalScrollBar()->setValue(scroll);
}

} // namespace sg
