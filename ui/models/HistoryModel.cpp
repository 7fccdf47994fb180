#include "HistoryModel.h"

#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>
#include <QSet>

#include <algorithm>

namespace sg {

namespace {

const QString kRun = QStringLiteral("SkillGrad-Run");
const QString kIteration = QStringLiteral("SkillGrad-Iteration");
const QString kDecision = QStringLiteral("SkillGrad-Decision");
const QString kValScore = QStringLiteral("SkillGrad-Val-Score");
const QString kTrainScore = QStringLiteral("SkillGrad-Train-Score");
const QString kProposal = QStringLiteral("SkillGrad-Proposal");
const QString kRestoredFrom = QStringLiteral("SkillGrad-Restored-From");
const QString kEvent = QStringLiteral("SkillGrad-Event");
constexpr quintptr kTopLevel = 0;
constexpr int kMinPrefix = 4;

int iterationOf(const Version& v)
{
    bool ok = false;
    const int n = v.trailer(kIteration).toInt(&ok);
    return ok ? n : -1;
}

HistoryModel::Decision mainDecision(const Version& v)
{
    const QString decision = v.trailer(kDecision).toLower();
    if (decision == QLatin1String("edited"))
        return HistoryModel::Decision::Edited;
    if (!decision.isEmpty() || !v.trailer(kProposal).isEmpty())
        return HistoryModel::Decision::Accepted;
    if (!v.trailer(kRestoredFrom).isEmpty())
        return HistoryModel::Decision::Restored;
    if (v.parents.isEmpty() || v.trailer(kEvent) == QLatin1String("import"))
        return HistoryModel::Decision::Initial;
    // `skillgrad commit`, or a commit made with plain git in skill/.
    return HistoryModel::Decision::HandEdit;
}

QString decisionText(HistoryModel::Decision d)
{
    switch (d) {
    case HistoryModel::Decision::Initial:
        return HistoryModel::tr("initial");
    case HistoryModel::Decision::Accepted:
        return HistoryModel::tr("accepted");
    case HistoryModel::Decision::Edited:
        return HistoryModel::tr("edited");
    case HistoryModel::Decision::Restored:
        return HistoryModel::tr("restored");
    case HistoryModel::Decision::HandEdit:
        return HistoryModel::tr("hand edit");
    case HistoryModel::Decision::Rejected:
        return HistoryModel::tr("rejected");
    case HistoryModel::Decision::NotAccepted:
        break;
    }
    return HistoryModel::tr("not accepted");
}

QString runText(const QString& run, int iteration)
{
    if (run.isEmpty())
        return iteration >= 0 ? QStringLiteral("#%1").arg(iteration) : QString();
    return iteration >= 0 ? QStringLiteral("%1 · %2").arg(run).arg(iteration) : run;
}

} // namespace

HistoryModel::HistoryModel(QObject* parent) : QAbstractItemModel(parent) {}

void HistoryModel::setSnapshot(HistorySnapshot snapshot)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    m_rows.clear();
    m_bySha.clear();

    QHash<QString, QStringList> tagsBySha;
    for (const Tag& t : m_snapshot.tags)
        tagsBySha[t.sha] << t.name;
    QHash<QString, const Proposal*> proposalBySha;
    for (const Proposal& p : m_snapshot.proposals)
        proposalBySha.insert(p.version.sha, &p);
    QSet<QString> accepted;
    QHash<QString, int> rowByMainSha;

    m_rows.reserve(m_snapshot.main.size());
    for (const Version& v : m_snapshot.main) {
        Row row;
        row.version = v;
        row.run = v.trailer(kRun);
        row.iteration = iterationOf(v);
        row.val = v.trailer(kValScore);
        row.decision = mainDecision(v);
        row.restoredFrom = v.trailer(kRestoredFrom).left(7);
        row.tags = tagsBySha.value(v.sha);
        if (const QString proposal = v.trailer(kProposal); !proposal.isEmpty()) {
            accepted.insert(proposal);
            if (const Proposal* p = proposalBySha.value(proposal))
                row.train = p->version.trailer(kTrainScore);
        }
        rowByMainSha.insert(v.sha, int(m_rows.size()));
        m_rows.push_back(std::move(row));
    }

    for (const Proposal& p : m_snapshot.proposals) {
        if (accepted.contains(p.version.sha))
            continue;
        // Main is never rewritten, so a proposal's base is on main unless main moved while the
        // snapshot was read; the next reload shows it.
        const auto top = rowByMainSha.constFind(p.version.parents.value(0));
        if (top == rowByMainSha.cend())
            continue;
        Row row;
        row.version = p.version;
        row.proposal = true;
        row.run = p.run;
        row.iteration = p.iteration;
        row.train = p.version.trailer(kTrainScore);
        // Main has moved past a proposal's base only after its iteration decided against it; one
        // made on the current version may still await a decision.
        row.decision = *top == 0 ? Decision::NotAccepted : Decision::Rejected;
        row.tags = tagsBySha.value(p.version.sha);
        m_rows[size_t(*top)].children.push_back(std::move(row));
    }

    for (size_t i = 0; i < m_rows.size(); ++i) {
        auto& children = m_rows[i].children;
        std::stable_sort(children.begin(), children.end(), [](const Row& a, const Row& b) {
            if (a.version.time != b.version.time)
                return a.version.time > b.version.time;
            return a.iteration > b.iteration;
        });
        m_bySha.insert(m_rows[i].version.sha, {int(i), -1});
        for (size_t c = 0; c < children.size(); ++c)
            m_bySha.insert(children[c].version.sha, {int(i), int(c)});
    }
    endResetModel();
}

