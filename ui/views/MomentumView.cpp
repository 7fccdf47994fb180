#include "MomentumView.h"

#include "models/PatternModel.h"
#include "run/IterationArtifacts.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sg {

namespace {

constexpr int kCellWidth = 10;
constexpr int kCellGap = 2;
constexpr int kMinCellWidth = 3;
const QColor kFilledColor(0x2e, 0x6d, 0xb4);
const QColor kEmptyColor(0xd8, 0xdc, 0xe0);

enum OverlayColumn { TaskCol, SignalCol, PatternCol, AnchorCol, GapCol, ChangeCol, OverlayColumns };

// The "Appeared in" cell: one cell per iteration from 1 to the record's, filled where the pattern
// appeared, the record's own iteration outlined; the count after it.
class AppearedBarDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear(); // the background and selection, without the text
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

        const QList<int> seen = index.data(PatternModel::AppearedInRole).value<QList<int>>();
        const int last = std::max(1, index.data(PatternModel::IterationRole).toInt());
        const QString count = QStringLiteral("%1×").arg(seen.size());
        const QFontMetrics fm(option.font);
        const QRect area = option.rect.adjusted(4, 0, -4, 0);
        const int textWidth = fm.horizontalAdvance(QStringLiteral("00×")) + 6;
        const int cell =
            std::clamp((area.width() - textWidth) / last - kCellGap, kMinCellWidth, kCellWidth);
        const int height = std::min(area.height() - 8, 12);
        const int top = area.top() + (area.height() - height) / 2;
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, false);
        for (int i = 1; i <= last; ++i) {
            const QRect r(area.left() + (i - 1) * (cell + kCellGap), top, cell, height);
            painter->fillRect(r, seen.contains(i) ? kFilledColor : kEmptyColor);
            if (i == last) {
                painter->setPen(QPen(option.palette.color(QPalette::Text), 1));
                painter->drawRect(r.adjusted(-1, -1, 0, 0));
            }
        }
        const int x = area.left() + last * (cell + kCellGap) + 4;
        painter->setPen(option.state & QStyle::State_Selected
                            ? option.palette.color(QPalette::HighlightedText)
                            : option.palette.color(QPalette::Text));
        painter->drawText(QRect(x, area.top(), area.right() - x, area.height()),
                          Qt::AlignVCenter | Qt::AlignLeft, count);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const int last = std::max(1, index.data(PatternModel::IterationRole).toInt());
        const QFontMetrics fm(option.font);
        return {last * (kCellWidth + kCellGap) + fm.horizontalAdvance(QStringLiteral("00×")) + 18,
                fm.height() + 8};
    }
};

QWidget* legendSwatch(const QColor& color, const QString& text, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto* swatch = new QLabel(box);
    swatch->setFixedSize(14, 14);
    swatch->setStyleSheet(
        QStringLiteral("background:%1; border:1px solid #888;").arg(color.name()));
    layout->addWidget(swatch);
    layout->addWidget(new QLabel(text, box));
    return box;
}

QTableWidgetItem* item(const QString& text, const QString& tip = {})
{
    auto* i = new QTableWidgetItem(text);
    i->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    i->setToolTip(tip.isEmpty() ? text : tip);
    return i;
}

} // namespace

