#include "PatternModel.h"

#include <QBrush>
#include <QColor>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <algorithm>

namespace sg {

namespace {

const QColor kNewColor(0xcd, 0xf0, 0xd4);     // pale green
const QColor kChangedColor(0xff, 0xec, 0xb0); // pale amber
const QColor kEscalationColor(0xd3, 0x54, 0x00);
constexpr int kIconSize = 16;

QString joinIterations(const std::vector<int>& iterations)
{
    QStringList parts;
    for (int i : iterations)
        parts << QString::number(i);
    return parts.join(QStringLiteral(", "));
}

bool seenIn(const Pattern& p, int iteration)
{
    return std::find(p.appearedIn.begin(), p.appearedIn.end(), iteration) != p.appearedIn.end();
}

QString remedyText(const Pattern& p)
{
    if (p.remedyLog.empty())
        return PatternModel::tr("none yet");
    const Pattern::Remedy& r = p.remedyLog.back();
    return PatternModel::tr("iter %1: %2")
        .arg(r.iteration)
        .arg(r.patch.isEmpty() ? r.diagnosis : r.patch);
}

QString remedyToolTip(const Pattern& p)
{
    if (p.remedyLog.empty())
        return PatternModel::tr("No skill edit has addressed this pattern yet.");
    QStringList lines{PatternModel::tr("Remedy log:")};
    for (const Pattern::Remedy& r : p.remedyLog)
        lines << PatternModel::tr("iteration %1 — seen: %2\n    changed: %3")
                     .arg(r.iteration)
                     .arg(r.diagnosis, r.patch);
    return lines.join(QLatin1Char('\n'));
}

QString patternToolTip(const Pattern& p)
{
    QStringList lines{p.summary};
    if (!p.description.isEmpty())
        lines << p.description;
    if (!p.latestExecutorAction.isEmpty())
        lines << PatternModel::tr("Latest executor action: %1").arg(p.latestExecutorAction);
    return lines.join(QStringLiteral("\n\n"));
}

} // namespace

PatternModel::PatternModel(QObject* parent)
    : QAbstractTableModel(parent), m_escalationIcon(escalationIcon())
{
}

void PatternModel::setRecord(PatternRecord record, MomentumChanges changes, int iteration,
                             std::optional<ProposalInfo> proposal)
{
    beginResetModel();
    m_record = std::move(record);
    m_changes = std::move(changes);
    m_iteration = iteration;
    m_proposal = std::move(proposal);
    endResetModel();
}

void PatternModel::clear()
{
    setRecord({}, {}, 0);
}

int PatternModel::rowOf(const QString& id) const
{
    for (std::size_t i = 0; i < m_record.patterns.size(); ++i)
        if (m_record.patterns[i].id == id)
            return int(i);
    return -1;
}

PatternModel::Change PatternModel::change(int row) const
{
    const QString& id = m_record.patterns[std::size_t(row)].id;
    if (m_changes.isNew(id))
        return Change::New;
    return m_changes.isChanged(id) ? Change::Changed : Change::Unchanged;
}

PatternModel::Escalation PatternModel::escalation(int row) const
{
    const Pattern& p = m_record.patterns[std::size_t(row)];
    // Only where it matters now: the patcher works on the patterns seen in this iteration.
    if (!p.needsEscalation() || !seenIn(p, m_iteration))
        return Escalation::None;
    if (!m_proposal)
        return Escalation::Due; // the patcher has not run yet
    // The proposal's flag covers all its patterns; the move was made for the ones it addressed.
    const QStringList& addressed = m_proposal->patternsAddressed.isEmpty()
                                       ? m_proposal->patterns
                                       : m_proposal->patternsAddressed;
    return m_proposal->escalation && addressed.contains(p.id) ? Escalation::Escalated
                                                              : Escalation::None;
}

QColor PatternModel::newColor()
{
    return kNewColor;
}

QColor PatternModel::changedColor()
{
    return kChangedColor;
}

QIcon PatternModel::escalationIcon()
{
    // Drawn, not themed: an upward arrow in every icon theme (and none offscreen).
    QPixmap pixmap(kIconSize, kIconSize);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath arrow;
    arrow.moveTo(8, 1);
    arrow.lineTo(15, 9);
    arrow.lineTo(11, 9);
    arrow.lineTo(11, 15);
    arrow.lineTo(5, 15);
    arrow.lineTo(5, 9);
    arrow.lineTo(1, 9);
    arrow.closeSubpath();
    painter.fillPath(arrow, kEscalationColor);
    painter.end();
    return QIcon(pixmap);
}

QString PatternModel::statusText(int row) const
{
    const Pattern& p = m_record.patterns[std::size_t(row)];
    QStringList parts;
    if (m_changes.isNew(p.id)) {
        parts << tr("new");
    } else {
        if (m_changes.grew.contains(p.id))
            parts << tr("seen again");
        if (m_changes.remedyChanged.contains(p.id))
            parts << tr("new remedy");
    }
    switch (escalation(row)) {
    case Escalation::Escalated:
        parts << tr("escalated");
        break;
    case Escalation::Due:
        parts << tr("escalation due");
        break;
    case Escalation::None:
        break;
    }
    return parts.join(QStringLiteral(" · "));
}

QString PatternModel::statusToolTip(int row) const
{
    const Pattern& p = m_record.patterns[std::size_t(row)];
    QStringList lines;
    const int previous = m_iteration - 1;
    if (m_changes.isNew(p.id))
        lines << tr("New in iteration %1: not in the record of iteration %2.")
                     .arg(m_iteration)
                     .arg(previous);
    if (m_changes.grew.contains(p.id))
        lines << tr("Seen again in iteration %1.").arg(p.lastSeen());
    if (m_changes.remedyChanged.contains(p.id) && !m_changes.isNew(p.id))
        lines << tr("Its last remedy changed since iteration %1.").arg(previous);
    const Escalation e = escalation(row);
    if (e != Escalation::None) {
        const QString why =
            tr("Seen in %1 iterations (%2) and back after the remedy of iteration %3")
                .arg(p.appearedIn.size())
                .arg(joinIterations(p.appearedIn))
                .arg(p.remedyLog.empty() ? 0 : p.remedyLog.front().iteration);
        lines << (e == Escalation::Escalated
                      ? tr("Escalated: %1, so this iteration's patch made a structural move (lift "
                           "to an L3 "
                           "reference, merge or split) instead of another in-place edit.")
                            .arg(why)
                      : tr("Escalation due: %1; a structural move (lift to an L3 reference, merge "
                           "or split) "
                           "is due instead of another in-place edit.")
                            .arg(why));
    }
    return lines.join(QLatin1Char('\n'));
}

int PatternModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_record.patterns.size());
}

int PatternModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PatternModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Pattern& p = m_record.patterns[std::size_t(row)];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return p.id;
        case KindColumn:
            return p.kind;
        case AnchorColumn:
            return p.anchor;
        case AppearedColumn:
            return joinIterations(p.appearedIn);
        case RemedyColumn:
            return remedyText(p);
        case StatusColumn:
            return statusText(row);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case IdColumn:
            return escalation(row) != Escalation::None
                       ? statusToolTip(row) + QStringLiteral("\n\n") + patternToolTip(p)
                       : patternToolTip(p);
        case AnchorColumn:
            return tr("The L2 section or L3 file this pattern concerns");
        case AppearedColumn:
            return tr("Appeared in iteration(s) %1 of %2")
                .arg(joinIterations(p.appearedIn))
                .arg(m_iteration);
        case RemedyColumn:
            return remedyToolTip(p);
        case StatusColumn:
            return statusToolTip(row);
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == IdColumn && escalation(row) != Escalation::None)
            return m_escalationIcon;
        return {};
    case Qt::BackgroundRole:
        switch (change(row)) {
        case Change::New:
            return QBrush(kNewColor);
        case Change::Changed:
            return QBrush(kChangedColor);
        case Change::Unchanged:
            return {};
        }
        return {};
    case Qt::ForegroundRole:
        // Dark text on the pale highlight, whatever the palette.
        if (index.column() == StatusColumn && escalation(row) != Escalation::None)
            return QBrush(kEscalationColor.darker(120));
        return change(row) == Change::Unchanged ? QVariant() : QVariant(QBrush(Qt::black));
    case IdRole:
        return p.id;
    case AppearedInRole: {
        QList<int> list(p.appearedIn.begin(), p.appearedIn.end());
        return QVariant::fromValue(list);
    }
    case IterationRole:
        return m_iteration;
    case ChangeRole:
        return int(change(row));
    case EscalationRole:
        return int(escalation(row));
    default:
        return {};
    }
}

QVariant PatternModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == AppearedColumn)
        return tr("One cell per iteration, 1 to this one; filled where the pattern appeared");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Pattern");
    case KindColumn:
        return tr("Kind");
    case AnchorColumn:
        return tr("Anchor");
    case AppearedColumn:
        return tr("Appeared in");
    case RemedyColumn:
        return tr("Last remedy");
    case StatusColumn:
        return tr("Since previous");
    default:
        return {};
    }
}

} // namespace sg
