#pragma once

#include "history/Version.h"
#include "optim/Review.h"
#include "skill/SkillPackage.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace sg {

// One line of a file's edit script; the indexes point into FileChange::oldLines / newLines.
struct ChangeLine
{
    char origin = ' '; // ' ' kept, '-' removed, '+' added
    int oldIndex = -1; // 0-based; -1 for an added line
    int newIndex = -1; // 0-based; -1 for a removed line
};

// Changes with up to `context` unchanged lines around them, grouped as `git diff` groups them.
// A binary file, or an empty file added or deleted, has one hunk without lines: the whole file.
struct ChangeHunk
{
    int begin = 0; // [begin, end) in FileChange::lines, context included
    int end = 0;
    int oldStart = 0; // as in "@@ -oldStart,oldCount +newStart,newCount @@"
    int oldCount = 0;
    int newStart = 0;
    int newCount = 0;
    int additions = 0;
    int deletions = 0;
    std::vector<Layer> layers; // L1 and/or L2 inside SKILL.md, else the file's layer

    QString header() const; // "@@ -1,3 +1,4 @@"
};

// One file that differs between the current version and the candidate, byte for byte.
struct FileChange
{
    enum class Status { Added, Deleted, Modified };

    QString path;
    Status status = Status::Modified;
    Layer layer = Layer::Other;
    bool binary = false; // not UTF-8 text, or holds NUL bytes: accepted or rejected whole
    QByteArray oldData;  // empty when added
    QByteArray newData;  // empty when deleted
    // The lines with their own line breaks ("\n", "\r\n", or none for a last line without one),
    // so a file put back together from them is byte-identical: CRLF and missing final newlines
    // survive a partial acceptance.
    std::vector<QByteArray> oldLines;
    std::vector<QByteArray> newLines;
    std::vector<ChangeLine> lines; // the whole edit script
    std::vector<ChangeHunk> hunks; // never empty
    int additions = 0;
    int deletions = 0;
};

// A person's per-file and per-hunk choice over a proposal (DESIGN.md 4.7): it diffs the current
// version against the candidate, keeps which hunks are accepted (all at first), rebuilds each
// file from that choice, and turns it into the Decision the optimizer takes. Hunks are numbered
// across files, files in path order.
class HunkSelection
{
public:
    enum class State { Accepted, Rejected, Mixed };

    static constexpr int kContext = 3;

    HunkSelection() = default;
    HunkSelection(const std::vector<TreeFile>& current, const std::vector<TreeFile>& candidate,
                  int context = kContext);

    const std::vector<FileChange>& files() const { return m_files; }
    int fileIndex(const QString& path) const; // -1 when the file did not change
    int hunkCount() const { return int(m_hunkFile.size()); }
    int fileOfHunk(int hunk) const { return m_hunkFile[hunk]; }
    int firstHunkOf(int file) const { return m_firstHunk[file]; }
    const ChangeHunk& hunk(int hunk) const;
    int additions() const;
    int deletions() const;

    bool isAccepted(int hunk) const { return m_accepted[hunk] != 0; }
    void setAccepted(int hunk, bool accepted) { m_accepted[hunk] = accepted ? 1 : 0; }
    void setFileAccepted(int file, bool accepted);
    void setAllAccepted(bool accepted);
    State fileState(int file) const;
    State state() const; // Accepted also when nothing changed

    // A file's content under the current choice; nullopt when the file would not exist.
    std::optional<QByteArray> result(int file) const;
    // Accept when every hunk is accepted, Reject when none is, otherwise an Edit whose `files`
    // hold each changed file's result and whose `deleted` lists the changed files that end up
    // absent (accepted deletions, rejected additions), to apply to the candidate (applyEdit).
    Decision decision(const QString& note = {}) const;
    // An Edit: the current choice, with `path` replaced by a person's text.
    Decision editedDecision(const QString& path, const QByteArray& content,
                            const QString& note = {}) const;

    // The lines of `data`, each keeping its line break.
    static std::vector<QByteArray> splitLines(const QByteArray& data);
    // A line as text, without its line break.
    static QString lineText(const QByteArray& line);

private:
    void addFile(const QString& path, const TreeFile* before, const TreeFile* after, int context);
    Decision editDecision(const QString& note) const;

    std::vector<FileChange> m_files;
    std::vector<int> m_firstHunk; // per file: its first hunk's number
    std::vector<int> m_hunkFile;  // per hunk: its file
    std::vector<char> m_accepted; // per hunk
};

} // namespace sg
