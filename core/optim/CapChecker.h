#pragma once

#include "CapReport.h"

#include <QString>

#include <vector>

namespace sg {

class SkillPackage;
struct Task;

// What the caps of one iteration need to know besides the two versions of the skill.
struct CapContext
{
    QString skillName; // the name recorded for the workspace (the folder is always "skill/")
    std::vector<const Task*> batch; // this iteration's tasks: their ids, gold answers and questions
    int changedLineCap = 40;        // the "learning rate"
    int descriptionWordCap = 50;
    int bodyLineCap = 500;
    // A structural move (lift to L3, merge, split) is allowed: moved lines are exempt.
    bool escalation = false;
    bool allowScripts = false; // scripts/ may change only when the run enables it
};

// The layer-aware caps of DESIGN.md 4.6, checked on the patcher's edit before it becomes a
// proposal (and on a reviewer's edit before it is committed). The state caps (description,
// spec, pointers, orphans, body length) judge `after` as a whole; the change caps (task-specific
// lines, changed lines, scripts) judge only what differs from `before`.
class CapChecker
{
public:
    static CapReport check(const SkillPackage& before, const SkillPackage& after,
                           const CapContext& context);
};

} // namespace sg
