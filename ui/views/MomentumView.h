#pragma once

#include <QWidget>

class QLabel;
class QTableView;
class QTableWidget;

namespace sg {

class IterationArtifacts;
class PatternModel;
struct MomentumChanges;

// The momentum memory of one iteration (DESIGN.md 4.5): the pattern record as a table — the
// iterations each pattern appeared in drawn as a small bar, its last remedy, rows new or changed
// since the previous iteration highlighted (with a legend), escalations marked — and below it the
// iteration's overlay: the workflow themes and each task's signal mapped onto a pattern.
class MomentumView : public QWidget
{
    Q_OBJECT
public:
    explicit MomentumView(QWidget* parent = nullptr);

    // `changes` compares with iteration `previous` (-1 when there is none to compare with).
    void setArtifacts(const IterationArtifacts& artifacts, const MomentumChanges& changes,
                      int previous);
    // Empties both tables and says why (no run, not yet written, damaged).
    void showMessage(const QString& text);

    QString message() const;
    // The legend line, with the patterns gone since the previous iteration.
    QString legendText() const;
    QString themesText() const;

    PatternModel* model() const { return m_model; }
    QTableView* patternTable() const { return m_table; }
    QTableWidget* overlayTable() const { return m_overlay; }

Q_SIGNALS:
    void trajectoryRequested(const QString& task);

private:
    void setOverlayMessage(const QString& text);

    PatternModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_compared = nullptr;
    QLabel* m_gone = nullptr;
    QWidget* m_legend = nullptr;
    QLabel* m_themes = nullptr;
    QLabel* m_overlayMessage = nullptr;
    QTableWidget* m_overlay = nullptr;
};

} // namespace sg
