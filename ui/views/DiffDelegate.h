#pragma once

#include "models/IntralineDiff.h"

#include <QFont>
#include <QStyledItemDelegate>

class QAbstractItemView;

namespace sg {

class DiffModel;

// Paints DiffModel rows: file and hunk rows with their accept check box and layer tags, lines
// with numbers, colours and intraline highlights, wrapped at the view's width (skill files are
// prose with long lines). Only visible rows are painted, so a long diff costs its layout only.
class DiffDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    DiffDelegate(DiffModel* model, QAbstractItemView* view);

    // The hunk that the keyboard acts on gets a bar in the margin.
    void setCurrentHunk(int hunk) { m_currentHunk = hunk; }

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // Where a file or hunk row's check box is, for clicks and tests.
    QRect checkBoxRect(const QModelIndex& index, const QRect& rowRect) const;
    // The starts of the visual lines `text` wraps into at `columns` characters.
    static QList<int> wrapStarts(const QString& text, int columns);

protected:
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

private:
    struct Geometry
    {
        int numberWidth = 0; // one line-number column
        int gutter = 0;      // numbers and origin, before the text
        int columns = 1;     // characters of text per visual line
    };
    Geometry geometry(int width) const;
    int lineHeight() const;
    void paintHeader(QPainter* painter, const QStyleOptionViewItem& option, int row) const;
    void paintLineRow(QPainter* painter, const QRect& rect, int row) const;
    void paintCell(QPainter* painter, const QRect& rect, const Geometry& g, bool unified, int row,
                   bool left, const QList<CharRange>& words, bool markEnding) const;
    void paintChips(QPainter* painter, int& x, const QRect& rect, const QStringList& chips) const;

    DiffModel* m_model = nullptr;
    QAbstractItemView* m_view = nullptr;
    QFont m_code;
    int m_currentHunk = -1;
};

} // namespace sg
