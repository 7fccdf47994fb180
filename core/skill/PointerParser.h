#pragma once

#include <QString>

#include <vector>

namespace sg {

// A pointer from L2 to an L3 file: "references/<path>.md" named in the body, as a Markdown link
// or as plain text. One parser serves the validator, the patch caps and the executor.
struct Pointer
{
    QString target; // normalised, e.g. "references/tables/csv.md"
    QString raw;    // as written
    int line = 0;   // 1-based, in the file the text came from
    int column = 0; // 1-based
    bool isLink = false;
    bool valid = true; // false when the path climbs out of references/ ("..")
};

class PointerParser
{
public:
    // Every pointer in `markdown`, in order; `firstLine` is the line number of its first line.
    static std::vector<Pointer> parse(const QString& markdown, int firstLine = 1);
};

} // namespace sg
