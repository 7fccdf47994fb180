#include "DiffDelegate.h"

#include "models/DiffModel.h"
#include "optim/HunkSelection.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QFontDatabase>
#include <QMouseEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionButton>

#include <algorithm>

namespace sg {

namespace {

// GitHub's diff colours: they read at a glance and survive a screenshot.
const QColor kAddedBg(0xe6, 0xff, 0xec);
const QColor kAddedGutter(0xcc, 0xff, 0xd8);
const QColor kAddedWord(0xab, 0xf2, 0xbc);
const QColor kRemovedBg(0xff, 0xeb, 0xe9);
const QColor kRemovedGutter(0xff, 0xd7, 0xd5);
const QColor kRemovedWord(0xff, 0xc0, 0xc0);
const QColor kEmptyCell(0xf6, 0xf8, 0xfa);
const QColor kHunkBg(0xdd, 0xf4, 0xff);
const QColor kFileBg(0xf0, 0xf2, 0xf5);
const QColor kBorder(0xd0, 0xd7, 0xde);
const QColor kMuted(0x6e, 0x77, 0x81);
const QColor kAcceptedText(0x1a, 0x7f, 0x37);
const QColor kRejectedText(0xcf, 0x22, 0x2e);
const QColor kCurrentBar(0x09, 0x69, 0xda);

constexpr int kBar = 6;      // the current-hunk bar in the left margin
constexpr int kFileGap = 10; // space above each file row
constexpr int kPad = 6;
constexpr double kRejectedOpacity = 0.4;

QColor layerColour(const QString& layer)
{
    if (layer == QLatin1String("L1"))
        return {0x82, 0x50, 0xdf};
    if (layer == QLatin1String("L2"))
        return {0x09, 0x69, 0xda};
    if (layer == QLatin1String("L3"))
        return {0x1a, 0x7f, 0x37};
    if (layer == QLatin1String("scripts"))
        return {0xbc, 0x4c, 0x00};
    return kMuted;
}

QStringList layerNames(const std::vector<Layer>& layers)
{
    QStringList out;
    for (Layer l : layers)
        out << layerName(l);
    return out;
}

int digits(int n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        ++d;
    }
    return d;
}

} // namespace

DiffDelegate::DiffDelegate(DiffModel* model, QAbstractItemView* view)
    : QStyledItemDelegate(view), m_model(model), m_view(view),
      m_code(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
}

int DiffDelegate::lineHeight() const
{
    return QFontMetrics(m_code).height() + 2;
}

DiffDelegate::Geometry DiffDelegate::geometry(int width) const
{
    const QFontMetrics fm(m_code);
    const int cw = std::max(1, fm.horizontalAdvance(QLatin1Char('M')));
    Geometry g;
    g.numberWidth = std::max(3, digits(m_model->largestLineNumber())) * cw + kPad;
    const bool unified = m_model->mode() == DiffModel::Mode::Unified;
    const int numbers = unified ? 2 * g.numberWidth : g.numberWidth;
    g.gutter = kBar + numbers + 2 * cw;
    const int cellWidth = unified ? width : width / 2;
    g.columns = std::max(10, (cellWidth - g.gutter - kPad) / cw);
    return g;
}

QList<int> DiffDelegate::wrapStarts(const QString& text, int columns)
{
    QList<int> starts{0};
    columns = std::max(columns, 2);
    int start = 0;
    const int size = int(text.size());
    while (size - start > columns) {
        int cut = start + columns;
        // Break after a space in the second half of the line when there is one.
        const int space = int(text.lastIndexOf(QLatin1Char(' '), cut - 1));
        if (space >= start + columns / 2)
            cut = space + 1;
        starts << cut;
        start = cut;
    }
    return starts;
}

QSize DiffDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex& index) const
{
    const int width = m_view->viewport()->width();
    const int lh = lineHeight();
    const DiffModel::Row& r = m_model->row(index.row());
    switch (r.kind) {
    case DiffModel::Kind::File:
        return {width, lh + 10 + kFileGap};
    case DiffModel::Kind::Hunk:
        return {width, lh + 6};
    case DiffModel::Kind::Note:
        return {width, lh + 4};
    case DiffModel::Kind::Line:
        break;
    }
    const Geometry g = geometry(width);
    int lines = int(wrapStarts(r.left.text, g.columns).size());
    if (m_model->mode() == DiffModel::Mode::SideBySide)
        lines = std::max(lines, int(wrapStarts(r.right.text, g.columns).size()));
    return {width, lines * lh};
}