MomentumView::MomentumView(QWidget* parent) : QWidget(parent)
{
    m_model = new PatternModel(this);

    // The legend: what the row colours and the marker mean.
    m_legend = new QWidget(this);
    m_legend->setObjectName(QStringLiteral("momentumLegend"));
    auto* legend = new QHBoxLayout(m_legend);
    legend->setContentsMargins(0, 0, 0, 0);
    legend->setSpacing(14);
    m_compared = new QLabel(m_legend);
    legend->addWidget(m_compared);
    legend->addWidget(legendSwatch(PatternModel::newColor(), tr("new pattern"), m_legend));
    legend->addWidget(
        legendSwatch(PatternModel::changedColor(), tr("seen again or new remedy"), m_legend));
    auto* escalation = new QLabel(m_legend);
    escalation->setPixmap(PatternModel::escalationIcon().pixmap(14, 14));
    auto* escalationText = new QLabel(tr("escalation (structural move)"), m_legend);
    escalationText->setToolTip(
        tr("A pattern seen in 3+ iterations that came back after an in-place remedy gets a "
           "structural move: lift to an L3 reference, merge or split (DESIGN.md 4.6)"));
    auto* escalationBox = new QHBoxLayout;
    escalationBox->setSpacing(4);
    escalationBox->addWidget(escalation);
    escalationBox->addWidget(escalationText);
    legend->addLayout(escalationBox);
    m_gone = new QLabel(m_legend);
    m_gone->setObjectName(QStringLiteral("gonePatterns"));
    legend->addWidget(m_gone);
    legend->addStretch(1);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("momentumMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(6);
    m_message->hide();

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("patternTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(PatternModel::AppearedColumn,
                                      new AppearedBarDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm(m_table->font());
    const int pad = fm.horizontalAdvance(QLatin1Char('M')) * 2;
    m_table->verticalHeader()->setDefaultSectionSize(fm.height() + 10);
    m_table->setColumnWidth(PatternModel::IdColumn,
                            fm.horizontalAdvance(QStringLiteral("p-aggregation")) + pad + 20);
    m_table->setColumnWidth(PatternModel::KindColumn,
                            fm.horizontalAdvance(QStringLiteral("operation")) + pad);
    m_table->setColumnWidth(PatternModel::AnchorColumn,
                            fm.horizontalAdvance(QStringLiteral("superlative-questions")) + pad);
    // The remedy is the longest text: it takes the room left.
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(PatternModel::RemedyColumn,
                                                      QHeaderView::Stretch);
    m_table->setColumnWidth(
        PatternModel::StatusColumn,
        fm.horizontalAdvance(QStringLiteral("seen again · new remedy · escalated")) + pad);

    auto* overlayTitle =
        new QLabel(tr("<b>Overlay</b> — this iteration's signals mapped onto the patterns"), this);
    m_themes = new QLabel(this);
    m_themes->setObjectName(QStringLiteral("overlayThemes"));
    m_themes->setWordWrap(true);
    m_themes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_themes->setTextFormat(Qt::PlainText);
    m_overlayMessage = new QLabel(this);
    m_overlayMessage->setObjectName(QStringLiteral("overlayMessage"));
    m_overlayMessage->setWordWrap(true);
    m_overlayMessage->hide();
    m_overlay = new QTableWidget(0, OverlayColumns, this);
    m_overlay->setObjectName(QStringLiteral("overlayTable"));
    m_overlay->setHorizontalHeaderLabels(
        {tr("Task"), tr("Signal"), tr("Pattern"), tr("Anchor"), tr("Gap"), tr("Proposed change")});
    m_overlay->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_overlay->setSelectionMode(QAbstractItemView::SingleSelection);
    m_overlay->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_overlay->setWordWrap(false);
    m_overlay->verticalHeader()->hide();
    m_overlay->verticalHeader()->setDefaultSectionSize(fm.height() + 8);
    m_overlay->horizontalHeader()->setStretchLastSection(true);
    m_overlay->horizontalHeader()->setHighlightSections(false);
    m_overlay->setColumnWidth(TaskCol, fm.horizontalAdvance(QStringLiteral("nt-0000")) + pad);
    m_overlay->setColumnWidth(SignalCol, fm.horizontalAdvance(QStringLiteral("success")) + pad);
    m_overlay->setColumnWidth(PatternCol,
                              fm.horizontalAdvance(QStringLiteral("p-aggregation")) + pad);
    m_overlay->setColumnWidth(AnchorCol,
                              fm.horizontalAdvance(QStringLiteral("superlative-questions")) + pad);
    m_overlay->setColumnWidth(GapCol, fm.horizontalAdvance(QLatin1Char('n')) * 42);
    m_overlay->setToolTip(tr("Double-click a row to open the task's trajectory"));

    auto* overlayPane = new QWidget(this);
    auto* overlayLayout = new QVBoxLayout(overlayPane);
    overlayLayout->setContentsMargins(0, 4, 0, 0);
    overlayLayout->addWidget(overlayTitle);
    overlayLayout->addWidget(m_themes);
    overlayLayout->addWidget(m_overlayMessage);
    overlayLayout->addWidget(m_overlay, 1);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(overlayPane);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_legend);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);

    connect(m_overlay, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (QTableWidgetItem* task = m_overlay->item(row, TaskCol))
            Q_EMIT trajectoryRequested(task->text());
    });
    // Selecting a pattern selects the overlay rows mapped onto it.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                const QString id = current.data(PatternModel::IdRole).toString();
                for (int row = 0; row < m_overlay->rowCount(); ++row) {
                    QTableWidgetItem* pattern = m_overlay->item(row, PatternCol);
                    QFont font = m_overlay->font();
                    font.setBold(pattern && !id.isEmpty() && pattern->text() == id);
                    for (int col = 0; col < OverlayColumns; ++col)
                        if (QTableWidgetItem* i = m_overlay->item(row, col))
                            i->setFont(font);
                }
            });
    showMessage(QString());
}

