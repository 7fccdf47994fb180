#include "SkillTreeModel.h"

#include <QStringList>

#include <algorithm>

namespace sg {

struct SkillTreeModel::Node
{
    QString name;
    QString path;
    bool folder = true;
    Layer layer = Layer::Other;
    qsizetype bytes = 0;
    Node* parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;

    int row() const
    {
        if (!parent)
            return 0;
        const auto& siblings = parent->children;
        for (std::size_t i = 0; i < siblings.size(); ++i) {
            if (siblings[i].get() == this)
                return int(i);
        }
        return 0;
    }

    Node* child(const QString& childName, bool isFolder)
    {
        for (auto& c : children) {
            if (c->name == childName && c->folder == isFolder)
                return c.get();
        }
        auto node = std::make_unique<Node>();
        node->name = childName;
        node->folder = isFolder;
        node->parent = this;
        children.push_back(std::move(node));
        return children.back().get();
    }

    void sort()
    {
        // SKILL.md first, then folders, then files, each by name.
        std::sort(children.begin(), children.end(), [](const auto& a, const auto& b) {
            const bool aMain = a->path == QLatin1String("SKILL.md"), bMain = b->path == QLatin1String("SKILL.md");
            if (aMain != bMain)
                return aMain;
            if (a->folder != b->folder)
                return a->folder;
            return a->name < b->name;
        });
        for (auto& c : children)
            c->sort();
    }
};

SkillTreeModel::SkillTreeModel(QObject* parent) : QAbstractItemModel(parent), m_root(std::make_unique<Node>()) {}

SkillTreeModel::~SkillTreeModel() = default;

void SkillTreeModel::setPackage(const SkillPackage& package)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    for (const PackageFile& file : package.files()) {
        const QStringList parts = file.path.split(QLatin1Char('/'));
        Node* node = m_root.get();
        QString prefix;
        for (int i = 0; i < parts.size(); ++i) {
            const bool last = i == parts.size() - 1;
            prefix += (i ? QStringLiteral("/") : QString()) + parts[i];
            node = node->child(parts[i], !last);
            node->path = prefix;
        }
        node->layer = file.layer;
        node->bytes = file.data.size();
    }
    m_root->sort();
    endResetModel();
}

SkillTreeModel::Node* SkillTreeModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : m_root.get();
}

QModelIndex SkillTreeModel::indexOfPath(const QString& path) const
{
    QModelIndex current;
    Node* node = m_root.get();
    for (const QString& part : path.split(QLatin1Char('/'))) {
        auto it = std::find_if(node->children.begin(), node->children.end(), [&](const auto& c) { return c->name == part; });
        if (it == node->children.end())
            return {};
        current = index(int(it - node->children.begin()), 0, current);
        node = it->get();
    }
    return current;
}

QModelIndex SkillTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node* node = nodeOf(parent);
    return createIndex(row, column, node->children[std::size_t(row)].get());
}

QModelIndex SkillTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    Node* node = nodeOf(child);
    Node* parentNode = node->parent;
    if (!parentNode || parentNode == m_root.get())
        return {};
    return createIndex(parentNode->row(), 0, parentNode);
}

int SkillTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int SkillTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant SkillTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Node* node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return node->folder ? node->name + QLatin1Char('/') : node->name;
        if (index.column() == LayerColumn && !node->folder)
            return node->path == QLatin1String("SKILL.md") ? QStringLiteral("L1 + L2") : layerName(node->layer);
        return {};
    case Qt::ToolTipRole:
        return node->folder ? node->path : QStringLiteral("%1 — %2 bytes").arg(node->path).arg(node->bytes);
    case PathRole:
        return node->path;
    case LayerRole:
        return node->folder ? QVariant() : QVariant(layerName(node->layer));
    case IsFolderRole:
        return node->folder;
    default:
        return {};
    }
}

QVariant SkillTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? QStringLiteral("File") : QStringLiteral("Layer");
}

} // namespace sg