QRect DiffDelegate::checkBoxRect(const QModelIndex& index, const QRect& rowRect) const
{
    const QRect box = m_model->row(index.row()).kind == DiffModel::Kind::File
                          ? rowRect.adjusted(0, kFileGap, 0, 0)
                          : rowRect;
    const QStyle* style = m_view->style();
    const int w = style->pixelMetric(QStyle::PM_IndicatorWidth);
    const int h = style->pixelMetric(QStyle::PM_IndicatorHeight);
    return {box.left() + kBar + 6, box.top() + (box.height() - h) / 2, w, h};
}

bool DiffDelegate::editorEvent(QEvent* event, QAbstractItemModel* model,
                               const QStyleOptionViewItem& option, const QModelIndex& index)
{
    const auto kind = DiffModel::Kind(index.data(DiffModel::KindRole).toInt());
    if (kind != DiffModel::Kind::File && kind != DiffModel::Kind::Hunk)
        return false;
    if (event->type() != QEvent::MouseButtonRelease && event->type() != QEvent::MouseButtonPress)
        return false;
    const auto* mouse = static_cast<QMouseEvent*>(event);
    if (mouse->button() != Qt::LeftButton || !checkBoxRect(index, option.rect)
                                                  .adjusted(-4, -4, 4, 4)
                                                  .contains(mouse->position().toPoint()))
        return false;
    if (event->type() == QEvent::MouseButtonRelease) {
        const bool accepted = index.data(Qt::CheckStateRole).toInt() == Qt::Checked;
        model->setData(index, accepted ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
    }
    return true;
}

void DiffDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                         const QModelIndex& index) const
{
    painter->save();
    const DiffModel::Row& r = m_model->row(index.row());
    if (r.kind == DiffModel::Kind::Line)
        paintLineRow(painter, option.rect, index.row());
    else
        paintHeader(painter, option, index.row());
    painter->restore();
}

void DiffDelegate::paintChips(QPainter* painter, int& x, const QRect& rect,
                              const QStringList& chips) const
{
    QFont font = m_view->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    font.setBold(true);
    painter->setFont(font);
    const QFontMetrics fm(font);
    for (const QString& chip : chips) {
        const QColor colour = layerColour(chip);
        const int w = fm.horizontalAdvance(chip) + 10;
        const QRect box(x, rect.center().y() - fm.height() / 2 - 1, w, fm.height() + 2);
        QColor fill = colour;
        fill.setAlpha(36);
        painter->setPen(colour);
        painter->setBrush(fill);
        painter->drawRoundedRect(box, 4, 4);
        painter->drawText(box, Qt::AlignCenter, chip);
        x += w + 4;
    }
    painter->setBrush(Qt::NoBrush);
}