void MomentumView::setArtifacts(const IterationArtifacts& artifacts, const MomentumChanges& changes,
                                int previous)
{
    const int n = artifacts.iteration();
    if (n == 0) {
        showMessage(tr("Iteration 0 is the selection pass: no diagnoses yet, so no patterns. The "
                       "momentum writer "
                       "starts the pattern record in iteration 1."));
        return;
    }
    const auto& record = artifacts.patternRecord();
    QString message;
    if (record.error)
        message = tr("The pattern record could not be read — %1").arg(record.error->text());
    else if (record.missing())
        message = n == 1 ? tr("Not yet: in iteration 1 the momentum writer starts the pattern "
                              "record after the patch.")
                         : tr("Not yet: the momentum writer updates the pattern record once "
                              "iteration %1's diagnoses are in.")
                               .arg(n);
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
    m_legend->setVisible(record.loaded());
    if (record.loaded()) {
        m_model->setRecord(*record.value, changes, n, artifacts.proposal().value);
        m_compared->setText(previous >= 0 ? tr("Compared with iteration %1:").arg(previous)
                                          : tr("No earlier record:"));
        m_gone->setText(changes.gone.isEmpty() ? QString()
                                               : tr("gone since iteration %1: %2")
                                                     .arg(previous)
                                                     .arg(changes.gone.join(QStringLiteral(", "))));
        m_gone->setVisible(!changes.gone.isEmpty());
    } else {
        m_model->clear();
    }

    const auto& overlay = artifacts.overlay();
    m_overlay->setRowCount(0);
    if (overlay.error) {
        setOverlayMessage(tr("The overlay could not be read — %1").arg(overlay.error->text()));
        return;
    }
    if (overlay.missing()) {
        setOverlayMessage(tr("Not yet: the overlay is written with the pattern record."));
        return;
    }
    setOverlayMessage(QString());
    const Overlay& o = *overlay.value;
    QStringList themes;
    for (const QString& t : o.themes)
        themes << QStringLiteral("• ") + t;
    m_themes->setText(themes.isEmpty()
                          ? tr("No workflow themes.")
                          : tr("Workflow themes:   %1").arg(themes.join(QStringLiteral("    "))));
    m_overlay->setRowCount(int(o.entries.size()));
    for (int row = 0; row < int(o.entries.size()); ++row) {
        const OverlayEntry& e = o.entries[std::size_t(row)];
        m_overlay->setItem(
            row, TaskCol, item(e.task, tr("%1 — double-click to open its trajectory").arg(e.task)));
        QTableWidgetItem* signal = item(e.signal);
        signal->setForeground(e.signal == QLatin1String("failure") ? QColor(0xc0, 0x39, 0x2b)
                                                                   : QColor(0x1e, 0x84, 0x49));
        m_overlay->setItem(row, SignalCol, signal);
        m_overlay->setItem(row, PatternCol, item(e.pattern));
        m_overlay->setItem(row, AnchorCol, item(e.anchor));
        m_overlay->setItem(row, GapCol, item(e.gap));
        m_overlay->setItem(row, ChangeCol, item(e.proposedChange));
    }
}

void MomentumView::showMessage(const QString& text)
{
    m_model->clear();
    m_overlay->setRowCount(0);
    m_themes->clear();
    m_legend->setVisible(false);
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    setOverlayMessage(QString());
}

QString MomentumView::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

QString MomentumView::legendText() const
{
    return !m_legend->isHidden()
               ? QStringLiteral("%1 %2").arg(m_compared->text(), m_gone->text()).trimmed()
               : QString();
}

QString MomentumView::themesText() const
{
    return m_themes->text();
}

void MomentumView::setOverlayMessage(const QString& text)
{
    m_overlayMessage->setText(text);
    m_overlayMessage->setVisible(!text.isEmpty());
    if (!text.isEmpty())
        m_themes->clear();
}

} // namespace sg
