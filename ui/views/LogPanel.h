#pragma once

#include <nlohmann/json.hpp>

#include <QWidget>

#include <vector>

class QPlainTextEdit;

namespace sg {

// The run's log: one line per event of the followed run, plus the Studio's own notes (stages,
// errors). Plain text with a line limit, so a long run costs neither memory nor time.
class LogPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LogPanel(QWidget* parent = nullptr);

    void appendEvents(const std::vector<nlohmann::json>& events);
    void appendNote(const QString& text, bool problem = false);
    void clear();
    QString text() const;

private:
    void append(const QString& line, bool problem);

    QPlainTextEdit* m_text = nullptr;
};

} // namespace sg
