#include "LineDiff.h"

#include <QHash>

#include <algorithm>
#include <utility>

namespace sg {

namespace {

// One side of the comparison: its lines as interned ids, and which of them changed. `m_changed`
// has a false sentinel before the first and after the last line, as xdiff's rchg does, so the
// group walks below need no bounds checks.
class Side
{
public:
    Side(const QStringList& lines, QHash<QString, int>& ids) : m_changed(lines.size() + 2, 0)
    {
        // Equal lines share an id, so the algorithm compares ints.
        m_ids.reserve(lines.size());
        for (const QString& line : lines) {
            auto it = ids.constFind(line);
            if (it == ids.constEnd())
                it = ids.insert(line, int(ids.size()));
            m_ids.push_back(it.value());
        }
    }

    int size() const { return int(m_ids.size()); }
    int id(int i) const { return m_ids[i]; }
    bool changed(int i) const { return m_changed[i + 1] != 0; }
    void mark(int i, bool changed) { m_changed[i + 1] = changed ? 1 : 0; }

private:
    std::vector<int> m_ids;
    std::vector<char> m_changed;
};

struct Point
{
    int x = 0;
    int y = 0;
};

// Myers' O(ND) diff in linear space: find the middle snake of a box, recurse on both halves.
class Myers
{
public:
    Myers(Side& a, Side& b) : m_a(a), m_b(b) {}

    void compare(int a0, int a1, int b0, int b1)
    {
        while (a0 < a1 && b0 < b1 && m_a.id(a0) == m_b.id(b0)) {
            ++a0;
            ++b0;
        }
        while (a0 < a1 && b0 < b1 && m_a.id(a1 - 1) == m_b.id(b1 - 1)) {
            --a1;
            --b1;
        }
        if (a0 == a1) {
            for (int j = b0; j < b1; ++j)
                m_b.mark(j, true);
            return;
        }
        if (b0 == b1) {
            for (int i = a0; i < a1; ++i)
                m_a.mark(i, true);
            return;
        }
        // Here the box needs two edits or more, so every part below is strictly smaller; the
        // middle part holds at most one edit, which the trimming above resolves.
        const auto [start, finish] = middleSnake(a0, b0, a1, b1);
        compare(a0, start.x, b0, start.y);
        compare(start.x, finish.x, start.y, finish.y);
        compare(finish.x, a1, finish.y, b1);
    }

private:
    // The box runs from (left, top) to (right, bottom); x indexes a, y indexes b. Forward paths
    // store their furthest x per diagonal k = x - y; backward paths their furthest y per
    // diagonal c = k - delta. The first overlap is the middle of a shortest edit script.
    std::pair<Point, Point> middleSnake(int left, int top, int right, int bottom)
    {
        const int delta = (right - left) - (bottom - top);
        const int max = (right - left + bottom - top + 1) / 2;
        const int offset = max + 1;
        std::vector<int> forward(2 * max + 3, 0), backward(2 * max + 3, 0);
        const auto vf = [&](int k) -> int& {
            return forward[k + offset];
        };
        const auto vb = [&](int c) -> int& {
            return backward[c + offset];
        };
        vf(1) = left;
        vb(1) = bottom;
        for (int d = 0; d <= max; ++d) {
            for (int k = d; k >= -d; k -= 2) {
                int x = 0, px = 0;
                if (k == -d || (k != d && vf(k - 1) < vf(k + 1))) {
                    px = x = vf(k + 1);
                } else {
                    px = vf(k - 1);
                    x = px + 1;
                }
                int y = top + (x - left) - k;
                const int py = (d == 0 || x != px) ? y : y - 1;
                while (x < right && y < bottom && m_a.id(x) == m_b.id(y)) {
                    ++x;
                    ++y;
                }
                vf(k) = x;
                const int c = k - delta;
                if ((delta & 1) != 0 && c >= -(d - 1) && c <= d - 1 && y >= vb(c))
                    return {{px, py}, {x, y}};
            }
            for (int c = d; c >= -d; c -= 2) {
                int y = 0, py = 0;
                if (c == -d || (c != d && vb(c - 1) > vb(c + 1))) {
                    py = y = vb(c + 1);
                } else {
                    py = vb(c - 1);
                    y = py - 1;
                }
                const int k = c + delta;
                int x = left + (y - top) + k;
                const int px = (d == 0 || y != py) ? x : x + 1;
                while (x > left && y > top && m_a.id(x - 1) == m_b.id(y - 1)) {
                    --x;
                    --y;
                }
                vb(c) = y;
                if ((delta & 1) == 0 && k >= -d && k <= d && x <= vf(k))
                    return {{x, y}, {px, py}};
            }
        }
        return {{left, top}, {right, bottom}}; // not reached: a path always exists
    }

