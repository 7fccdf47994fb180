#include "DiffModel.h"

#include "optim/HunkSelection.h"

#include <algorithm>

namespace sg {

namespace {

const QString kTab = QStringLiteral("    ");

DiffModel::Cell cellOf(const FileChange& file, const ChangeLine& line)
{
    DiffModel::Cell cell;
    cell.origin = line.origin;
    cell.oldNumber = line.oldIndex + 1;
    cell.newNumber = line.newIndex + 1;
    const QByteArray& raw =
        line.origin == '+' ? file.newLines[line.newIndex] : file.oldLines[line.oldIndex];
    cell.text = HunkSelection::lineText(raw);
    cell.text.replace(QLatin1Char('\t'), kTab);
    if (!raw.endsWith('\n'))
        cell.flags |= DiffModel::NoNewline;
    else if (raw.endsWith("\r\n"))
        cell.flags |= DiffModel::Crlf;
    return cell;
}

QString statusText(const FileChange& file)
{
    switch (file.status) {
    case FileChange::Status::Added:
        return DiffModel::tr("new file");
    case FileChange::Status::Deleted:
        return DiffModel::tr("deleted");
    case FileChange::Status::Modified:
        break;
    }
    return {};
}

} // namespace

DiffModel::DiffModel(QObject* parent) : QAbstractListModel(parent) {}

void DiffModel::setSelection(HunkSelection* selection)
{
    beginResetModel();
    m_selection = selection;
    rebuild();
    endResetModel();
}

void DiffModel::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    beginResetModel();
    m_mode = mode;
    rebuild();
    endResetModel();
}

void DiffModel::rebuild()
{
    m_rows.clear();
    m_fileRows.clear();
    m_hunkRows.clear();
    m_intraline.clear();
    m_longestLine = 0;
    m_largestNumber = 0;
    if (!m_selection)
        return;
    const auto& files = m_selection->files();
    m_hunkRows.resize(m_selection->hunkCount(), 0);
    std::size_t lines = 0;
    for (const FileChange& f : files)
        lines += f.lines.size() + 2 * f.hunks.size() + 1;
    m_rows.reserve(lines);
    for (int f = 0; f < int(files.size()); ++f) {
        m_fileRows.push_back(int(m_rows.size()));
        appendFile(f);
    }
    m_fileRows.push_back(int(m_rows.size()));
}

void DiffModel::appendFile(int file)
{
    const FileChange& f = m_selection->files()[file];
    Row header;
    header.kind = Kind::File;
    header.file = file;
    header.left.text = f.path;
    header.right.text = statusText(f);
    m_rows.push_back(header);
    for (int h = 0; h < int(f.hunks.size()); ++h)
        appendHunk(file, h);
}

void DiffModel::appendHunk(int file, int hunk)
{
    const FileChange& f = m_selection->files()[file];
    const ChangeHunk& h = f.hunks[hunk];
    const int number = m_selection->firstHunkOf(file) + hunk;
    m_hunkRows[number] = int(m_rows.size());

    Row header;
    header.kind = Kind::Hunk;
    header.file = file;
    header.hunk = number;
    header.left.text = h.header();
    m_rows.push_back(header);

    if (h.begin == h.end) {
        Row note;
        note.kind = Kind::Note;
        note.file = file;
        note.hunk = number;
        note.left.text = f.binary ? tr("Binary file: accept or reject it whole.")
                                  : tr("Empty file: accept or reject it whole.");
        m_rows.push_back(note);
        return;
    }

    const auto track = [this](const Cell& cell) {
        m_longestLine = std::max(m_longestLine, int(cell.text.size()));
        m_largestNumber = std::max({m_largestNumber, cell.oldNumber, cell.newNumber});
    };
    int i = h.begin;
    while (i < h.end) {
        const ChangeLine& line = f.lines[i];
        Row row;
        row.kind = Kind::Line;
        row.file = file;
        row.hunk = number;
        if (line.origin == ' ') {
            row.left = cellOf(f, line);
            track(row.left);
            if (m_mode == Mode::SideBySide)
                row.right = row.left;
            m_rows.push_back(row);
            ++i;
            continue;
        }
        // A run of removals, then of additions: the k-th removed line pairs with the k-th added.
        int removedEnd = i;
        while (removedEnd < h.end && f.lines[removedEnd].origin == '-')
            ++removedEnd;
        int addedEnd = removedEnd;
        while (addedEnd < h.end && f.lines[addedEnd].origin == '+')
            ++addedEnd;
        const int removed = removedEnd - i;
        const int added = addedEnd - removedEnd;
        if (m_mode == Mode::SideBySide) {
            for (int k = 0; k < std::max(removed, added); ++k) {
                row.left = k < removed ? cellOf(f, f.lines[i + k]) : Cell{};
                row.right = k < added ? cellOf(f, f.lines[removedEnd + k]) : Cell{};
                track(row.left);
                track(row.right);
                m_rows.push_back(row);
            }
        } else {
            const int first = int(m_rows.size());
            for (int k = 0; k < removed + added; ++k) {
                row.left = cellOf(f, f.lines[i + k]);
                track(row.left);
                row.partner = k < removed ? (k < added ? first + removed + k : -1)
                                          : (k - removed < removed ? first + k - removed : -1);
                m_rows.push_back(row);
            }
        }
        i = addedEnd;
    }
}