void DiffDelegate::paintHeader(QPainter* painter, const QStyleOptionViewItem& option, int row) const
{
    const DiffModel::Row& r = m_model->row(row);
    const HunkSelection& selection = *m_model->selection();
    const QFont labelFont = m_view->font();
    QFont bold = labelFont;
    bold.setBold(true);
    const QFontMetrics fm(labelFont);

    if (r.kind == DiffModel::Kind::Note) {
        QFont italic = labelFont;
        italic.setItalic(true);
        painter->setFont(italic);
        painter->setPen(kMuted);
        painter->drawText(option.rect.adjusted(geometry(option.rect.width()).gutter, 0, 0, 0),
                          Qt::AlignVCenter | Qt::AlignLeft, r.left.text);
        return;
    }

    const bool file = r.kind == DiffModel::Kind::File;
    const QRect box = file ? option.rect.adjusted(0, kFileGap, 0, 0) : option.rect;
    painter->fillRect(box, file ? kFileBg : kHunkBg);
    painter->setPen(kBorder);
    painter->drawLine(box.topLeft(), box.topRight());
    if (file)
        painter->drawLine(box.bottomLeft(), box.bottomRight());
    if (!file && r.hunk == m_currentHunk)
        painter->fillRect(QRect(box.left(), box.top(), kBar - 2, box.height()), kCurrentBar);

    // The check box: accepted, rejected, or (a file) partly accepted.
    QStyleOptionButton check;
    check.rect = checkBoxRect(m_model->index(row), option.rect);
    const int state = m_model->index(row).data(Qt::CheckStateRole).toInt();
    check.state = QStyle::State_Enabled | (state == Qt::Checked     ? QStyle::State_On
                                           : state == Qt::Unchecked ? QStyle::State_Off
                                                                    : QStyle::State_NoChange);
    m_view->style()->drawPrimitive(QStyle::PE_IndicatorCheckBox, &check, painter, m_view);

    int x = check.rect.right() + 10;
    const QRect line = box.adjusted(0, 0, -kPad, 0);
    QString stateText;
    QColor stateColour = kAcceptedText;
    QStringList chips;
    if (file) {
        const FileChange& f = selection.files()[r.file];
        std::vector<Layer> layers;
        for (const ChangeHunk& h : f.hunks)
            for (Layer l : h.layers)
                if (std::find(layers.begin(), layers.end(), l) == layers.end())
                    layers.push_back(l);
        std::sort(layers.begin(), layers.end());
        chips = layerNames(layers);
        painter->setFont(bold);
        painter->setPen(option.palette.color(QPalette::Text));
        painter->drawText(QRect(x, line.top(), line.width(), line.height()),
                          Qt::AlignVCenter | Qt::AlignLeft, f.path);
        x += QFontMetrics(bold).horizontalAdvance(f.path) + 10;
        if (!r.right.text.isEmpty()) {
            QFont italic = labelFont;
            italic.setItalic(true);
            painter->setFont(italic);
            painter->setPen(kMuted);
            painter->drawText(QRect(x, line.top(), line.width(), line.height()),
                              Qt::AlignVCenter | Qt::AlignLeft, r.right.text);
            x += QFontMetrics(italic).horizontalAdvance(r.right.text) + 10;
        }
        paintChips(painter, x, line, chips);
        painter->setFont(labelFont);
        const QString added = QStringLiteral("+%1").arg(f.additions);
        const QString removed = QStringLiteral("−%1").arg(f.deletions);
        painter->setPen(kAcceptedText);
        painter->drawText(QRect(x + 6, line.top(), line.width(), line.height()),
                          Qt::AlignVCenter | Qt::AlignLeft, added);
        x += 6 + fm.horizontalAdvance(added) + 6;
        painter->setPen(kRejectedText);
        painter->drawText(QRect(x, line.top(), line.width(), line.height()),
                          Qt::AlignVCenter | Qt::AlignLeft, removed);
        const int taken = [&] {
            int n = 0;
            for (std::size_t h = 0; h < f.hunks.size(); ++h)
                n += selection.isAccepted(selection.firstHunkOf(r.file) + int(h)) ? 1 : 0;
            return n;
        }();
        const int total = int(f.hunks.size());
        stateText = taken == total ? tr("accepted")
                    : taken == 0   ? tr("rejected")
                                   : tr("%1 of %2 hunks accepted").arg(taken).arg(total);
        stateColour = taken == total ? kAcceptedText : taken == 0 ? kRejectedText : kMuted;
    } else {
        const ChangeHunk& h = selection.hunk(r.hunk);
        const QString title = tr("Hunk %1 of %2").arg(r.hunk + 1).arg(selection.hunkCount());
        painter->setFont(bold);
        painter->setPen(option.palette.color(QPalette::Text));
        painter->drawText(QRect(x, line.top(), line.width(), line.height()),
                          Qt::AlignVCenter | Qt::AlignLeft, title);
        x += QFontMetrics(bold).horizontalAdvance(title) + 10;
        paintChips(painter, x, line, layerNames(h.layers));
        if (!r.left.text.isEmpty()) {
            painter->setFont(m_code);
            painter->setPen(kMuted);
            painter->drawText(QRect(x + 4, line.top(), line.width(), line.height()),
                              Qt::AlignVCenter | Qt::AlignLeft, r.left.text);
        }
        const bool accepted = selection.isAccepted(r.hunk);
        stateText = accepted ? tr("accepted") : tr("rejected");
        stateColour = accepted ? kAcceptedText : kRejectedText;
    }
    painter->setFont(bold);
    painter->setPen(stateColour);
    painter->drawText(line, Qt::AlignVCenter | Qt::AlignRight, stateText);
}

void DiffDelegate::paintLineRow(QPainter* painter, const QRect& rect, int row) const
{
    const DiffModel::Row& r = m_model->row(row);
    const Geometry g = geometry(rect.width());
    const IntralineDiff::Ranges words = m_model->intraline(row);
    const bool rejected = !m_model->selection()->isAccepted(r.hunk);
    if (rejected)
        painter->setOpacity(kRejectedOpacity); // a rejected hunk's lines stay readable but recede
    if (m_model->mode() == DiffModel::Mode::Unified) {
        const QList<CharRange>& mine = r.left.origin == '-' ? words.before : words.after;
        const bool markEnding =
            r.partner >= 0 && (r.left.flags & DiffModel::Crlf) !=
                                  (m_model->row(r.partner).left.flags & DiffModel::Crlf);
        paintCell(painter, rect, g, true, row, true, mine, markEnding);
    } else {
        const int half = rect.width() / 2;
        const bool markEnding =
            r.left.origin == '-' && r.right.origin == '+' &&
            (r.left.flags & DiffModel::Crlf) != (r.right.flags & DiffModel::Crlf);
        paintCell(painter, QRect(rect.left(), rect.top(), half, rect.height()), g, false, row, true,
                  words.before, markEnding);
        paintCell(painter,
                  QRect(rect.left() + half, rect.top(), rect.width() - half, rect.height()), g,
                  false, row, false, words.after, markEnding);
        painter->setPen(kBorder);
        painter->drawLine(rect.left() + half, rect.top(), rect.left() + half, rect.bottom());
    }
    painter->setOpacity(1.0);
    if (r.hunk == m_currentHunk)
        painter->fillRect(QRect(rect.left(), rect.top(), kBar - 2, rect.height()), kCurrentBar);
}