    Side& m_a;
    Side& m_b;
};

// A run of changed lines [start, end) in one side; empty groups sit between unchanged lines.
struct Group
{
    int start = 0;
    int end = 0;
};

// xdiff's group walk (xdiffi.c), used to slide ambiguous change groups as git does.
class Groups
{
public:
    explicit Groups(Side& side) : m_side(side) {}

    Group first() const
    {
        Group g;
        while (m_side.changed(g.end))
            ++g.end;
        return g;
    }
    bool next(Group& g) const
    {
        if (g.end == m_side.size())
            return false;
        g.start = g.end + 1;
        for (g.end = g.start; m_side.changed(g.end); ++g.end) {
        }
        return true;
    }
    bool previous(Group& g) const
    {
        if (g.start == 0)
            return false;
        g.end = g.start - 1;
        for (g.start = g.end; m_side.changed(g.start - 1); --g.start) {
        }
        return true;
    }
    // Slides g one line towards the end when the line after it equals its first line, merging
    // any group it runs into.
    bool slideDown(Group& g)
    {
        if (g.end >= m_side.size() || m_side.id(g.start) != m_side.id(g.end))
            return false;
        m_side.mark(g.start++, false);
        m_side.mark(g.end++, true);
        while (m_side.changed(g.end))
            ++g.end;
        return true;
    }
    bool slideUp(Group& g)
    {
        if (g.start <= 0 || m_side.id(g.start - 1) != m_side.id(g.end - 1))
            return false;
        m_side.mark(--g.start, true);
        m_side.mark(--g.end, false);
        while (m_side.changed(g.start - 1))
            --g.start;
        return true;
    }

private:
    Side& m_side;
};

// git's xdl_change_compact without the indent heuristic: each group of changes goes as far down
// as it can, unless it can line up with a change in the other file. Sliding only swaps equal
// lines, so the kept lines, and the counts of added and removed lines, stay the same.
void compact(Side& side, Side& other)
{
    Groups groups(side), others(other);
    Group g = groups.first();
    Group go = others.first();
    while (true) {
        if (g.end != g.start) {
            int groupSize = 0;
            int earliestEnd = 0;
            int endMatchingOther = -1;
            do {
                groupSize = g.end - g.start;
                endMatchingOther = -1;
                while (groups.slideUp(g))
                    others.previous(go);
                earliestEnd = g.end;
                if (go.end > go.start)
                    endMatchingOther = g.end;
                while (groups.slideDown(g)) {
                    others.next(go);
                    if (go.end > go.start)
                        endMatchingOther = g.end;
                }
            } while (groupSize != g.end - g.start);

            if (g.end != earliestEnd && endMatchingOther != -1) {
                while (go.end == go.start) {
                    groups.slideUp(g);
                    others.previous(go);
                }
            }
        }
        if (!groups.next(g))
            break;
        others.next(go);
    }
}

QString hunkRange(int position, int count)
{
    // git prints the line before an empty range, and leaves out a count of one.
    const int start = count > 0 ? position + 1 : position;
    return count == 1 ? QString::number(start) : QStringLiteral("%1,%2").arg(start).arg(count);
}

} // namespace

QStringList LineDiff::lines(const QString& text)
{
    QString normal = text;
    normal.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    QStringList out = normal.split(QLatin1Char('\n'));
    // "a\n" and "a" are the same one line; "" is no line at all.
    if (out.last().isEmpty())
        out.removeLast();
    return out;
}

std::vector<LineEdit> LineDiff::diff(const QString& a, const QString& b)
{
    const QStringList aLines = lines(a);
    const QStringList bLines = lines(b);
    QHash<QString, int> ids;
    Side sideA(aLines, ids), sideB(bLines, ids);
    Myers(sideA, sideB).compare(0, sideA.size(), 0, sideB.size());
    compact(sideA, sideB);
    compact(sideB, sideA);

    std::vector<LineEdit> out;
    out.reserve(std::max(aLines.size(), bLines.size()));
    int i = 0, j = 0;
    while (i < sideA.size() || j < sideB.size()) {
        if (i < sideA.size() && sideA.changed(i)) {
            out.push_back({LineEdit::Remove, aLines[i], i + 1, 0});
            ++i;
        } else if (j < sideB.size() && sideB.changed(j)) {
            out.push_back({LineEdit::Add, bLines[j], 0, j + 1});
            ++j;
        } else {
            out.push_back({LineEdit::Keep, bLines[j], i + 1, j + 1});
            ++i;
            ++j;
        }
    }
    return out;
}

QString LineDiff::unified(const QString& path, const QString& a, const QString& b, int context)
{
    context = std::max(context, 0);
    const std::vector<LineEdit> edits = diff(a, b);
    const bool changed = std::any_of(edits.begin(), edits.end(),
                                     [](const LineEdit& e) { return e.kind != LineEdit::Keep; });
    if (!changed && !a.isNull() && !b.isNull())
        return {};

    QString out;
    out += a.isNull() ? QStringLiteral("--- /dev/null\n") : QStringLiteral("--- a/%1\n").arg(path);
    out += b.isNull() ? QStringLiteral("+++ /dev/null\n") : QStringLiteral("+++ b/%1\n").arg(path);

    const int count = int(edits.size());
    // Lines of a and b consumed before each edit, for the hunk headers.
    std::vector<int> oldBefore(count + 1, 0), newBefore(count + 1, 0);
    for (int e = 0; e < count; ++e) {
        oldBefore[e + 1] = oldBefore[e] + (edits[e].kind != LineEdit::Add ? 1 : 0);
        newBefore[e + 1] = newBefore[e] + (edits[e].kind != LineEdit::Remove ? 1 : 0);
    }

    int e = 0;
    while (e < count) {
        if (edits[e].kind == LineEdit::Keep) {
            ++e;
            continue;
        }
        // A hunk starts at this change and takes in every later change whose gap of unchanged
        // lines is at most twice the context, as git does.
        const int firstChange = e;
        int lastChange = e;
        int scan = e + 1;
        while (scan < count) {
            if (edits[scan].kind != LineEdit::Keep) {
                lastChange = scan++;
                continue;
            }
            int gapEnd = scan;
            while (gapEnd < count && edits[gapEnd].kind == LineEdit::Keep)
                ++gapEnd;
            if (gapEnd == count || gapEnd - scan > 2 * context)
                break;
            scan = gapEnd;
        }
        // The previous hunk ended more than 2 * context unchanged lines before, so the
        // leading context holds no change.
        const int from = std::max(firstChange - context, 0);
        const int end = std::min(lastChange + 1 + context, count);
        const int oldCount = oldBefore[end] - oldBefore[from];
        const int newCount = newBefore[end] - newBefore[from];
        out += QStringLiteral("@@ -%1 +%2 @@\n")
                   .arg(hunkRange(oldBefore[from], oldCount), hunkRange(newBefore[from], newCount));
        for (int h = from; h < end; ++h) {
            const QChar origin = edits[h].kind == LineEdit::Keep  ? QLatin1Char(' ')
                                 : edits[h].kind == LineEdit::Add ? QLatin1Char('+')
                                                                  : QLatin1Char('-');
            out += origin + edits[h].text + QLatin1Char('\n');
        }
        e = end;
    }
    return out;
}

} // namespace sg