QModelIndex HistoryModel::indexOfSha(const QString& sha) const
{
    auto it = m_bySha.constFind(sha);
    if (it == m_bySha.cend() && sha.size() >= kMinPrefix) {
        for (auto i = m_bySha.cbegin(); i != m_bySha.cend(); ++i) {
            if (i.key().startsWith(sha, Qt::CaseInsensitive)) {
                it = i;
                break;
            }
        }
    }
    if (it == m_bySha.cend())
        return {};
    const auto [top, child] = it.value();
    if (child < 0)
        return index(top, 0);
    return index(child, 0, index(top, 0));
}

std::optional<Version> HistoryModel::versionAt(const QModelIndex& index) const
{
    if (const Row* row = rowAt(index))
        return row->version;
    return std::nullopt;
}

const HistoryModel::Row* HistoryModel::rowAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    // A child's internal id is its parent's row + 1; top-level rows have kTopLevel.
    if (index.internalId() == kTopLevel)
        return size_t(index.row()) < m_rows.size() ? &m_rows[size_t(index.row())] : nullptr;
    const size_t top = size_t(index.internalId() - 1);
    if (top >= m_rows.size() || size_t(index.row()) >= m_rows[top].children.size())
        return nullptr;
    return &m_rows[top].children[size_t(index.row())];
}

QModelIndex HistoryModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return size_t(row) < m_rows.size() ? createIndex(row, column, kTopLevel) : QModelIndex();
    if (parent.internalId() != kTopLevel || size_t(parent.row()) >= m_rows.size())
        return {};
    if (size_t(row) >= m_rows[size_t(parent.row())].children.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex HistoryModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTopLevel);
}

int HistoryModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_rows.size());
    if (parent.column() != 0 || parent.internalId() != kTopLevel)
        return 0;
    return size_t(parent.row()) < m_rows.size() ? int(m_rows[size_t(parent.row())].children.size())
                                                : 0;
}

int HistoryModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

Qt::ItemFlags HistoryModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalId() != kTopLevel)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant HistoryModel::display(const Row& row, int column) const
{
    switch (column) {
    case VersionColumn: {
        QString text = row.version.shortSha();
        if (row.version.sha == m_snapshot.head)
            text += tr("  (current)");
        if (!row.tags.isEmpty())
            text += QStringLiteral("  [%1]").arg(row.tags.join(QStringLiteral(", ")));
        return text;
    }
    case SummaryColumn:
        return row.version.summary;
    case ValColumn:
        return row.val;
    case TrainColumn:
        return row.train;
    case DecisionColumn:
        if (row.decision == Decision::Restored && !row.restoredFrom.isEmpty())
            return tr("restored from %1").arg(row.restoredFrom);
        return decisionText(row.decision);
    case RunColumn:
        return runText(row.run, row.iteration);
    case TimeColumn:
        return row.version.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    default:
        return {};
    }
}

QString HistoryModel::toolTip(const Row& row, int column) const
{
    switch (column) {
    case VersionColumn: {
        QString tip = row.version.sha;
        if (row.version.sha == m_snapshot.head)
            tip += tr("\nThe current version: skill/ holds its files.");
        if (!row.tags.isEmpty())
            tip += tr("\nTags: %1").arg(row.tags.join(QStringLiteral(", ")));
        return tip;
    }
    case DecisionColumn:
        if (row.decision == Decision::Rejected)
            return tr("A proposal made on this version that main did not accept. Nothing is lost: "
                      "it stays here to diff or export.");
        if (row.decision == Decision::NotAccepted)
            return tr("A proposal made on the current version: rejected, or still awaiting its "
                      "iteration's decision.");
        if (row.decision == Decision::Restored)
            return tr("The files of %1 made current again.")
                .arg(row.version.trailer(kRestoredFrom));
        break;
    case TimeColumn:
        return QLocale().toString(row.version.time, QLocale::LongFormat);
    default:
        break;
    }
    // The whole message, trailers included: what `skillgrad show` prints.
    return row.version.message.trimmed();
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const
{
    const Row* row = rowAt(index);
    if (!row)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return display(*row, index.column());
    case Qt::ToolTipRole:
        return toolTip(*row, index.column());
    case Qt::FontRole: {
        const bool head = row->version.sha == m_snapshot.head;
        if (!head && !row->proposal)
            return {};
        QFont font;
        font.setBold(head);
        font.setItalic(row->proposal);
        return font;
    }
    case Qt::ForegroundRole:
        if (row->proposal) {
            // Half way between text and background: clearly secondary, still readable.
            const QPalette palette = QGuiApplication::palette();
            const QColor text = palette.color(QPalette::Text), base = palette.color(QPalette::Base);
            return QColor((text.red() + base.red()) / 2, (text.green() + base.green()) / 2,
                          (text.blue() + base.blue()) / 2);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ValColumn || index.column() == TrainColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ShaRole:
        return row->version.sha;
    case IsProposalRole:
        return row->proposal;
    case RunRole:
        return row->run;
    case IterationRole:
        return row->iteration;
    case DecisionRole:
        return int(row->decision);
    case IsHeadRole:
        return row->version.sha == m_snapshot.head;
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case VersionColumn:
            return tr("Version");
        case SummaryColumn:
            return tr("Summary");
        case ValColumn:
            return tr("Val");
        case TrainColumn:
            return tr("Train");
        case DecisionColumn:
            return tr("Decision");
        case RunColumn:
            return tr("Run · iteration");
        case TimeColumn:
            return tr("Time");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ValColumn:
            return tr("The validation score with which the version was accepted");
        case TrainColumn:
            return tr("The proposal's score on its training batch");
        case DecisionColumn:
            return tr("How the version came to be, or what became of a proposal");
        default:
            return {};
        }
    }
    return {};
}

} // namespace sg