void DiffDelegate::paintCell(QPainter* painter, const QRect& rect, const Geometry& g, bool unified,
                             int row, bool left, const QList<CharRange>& words,
                             bool markEnding) const
{
    const DiffModel::Row& r = m_model->row(row);
    const DiffModel::Cell& cell = left ? r.left : r.right;
    if (cell.origin == 0) {
        painter->fillRect(rect, kEmptyCell);
        return;
    }
    const bool added = cell.origin == '+';
    const bool removed = cell.origin == '-';
    const QColor background = added     ? kAddedBg
                              : removed ? kRemovedBg
                                        : m_view->palette().color(QPalette::Base);
    const QColor gutter = added ? kAddedGutter : removed ? kRemovedGutter : kEmptyCell;
    const QColor word = added ? kAddedWord : kRemovedWord;
    painter->fillRect(rect, background);
    painter->fillRect(QRect(rect.left(), rect.top(),
                            g.gutter - QFontMetrics(m_code).horizontalAdvance(QLatin1Char('M')) * 2,
                            rect.height()),
                      gutter);

    painter->setFont(m_code);
    const QFontMetrics fm(m_code);
    const int lh = lineHeight();
    const int baseline = rect.top() + 1 + fm.ascent();
    int x = rect.left() + kBar;
    painter->setPen(kMuted);
    const auto number = [&](int n) {
        if (n > 0)
            painter->drawText(QRect(x, rect.top(), g.numberWidth - kPad / 2, lh),
                              Qt::AlignRight | Qt::AlignVCenter, QString::number(n));
        x += g.numberWidth;
    };
    if (unified) {
        number(cell.oldNumber);
        number(cell.newNumber);
    } else {
        number(left ? cell.oldNumber : cell.newNumber);
    }
    const int cw = fm.horizontalAdvance(QLatin1Char('M'));
    painter->setPen(added ? kAcceptedText : removed ? kRejectedText : kMuted);
    painter->drawText(x + cw / 2, baseline,
                      added     ? QStringLiteral("+")
                      : removed ? QStringLiteral("-")
                                : QString());
    const int textX = rect.left() + g.gutter;

    const QString& text = cell.text;
    const QList<int> starts = wrapStarts(text, g.columns);
    const QColor textColour = m_view->palette().color(QPalette::Text);
    for (int i = 0; i < int(starts.size()); ++i) {
        const int from = starts[i];
        const int to = i + 1 < int(starts.size()) ? starts[i + 1] : int(text.size());
        const int y = rect.top() + i * lh;
        for (const CharRange& w : words) {
            const int a = std::max(w.start, from);
            const int b = std::min(w.start + w.length, to);
            if (a >= b)
                continue;
            const int x0 = textX + fm.horizontalAdvance(text.mid(from, a - from));
            const int x1 = textX + fm.horizontalAdvance(text.mid(from, b - from));
            painter->fillRect(QRect(x0, y, x1 - x0, lh), word);
        }
        painter->setPen(textColour);
        painter->drawText(textX, y + 1 + fm.ascent(), text.mid(from, to - from));
    }
    if ((cell.flags & DiffModel::NoNewline) || markEnding) {
        const int lastFrom = starts.last();
        const int endX = textX + fm.horizontalAdvance(text.mid(lastFrom)) + cw;
        const QString marker = (cell.flags & DiffModel::NoNewline) ? tr("no newline at end of file")
                               : (cell.flags & DiffModel::Crlf)    ? tr("CRLF")
                                                                   : tr("LF");
        QFont small = m_view->font();
        small.setItalic(true);
        painter->setFont(small);
        painter->setPen(kMuted);
        painter->drawText(
            QRect(endX, rect.top() + (int(starts.size()) - 1) * lh, rect.right() - endX, lh),
            Qt::AlignVCenter | Qt::AlignLeft, marker);
    }
}

} // namespace sg
