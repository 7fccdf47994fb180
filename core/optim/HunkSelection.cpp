#include "HunkSelection.h"

#include "optim/LineDiff.h"
#include "skill/FrontMatter.h"

#include <QHash>
#include <QStringDecoder>

#include <algorithm>
#include <map>

namespace sg {

namespace {

const QString kSkillMd = QStringLiteral("SKILL.md");

bool isBinary(const QByteArray& data)
{
    if (data.contains('\0'))
        return true;
    QStringDecoder decoder(QStringDecoder::Utf8);
    [[maybe_unused]] const QString text = decoder(data);
    return decoder.hasError();
}

// LineDiff compares text lines and treats CRLF and a missing final newline as no change; a
// partial acceptance must keep every byte, so each distinct raw line becomes a number and the
// numbers are diffed instead (same algorithm, same hunks as `git diff`).
std::vector<LineEdit> diffLines(const std::vector<QByteArray>& a, const std::vector<QByteArray>& b)
{
    QHash<QByteArray, int> ids;
    const auto encode = [&ids](const std::vector<QByteArray>& lines) {
        QString out;
        out.reserve(int(lines.size()) * 4);
        for (const QByteArray& line : lines) {
            auto it = ids.constFind(line);
            if (it == ids.constEnd())
                it = ids.insert(line, int(ids.size()));
            out += QString::number(it.value());
            out += QLatin1Char('\n');
        }
        return out;
    };
    const QString encodedA = encode(a);
    const QString encodedB = encode(b);
    return LineDiff::diff(encodedA, encodedB);
}

// The last line (1-based) of SKILL.md's front matter, or 0 when it has none.
int frontMatterEnd(const QByteArray& data)
{
    if (data.isEmpty())
        return 0;
    const FrontMatter::Parsed parsed = FrontMatter::parse(QString::fromUtf8(data));
    return parsed.frontMatter.present() ? parsed.frontMatter.lastLine() : 0;
}

void addLayer(std::vector<Layer>& layers, Layer layer)
{
    if (std::find(layers.begin(), layers.end(), layer) == layers.end())
        layers.push_back(layer);
}

QString hunkRange(int start, int count)
{
    return count == 1 ? QString::number(start) : QStringLiteral("%1,%2").arg(start).arg(count);
}

} // namespace

QString ChangeHunk::header() const
{
    return QStringLiteral("@@ -%1 +%2 @@")
        .arg(hunkRange(oldStart, oldCount), hunkRange(newStart, newCount));
}

HunkSelection::HunkSelection(const std::vector<TreeFile>& current,
                             const std::vector<TreeFile>& candidate, int context)
{
    std::map<QString, std::pair<const TreeFile*, const TreeFile*>> byPath;
    for (const TreeFile& f : current)
        byPath[f.path].first = &f;
    for (const TreeFile& f : candidate)
        byPath[f.path].second = &f;
    for (const auto& [path, pair] : byPath) {
        if (pair.first && pair.second && pair.first->data == pair.second->data)
            continue;
        addFile(path, pair.first, pair.second, std::max(context, 0));
    }
    for (std::size_t f = 0; f < m_files.size(); ++f) {
        m_firstHunk.push_back(int(m_hunkFile.size()));
        m_hunkFile.insert(m_hunkFile.end(), m_files[f].hunks.size(), int(f));
    }
    m_accepted.assign(m_hunkFile.size(), 1);
}

void HunkSelection::addFile(const QString& path, const TreeFile* before, const TreeFile* after,
                            int context)
{
    FileChange file;
    file.path = path;
    file.status = !before  ? FileChange::Status::Added
                  : !after ? FileChange::Status::Deleted
                           : FileChange::Status::Modified;
    file.layer = SkillPackage::layerOf(path);
    file.oldData = before ? before->data : QByteArray();
    file.newData = after ? after->data : QByteArray();
    file.binary = isBinary(file.oldData) || isBinary(file.newData);

    if (!file.binary) {
        file.oldLines = splitLines(file.oldData);
        file.newLines = splitLines(file.newData);
        const std::vector<LineEdit> edits = diffLines(file.oldLines, file.newLines);
        file.lines.reserve(edits.size());
        for (const LineEdit& e : edits) {
            const char origin = e.kind == LineEdit::Keep  ? ' '
                                : e.kind == LineEdit::Add ? '+'
                                                          : '-';
            file.lines.push_back({origin, e.oldLine - 1, e.newLine - 1});
            file.additions += origin == '+' ? 1 : 0;
            file.deletions += origin == '-' ? 1 : 0;
        }
    }

    const bool skillMd = path == kSkillMd;
    const int oldFrontEnd = skillMd ? frontMatterEnd(file.oldData) : 0;
    const int newFrontEnd = skillMd ? frontMatterEnd(file.newData) : 0;

    // Lines of a and b before each edit, for the hunk headers.
    const int count = int(file.lines.size());
    std::vector<int> oldBefore(count + 1, 0), newBefore(count + 1, 0);
    for (int e = 0; e < count; ++e) {
        oldBefore[e + 1] = oldBefore[e] + (file.lines[e].origin != '+' ? 1 : 0);
        newBefore[e + 1] = newBefore[e] + (file.lines[e].origin != '-' ? 1 : 0);
    }
    int e = 0;
    while (e < count) {
        if (file.lines[e].origin == ' ') {
            ++e;
            continue;
        }
        // A hunk takes in every later change whose gap of unchanged lines is at most twice the
        // context, as git (and LineDiff::unified) do.
        int lastChange = e;
        int scan = e + 1;
        while (scan < count) {
            if (file.lines[scan].origin != ' ') {
                lastChange = scan++;
                continue;
            }
            int gapEnd = scan;
            while (gapEnd < count && file.lines[gapEnd].origin == ' ')
                ++gapEnd;
            if (gapEnd == count || gapEnd - scan > 2 * context)
                break;
            scan = gapEnd;
        }
        ChangeHunk hunk;
        hunk.begin = std::max(e - context, 0);
        hunk.end = std::min(lastChange + 1 + context, count);
        hunk.oldCount = oldBefore[hunk.end] - oldBefore[hunk.begin];
        hunk.newCount = newBefore[hunk.end] - newBefore[hunk.begin];
        // git prints the line before an empty range.
        hunk.oldStart = oldBefore[hunk.begin] + (hunk.oldCount > 0 ? 1 : 0);
        hunk.newStart = newBefore[hunk.begin] + (hunk.newCount > 0 ? 1 : 0);
        for (int h = hunk.begin; h < hunk.end; ++h) {
            const ChangeLine& line = file.lines[h];
            if (line.origin == ' ')
                continue;
            hunk.additions += line.origin == '+' ? 1 : 0;
            hunk.deletions += line.origin == '-' ? 1 : 0;
            if (!skillMd) {
                addLayer(hunk.layers, file.layer);
                continue;
            }
            const bool inFront =
                line.origin == '-' ? line.oldIndex < oldFrontEnd : line.newIndex < newFrontEnd;
            addLayer(hunk.layers, inFront ? Layer::L1 : Layer::L2);
        }
        std::sort(hunk.layers.begin(), hunk.layers.end());
        file.hunks.push_back(std::move(hunk));
        e = file.hunks.back().end;
    }
    if (file.hunks.empty()) {
        // Binary, or an empty file added or deleted: the whole file is one choice.
        ChangeHunk whole;
        whole.layers = {file.layer};
        file.hunks.push_back(whole);
    }
    m_files.push_back(std::move(file));
}

int HunkSelection::fileIndex(const QString& path) const
{
    for (std::size_t f = 0; f < m_files.size(); ++f)
        if (m_files[f].path == path)
            return int(f);
    return -1;
}

const ChangeHunk& HunkSelection::hunk(int hunk) const
{
    const int file = m_hunkFile[hunk];
    return m_files[file].hunks[hunk - m_firstHunk[file]];
}

int HunkSelection::additions() const
{
    int sum = 0;
    for (const FileChange& f : m_files)
        sum += f.additions;
    return sum;
}

int HunkSelection::deletions() const
{
    int sum = 0;
    for (const FileChange& f : m_files)
        sum += f.deletions;
    return sum;
}

void HunkSelection::setFileAccepted(int file, bool accepted)
{
    const int first = m_firstHunk[file];
    std::fill_n(m_accepted.begin() + first, m_files[file].hunks.size(), accepted ? 1 : 0);
}

void HunkSelection::setAllAccepted(bool accepted)
{
    std::fill(m_accepted.begin(), m_accepted.end(), accepted ? 1 : 0);
}

HunkSelection::State HunkSelection::fileState(int file) const
{
    const auto first = m_accepted.begin() + m_firstHunk[file];
    const auto last = first + m_files[file].hunks.size();
    const auto taken = std::count(first, last, 1);
    return taken == last - first ? State::Accepted : taken == 0 ? State::Rejected : State::Mixed;
}

HunkSelection::State HunkSelection::state() const
{
    const auto taken = std::count(m_accepted.begin(), m_accepted.end(), 1);
    return taken == std::ptrdiff_t(m_accepted.size()) ? State::Accepted
           : taken == 0                               ? State::Rejected
                                                      : State::Mixed;
}

std::optional<QByteArray> HunkSelection::result(int file) const
{
    const FileChange& f = m_files[file];
    const State state = fileState(file);
    if (f.status == FileChange::Status::Added && state == State::Rejected)
        return std::nullopt;
    if (f.status == FileChange::Status::Deleted && state == State::Accepted)
        return std::nullopt;
    if (state != State::Mixed)
        return state == State::Accepted ? f.newData : f.oldData;

    // Mixed: unchanged lines stay, an accepted hunk brings its new lines, a rejected one keeps
    // its old lines.
    QByteArray out;
    out.reserve(std::max(f.oldData.size(), f.newData.size()));
    std::size_t h = 0;
    for (int i = 0; i < int(f.lines.size()); ++i) {
        while (h < f.hunks.size() && i >= f.hunks[h].end)
            ++h;
        const ChangeLine& line = f.lines[i];
        if (line.origin == ' ') {
            out += f.oldLines[line.oldIndex];
            continue;
        }
        const bool accepted = isAccepted(m_firstHunk[file] + int(h));
        if (line.origin == '+' && accepted)
            out += f.newLines[line.newIndex];
        else if (line.origin == '-' && !accepted)
            out += f.oldLines[line.oldIndex];
    }
    return out;
}

Decision HunkSelection::editDecision(const QString& note) const
{
    Decision d;
    d.kind = Decision::Kind::Edit;
    d.note = note;
    for (int f = 0; f < int(m_files.size()); ++f) {
        std::optional<QByteArray> content = result(f);
        if (content)
            d.files[m_files[f].path] = *content;
        else
            d.deleted << m_files[f].path;
    }
    return d;
}

Decision HunkSelection::decision(const QString& note) const
{
    switch (state()) {
    case State::Accepted: {
        Decision d;
        d.kind = Decision::Kind::Accept;
        d.note = note;
        return d;
    }
    case State::Rejected: {
        Decision d;
        d.kind = Decision::Kind::Reject;
        d.note = note;
        return d;
    }
    case State::Mixed:
        break;
    }
    return editDecision(note);
}

Decision HunkSelection::editedDecision(const QString& path, const QByteArray& content,
                                       const QString& note) const
{
    Decision d = editDecision(note);
    d.files[path] = content;
    d.deleted.removeAll(path);
    return d;
}

std::vector<QByteArray> HunkSelection::splitLines(const QByteArray& data)
{
    std::vector<QByteArray> out;
    qsizetype start = 0;
    while (start < data.size()) {
        const qsizetype newline = data.indexOf('\n', start);
        const qsizetype end = newline < 0 ? data.size() : newline + 1;
        out.push_back(data.mid(start, end - start));
        start = end;
    }
    return out;
}

QString HunkSelection::lineText(const QByteArray& line)
{
    qsizetype size = line.size();
    if (size > 0 && line[size - 1] == '\n')
        --size;
    if (size > 0 && line[size - 1] == '\r')
        --size;
    return QString::fromUtf8(line.constData(), size);
}

} // namespace sg
