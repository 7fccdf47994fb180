#pragma once

#include <QList>
#include <QString>

namespace sg {

// A run of changed characters inside a line: [start, start + length).
struct CharRange
{
    int start = 0;
    int length = 0;
};

// Which words changed between a removed line and the added line paired with it, for the
// intraline highlights of the proposal view. Words are runs of letters and digits; each other
// character is a token of its own, a run of spaces one token.
class IntralineDiff
{
public:
    struct Ranges
    {
        QList<CharRange> before; // in the removed line
        QList<CharRange> after;  // in the added line
    };

    // Empty ranges when the lines are equal, or so different that marking words would only
    // repeat the line's own colour.
    static Ranges compare(const QString& before, const QString& after);
};

} // namespace sg
