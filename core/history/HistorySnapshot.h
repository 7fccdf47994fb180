#pragma once

#include "Version.h"
#include "common/Result.h"

#include <QString>

#include <vector>

namespace sg {

// Everything the Studio's history view shows, read in one go as values so it can be loaded on a
// worker thread and handed to the UI thread (STYLE.md: one repository handle per thread).
struct HistorySnapshot
{
    std::vector<Version> main;       // newest first, following first parents
    std::vector<Proposal> proposals; // by run, then iteration
    std::vector<Tag> tags;           // by name
    QString head;                    // main's newest commit; empty while main has no commit

    // Opens its own GitRepo on `skillDir` (a workspace's skill/ folder) and reads main, every
    // proposal and every tag.
    static Result<HistorySnapshot> load(const QString& skillDir);
};

} // namespace sg
