#include "IntralineDiff.h"

#include <QStringView>

#include <algorithm>
#include <vector>

namespace sg {

namespace {

// Above this many token pairs the LCS table costs more than the highlight is worth; only the
// common prefix and suffix are matched then.
constexpr qsizetype kMaxCells = 160000;
// Less than this share of the longer line in common: mark nothing.
constexpr double kMinCommon = 0.3;

struct Token
{
    int start = 0;
    int length = 0;
};

std::vector<Token> tokenize(const QString& text)
{
    std::vector<Token> out;
    const int size = int(text.size());
    int i = 0;
    while (i < size) {
        const QChar c = text[i];
        int j = i + 1;
        if (c.isLetterOrNumber() || c == QLatin1Char('_')) {
            while (j < size && (text[j].isLetterOrNumber() || text[j] == QLatin1Char('_')))
                ++j;
        } else if (c.isSpace()) {
            while (j < size && text[j].isSpace())
                ++j;
        }
        out.push_back({i, j - i});
        i = j;
    }
    return out;
}

// Changed tokens as character ranges; neighbours and ranges apart by one space merge, so
// "old words" replaced by "new text" reads as one change.
QList<CharRange> ranges(const QString& text, const std::vector<Token>& tokens,
                        const std::vector<char>& changed)
{
    QList<CharRange> out;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        if (!changed[t])
            continue;
        const Token& token = tokens[t];
        if (!out.isEmpty()) {
            CharRange& last = out.last();
            const int gap = token.start - (last.start + last.length);
            const bool spaceBetween = gap > 0 && gap <= 1 && text[token.start - 1].isSpace();
            if (gap == 0 || spaceBetween) {
                last.length = token.start + token.length - last.start;
                continue;
            }
        }
        out.push_back({token.start, token.length});
    }
    // Spaces at the edges of a change are not part of it.
    QList<CharRange> trimmed;
    for (CharRange r : out) {
        while (r.length > 0 && text[r.start].isSpace()) {
            ++r.start;
            --r.length;
        }
        while (r.length > 0 && text[r.start + r.length - 1].isSpace())
            --r.length;
        if (r.length > 0)
            trimmed << r;
    }
    return trimmed;
}

} // namespace

IntralineDiff::Ranges IntralineDiff::compare(const QString& before, const QString& after)
{
    if (before == after)
        return {};
    const std::vector<Token> a = tokenize(before);
    const std::vector<Token> b = tokenize(after);
    const auto same = [&](std::size_t i, std::size_t j) {
        return QStringView(before).mid(a[i].start, a[i].length) ==
               QStringView(after).mid(b[j].start, b[j].length);
    };

    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && same(prefix, prefix))
        ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           same(a.size() - 1 - suffix, b.size() - 1 - suffix))
        ++suffix;

    std::vector<char> changedA(a.size(), 0), changedB(b.size(), 0);
    const std::size_t n = a.size() - prefix - suffix;
    const std::size_t m = b.size() - prefix - suffix;
    if (qsizetype(n) * qsizetype(m) > kMaxCells) {
        std::fill(changedA.begin() + prefix, changedA.end() - suffix, 1);
        std::fill(changedB.begin() + prefix, changedB.end() - suffix, 1);
    } else {
        // LCS over the middle tokens, then walk it to mark what is not shared.
        std::vector<int> table((n + 1) * (m + 1), 0);
        const auto at = [&](std::size_t i, std::size_t j) -> int& {
            return table[i * (m + 1) + j];
        };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                at(i, j) = same(prefix + i, prefix + j) ? at(i + 1, j + 1) + 1
                                                        : std::max(at(i + 1, j), at(i, j + 1));
        std::size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same(prefix + i, prefix + j)) {
                ++i;
                ++j;
            } else if (j == m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
                changedA[prefix + i++] = 1;
            } else {
                changedB[prefix + j++] = 1;
            }
        }
    }

    int commonChars = 0;
    for (std::size_t t = 0; t < a.size(); ++t)
        commonChars += changedA[t] ? 0 : a[t].length;
    const int longer = int(std::max(before.size(), after.size()));
    if (longer > 0 && double(commonChars) / longer < kMinCommon)
        return {};
    return {ranges(before, a, changedA), ranges(after, b, changedB)};
}

} // namespace sg
