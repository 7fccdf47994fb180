#pragma once

#include "optim/PatternRecord.h"
#include "run/IterationArtifacts.h"

#include <QAbstractTableModel>
#include <QIcon>

#include <optional>

namespace sg {

// The pattern record M_t of one iteration (DESIGN.md 4.5), a row per pattern in the record's
// order, with what changed since the previous iteration and where an escalation applies.
class PatternModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        KindColumn,
        AnchorColumn,
        AppearedColumn,
        RemedyColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1,
        AppearedInRole, // QList<int>: the iterations the pattern appeared in
        IterationRole,  // int: the iteration the record belongs to (the bar's last cell)
        ChangeRole,     // int(Change)
        EscalationRole  // int(Escalation)
    };
    enum class Change { Unchanged, New, Changed };
    enum class Escalation {
        None,
        Due,      // seen 3+ times, back after a remedy, seen now; no proposal yet: a move is due
        Escalated // this iteration's proposal made a structural move for it
    };

    explicit PatternModel(QObject* parent = nullptr);

    // Replaces everything (a model reset). `proposal` tells whether a due escalation was made.
    void setRecord(PatternRecord record, MomentumChanges changes, int iteration,
                   std::optional<ProposalInfo> proposal = std::nullopt);
    void clear();
    const PatternRecord& record() const { return m_record; }
    const MomentumChanges& changes() const { return m_changes; }
    int iteration() const { return m_iteration; }
    int rowOf(const QString& id) const;
    Change change(int row) const;
    Escalation escalation(int row) const;

    // The row colours, shared with the legend.
    static QColor newColor();
    static QColor changedColor();
    static QIcon escalationIcon();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString statusText(int row) const;
    QString statusToolTip(int row) const;

    PatternRecord m_record;
    MomentumChanges m_changes;
    int m_iteration = 0;
    std::optional<ProposalInfo> m_proposal;
    QIcon m_escalationIcon;
};

} // namespace sg
