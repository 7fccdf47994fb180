#pragma once

#include "skill/SkillPackage.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace sg {

// The files of a skill package as a tree (folders, then files), with each file's layer.
class SkillTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, LayerColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, LayerRole, IsFolderRole };

    explicit SkillTreeModel(QObject* parent = nullptr);
    ~SkillTreeModel() override;

    void setPackage(const SkillPackage& package);
    QModelIndex indexOfPath(const QString& path) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node;
    Node* nodeOf(const QModelIndex& index) const;
    std::unique_ptr<Node> m_root;
};

} // namespace sg
