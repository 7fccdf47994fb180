#pragma once

#include "optim/Diagnosis.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <vector>

namespace sg {

// One iteration's diagnoses (DESIGN.md 4.4), a row each: task, kind, label; the prose is a role
// (and the tooltip).
class DiagnosisModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TaskColumn, KindColumn, LabelColumn, ColumnCount };
    enum Role {
        TaskRole = Qt::UserRole + 1,
        KindRole, // "failure" or "contrastive"
        LabelRole,
        ProseRole
    };

    explicit DiagnosisModel(QObject* parent = nullptr);

    // Replaces everything (a model reset).
    void setDiagnoses(std::vector<Diagnosis> diagnoses);
    const std::vector<Diagnosis>& diagnoses() const { return m_diagnoses; }
    // The distinct labels, sorted, for the label filter.
    QStringList labels() const;
    int countOfKind(const QString& kind) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<Diagnosis> m_diagnoses;
};

// Filters a DiagnosisModel by kind (exact) and label (a case-insensitive part of it); sorts by
// column, tasks in natural order (nt-2 before nt-10).
class DiagnosisFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DiagnosisFilterModel(QObject* parent = nullptr);

    // Empty for every kind.
    void setKind(const QString& kind);
    QString kind() const { return m_kind; }
    // Empty for every label.
    void setLabel(const QString& label);
    QString label() const { return m_label; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString m_kind;
    QString m_label;
};

} // namespace sg
