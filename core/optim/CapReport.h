#pragma once

#include <nlohmann/json.hpp>

#include <QString>

#include <vector>

namespace sg {

// One broken layer-aware cap (DESIGN.md 4.6). `cap` is one of: description-words, spec, pointer,
// orphan, body-lines, task-specific, changed-lines, scripts.
struct CapViolation
{
    QString cap;
    QString file;    // relative to the package root; empty when the cap concerns the whole patch
    int line = 0;    // 1-based; 0 when it concerns the whole file
    QString message; // what is wrong and what to do; never a gold answer
};

// The caps' verdict on one patch.
struct CapReport
{
    std::vector<CapViolation> violations;
    int changedLines = 0; // as counted for the cap: a move counts once, or not at all on escalation
    int movedLines = 0;

    bool ok() const { return violations.empty(); }
    // One violation a line, "file:line: cap: message" ("file: …" without a line, "cap: …"
    // without a file): fed back to the patcher for its one repair round.
    QString text() const;
    // {"ok", "changed_lines", "moved_lines", "violations": [{"cap", "file", "line", "message"}]}
    nlohmann::json toJson() const;
};

} // namespace sg
