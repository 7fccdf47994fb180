#pragma once

#include "history/HistorySnapshot.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QStringList>

#include <optional>
#include <vector>

namespace sg {

// The skill's history as a tree: the top level is main, newest first; each proposal that main
// never accepted is a child of the version it was proposed on (its first parent), so rejected
// attempts read as side branches of the version they tried to improve.
class HistoryModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column {
        VersionColumn,
        SummaryColumn,
        ValColumn,
        TrainColumn,
        DecisionColumn,
        RunColumn,
        TimeColumn,
        ColumnCount
    };
    enum Role {
        ShaRole = Qt::UserRole + 1, // the full commit id
        IsProposalRole,             // bool: a proposal main did not accept
        RunRole,                    // the run id; empty for versions no run made
        IterationRole,              // int; -1 when there is none
        DecisionRole,               // int(Decision)
        IsHeadRole                  // bool: main's newest version, the current one
    };
    enum class Decision { Initial, Accepted, Edited, Restored, HandEdit, Rejected, NotAccepted };

    explicit HistoryModel(QObject* parent = nullptr);

    // Replaces everything (a model reset).
    void setSnapshot(HistorySnapshot snapshot);
    const HistorySnapshot& snapshot() const { return m_snapshot; }
    QString headSha() const { return m_snapshot.head; }

    // Column 0 of the row for `sha` (a full id, or a prefix of at least 4 characters); invalid
    // when it is not shown.
    QModelIndex indexOfSha(const QString& sha) const;
    // The commit behind a row (any column).
    std::optional<Version> versionAt(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct Row
    {
        Version version;
        bool proposal = false;
        QString run;
        int iteration = -1;
        QString val;
        QString train;
        Decision decision = Decision::HandEdit;
        QString restoredFrom; // short id, for "restored from …"
        QStringList tags;
        std::vector<Row> children; // rejected proposals, newest first
    };

    const Row* rowAt(const QModelIndex& index) const;
    QVariant display(const Row& row, int column) const;
    QString toolTip(const Row& row, int column) const;

    HistorySnapshot m_snapshot;
    std::vector<Row> m_rows;
    // sha -> (top row, child row or -1)
    QHash<QString, std::pair<int, int>> m_bySha;
};

} // namespace sg
