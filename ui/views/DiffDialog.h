#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace sg {

// A unified diff in a plain, read-only text view (fast for thousands of lines: no rich text),
// with added, removed and hunk lines coloured. Non-modal: several can stay open side by side.
class DiffDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DiffDialog(QWidget* parent = nullptr);

    // `title` says what is compared ("abc1234 → current version def5678"); `patch` is git's
    // patch text. An empty patch reads "No differences".
    void setDiff(const QString& title, const QString& patch);
    QString patch() const { return m_patch; }

private:
    QLabel* m_summary = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QString m_patch;
};

} // namespace sg
