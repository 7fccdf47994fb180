#pragma once

#include "models/IntralineDiff.h"

#include <QAbstractListModel>
#include <QHash>

#include <vector>

namespace sg {

class HunkSelection;

// The rows of a proposal's diff for a list view: a row per file, per hunk and per line, in
// unified or side-by-side form. It reads and changes a HunkSelection (not owned): a file or hunk
// row's check state is whether it is accepted, and setting it accepts or rejects.
class DiffModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class Mode { Unified, SideBySide };
    enum class Kind { File, Hunk, Line, Note };
    enum Flag { NoNewline = 1, Crlf = 2 };
    enum Role { KindRole = Qt::UserRole + 1, FileRole, HunkRole, OriginRole };

    // One cell of a line: a unified line, or one side of a side-by-side row.
    struct Cell
    {
        char origin = 0;   // ' ' kept, '-' removed, '+' added; 0 for an empty side-by-side cell
        int oldNumber = 0; // 1-based; 0 for an added line or an empty cell
        int newNumber = 0; // 1-based; 0 for a removed line or an empty cell
        int flags = 0;     // Flag bits
        QString text;      // tabs expanded; for file, hunk and note rows their label
    };

    struct Row
    {
        Kind kind = Kind::Line;
        int file = -1;
        int hunk = -1;    // the selection's hunk number; -1 for a file row
        Cell left;        // unified: the line
        Cell right;       // side by side: the new side
        int partner = -1; // unified: the paired removed or added row, for intraline highlights
    };

    explicit DiffModel(QObject* parent = nullptr);

    // Rebuilds the rows; nullptr empties the model.
    void setSelection(HunkSelection* selection);
    HunkSelection* selection() const { return m_selection; }
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }

    const Row& row(int row) const { return m_rows[row]; }
    int rowOfFile(int file) const;
    int rowOfHunk(int hunk) const;
    int longestLine() const { return m_longestLine; } // in characters, over both sides
    int largestLineNumber() const { return m_largestNumber; }
    // The changed words of a removed/added line pair: `before` in the removed cell, `after` in
    // the added one (unified: this row and its partner; side by side: left and right).
    IntralineDiff::Ranges intraline(int row) const;

    void setHunkAccepted(int hunk, bool accepted);
    void setFileAccepted(int file, bool accepted);
    void setAllAccepted(bool accepted);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

Q_SIGNALS:
    // A hunk or file was accepted or rejected.
    void choiceChanged();

private:
    bool isRow(const QModelIndex& index) const;
    void rebuild();
    void appendFile(int file);
    void appendHunk(int file, int hunk);
    void refreshFile(int file);
    void refreshAll();

    HunkSelection* m_selection = nullptr;
    Mode m_mode = Mode::Unified;
    std::vector<Row> m_rows;
    std::vector<int> m_fileRows; // per file, plus the end
    std::vector<int> m_hunkRows; // per hunk
    int m_longestLine = 0;
    int m_largestNumber = 0;
    mutable QHash<int, IntralineDiff::Ranges> m_intraline;
};

} // namespace sg
