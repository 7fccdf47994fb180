#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace sg {

// One line of an edit script from text a to text b.
struct LineEdit
{
    enum Kind { Keep, Add, Remove };

    Kind kind = Keep;
    QString text;    // the line without its line break
    int oldLine = 0; // 1-based line in a; 0 for an added line
    int newLine = 0; // 1-based line in b; 0 for a removed line
};

// A line diff for skill files (small: a few thousand lines at most). Myers' algorithm in linear
// space, then git's sliding of ambiguous change groups (without its indent heuristic), so the
// hunks read like `git diff`. Both texts are compared as lines: CRLF counts as LF, and a missing
// final newline is no change.
class LineDiff
{
public:
    // The edit script in order; within a run of changes, removals come before additions.
    static std::vector<LineEdit> diff(const QString& a, const QString& b);

    // `git diff`-style text for one file: "--- a/path", "+++ b/path", then "@@ -l,n +l,n @@"
    // hunks with `context` lines around each change. A null `a` (QString()) is a file that did
    // not exist ("--- /dev/null"), a null `b` one that was deleted ("+++ /dev/null"); an empty
    // but non-null text is an existing empty file. Empty when nothing changed.
    static QString unified(const QString& path, const QString& a, const QString& b,
                           int context = 3);

    // The lines of `text` as diff() sees them: CRLF as LF, no empty line after a final newline.
    static QStringList lines(const QString& text);
};

} // namespace sg
