#pragma once

#include <QString>

#include <vector>

namespace sg {

// One line of a hunk. "\ No newline at end of file" markers are not lines here.
struct DiffLine
{
    char origin = ' '; // ' ' context, '+' added, '-' removed
    QString text;      // without the trailing newline
    int oldLine = -1;  // -1 for an added line
    int newLine = -1;  // -1 for a removed line
};

struct DiffHunk
{
    QString header; // "@@ -1,3 +1,4 @@ context", without the newline
    int oldStart = 0;
    int oldLines = 0;
    int newStart = 0;
    int newLines = 0;
    std::vector<DiffLine> lines;
};

// The change to one file between two versions (or a version and the work tree).
struct FileDiff
{
    enum class Status { Added, Deleted, Modified, Renamed };

    Status status = Status::Modified;
    QString oldPath; // equals newPath unless renamed; set for added files too
    QString newPath;
    bool binary = false; // no hunks then
    int additions = 0;
    int deletions = 0;
    std::vector<DiffHunk> hunks;
};

} // namespace sg
