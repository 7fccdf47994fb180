#include "LogPanel.h"

#include "run/EventText.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTime>
#include <QVBoxLayout>

namespace sg {

namespace {

constexpr int kMaxLines = 5000;

} // namespace

LogPanel::LogPanel(QWidget* parent) : QWidget(parent)
{
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("logText"));
    m_text->setReadOnly(true);
    m_text->setMaximumBlockCount(kMaxLines);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(tr("The run's events appear here as they happen: start a run with Run (F5), or run "
                                  "skillgrad optimize in this workspace from a terminal."));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
}

void LogPanel::appendEvents(const std::vector<nlohmann::json>& events)
{
    for (const nlohmann::json& e : events)
        append(EventText::describe(e), EventText::isProblem(e));
}

void LogPanel::appendNote(const QString& text, bool problem)
{
    append(QStringLiteral("%1  ·   %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), text), problem);
}

void LogPanel::clear()
{
    m_text->clear();
}

QString LogPanel::text() const
{
    return m_text->toPlainText();
}

void LogPanel::append(const QString& line, bool problem)
{
    // Keep following the end only when the reader is there already.
    QScrollBar* bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 2;
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_text->document()->isEmpty())
        cursor.insertBlock();
    QTextCharFormat format;
    if (problem)
        format.setForeground(QColor(0xc0, 0x39, 0x2b));
    cursor.insertText(line, format);
    if (atEnd)
        bar->setValue(bar->maximum());
}

} // namespace sg