int DiffModel::rowOfFile(int file) const
{
    return file >= 0 && file + 1 < int(m_fileRows.size()) ? m_fileRows[file] : -1;
}

int DiffModel::rowOfHunk(int hunk) const
{
    return hunk >= 0 && hunk < int(m_hunkRows.size()) ? m_hunkRows[hunk] : -1;
}

IntralineDiff::Ranges DiffModel::intraline(int row) const
{
    const Row& r = m_rows[row];
    if (r.kind != Kind::Line)
        return {};
    const Cell* removed = nullptr;
    const Cell* added = nullptr;
    int key = row;
    if (m_mode == Mode::SideBySide) {
        if (r.left.origin == '-' && r.right.origin == '+') {
            removed = &r.left;
            added = &r.right;
        }
    } else if (r.partner >= 0) {
        removed = r.left.origin == '-' ? &r.left : &m_rows[r.partner].left;
        added = r.left.origin == '+' ? &r.left : &m_rows[r.partner].left;
        key = std::min(row, r.partner); // one entry per pair
    }
    if (!removed || !added)
        return {};
    auto it = m_intraline.constFind(key);
    if (it == m_intraline.constEnd())
        it = m_intraline.insert(key, IntralineDiff::compare(removed->text, added->text));
    return it.value();
}

void DiffModel::setHunkAccepted(int hunk, bool accepted)
{
    if (!m_selection || hunk < 0 || hunk >= m_selection->hunkCount() ||
        m_selection->isAccepted(hunk) == accepted)
        return;
    m_selection->setAccepted(hunk, accepted);
    refreshFile(m_selection->fileOfHunk(hunk));
    Q_EMIT choiceChanged();
}

void DiffModel::setFileAccepted(int file, bool accepted)
{
    if (!m_selection || file < 0 || file >= int(m_selection->files().size()))
        return;
    m_selection->setFileAccepted(file, accepted);
    refreshFile(file);
    Q_EMIT choiceChanged();
}

void DiffModel::setAllAccepted(bool accepted)
{
    if (!m_selection)
        return;
    m_selection->setAllAccepted(accepted);
    refreshAll();
    Q_EMIT choiceChanged();
}

void DiffModel::refreshFile(int file)
{
    // The file row shows the file's state and every line of a hunk is drawn by its state.
    Q_EMIT dataChanged(index(m_fileRows[file]), index(m_fileRows[file + 1] - 1));
}

void DiffModel::refreshAll()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
}

bool DiffModel::isRow(const QModelIndex& index) const
{
    // The model tester asks about invalid indexes on purpose; they get nothing, silently.
    return index.isValid() && index.model() == this && index.row() < int(m_rows.size()) &&
           !index.parent().isValid();
}

int DiffModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant DiffModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const Row& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole: {
        if (r.kind != Kind::Line)
            return r.right.text.isEmpty()
                       ? r.left.text
                       : r.left.text + QStringLiteral(" (") + r.right.text + QLatin1Char(')');
        const auto cell = [](const Cell& c) {
            return c.origin == 0 ? QString() : QChar::fromLatin1(c.origin) + c.text;
        };
        return m_mode == Mode::Unified ? cell(r.left)
                                       : cell(r.left) + QStringLiteral(" | ") + cell(r.right);
    }
    case Qt::CheckStateRole: {
        if (r.kind == Kind::File) {
            switch (m_selection->fileState(r.file)) {
            case HunkSelection::State::Accepted:
                return Qt::Checked;
            case HunkSelection::State::Rejected:
                return Qt::Unchecked;
            case HunkSelection::State::Mixed:
                break;
            }
            return Qt::PartiallyChecked;
        }
        if (r.kind == Kind::Hunk)
            return m_selection->isAccepted(r.hunk) ? Qt::Checked : Qt::Unchecked;
        return {};
    }
    case KindRole:
        return int(r.kind);
    case FileRole:
        return r.file;
    case HunkRole:
        return r.hunk;
    case OriginRole:
        return r.left.origin == 0 ? QString() : QString(QChar::fromLatin1(r.left.origin));
    default:
        return {};
    }
}

bool DiffModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || !isRow(index))
        return false;
    const Row& r = m_rows[index.row()];
    const bool accepted = value.toInt() != Qt::Unchecked;
    if (r.kind == Kind::File)
        setFileAccepted(r.file, accepted);
    else if (r.kind == Kind::Hunk)
        setHunkAccepted(r.hunk, accepted);
    else
        return false;
    return true;
}

Qt::ItemFlags DiffModel::flags(const QModelIndex& index) const
{
    if (!isRow(index))
        return Qt::NoItemFlags;
    Qt::ItemFlags out = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    const Kind kind = m_rows[index.row()].kind;
    if (kind == Kind::File || kind == Kind::Hunk)
        out |= Qt::ItemIsUserCheckable;
    return out;
}

} // namespace sg
