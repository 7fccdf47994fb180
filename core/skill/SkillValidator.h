#pragma once

#include "SkillPackage.h"
#include "SkillProblem.h"

#include <QString>

namespace sg {

// Checks a package against the Agent Skills spec (agentskills.io) plus this project's pointer
// rules. Every problem names a file and line, and says how to fix it.
class SkillValidator
{
public:
    struct Options
    {
        // The name the skill must carry. Empty: the package folder's name, when it has one. A
        // workspace passes its recorded name, since its folder is always "skill/" (DESIGN.md 3).
        QString expectedName;
    };

    static constexpr int kMaxNameLength = 64;
    static constexpr int kMaxDescriptionLength = 1024;
    static constexpr int kMaxCompatibilityLength = 500;
    static constexpr int kMaxBodyLines = 500;

    static SkillProblems validate(const SkillPackage& package, const Options& options);
    static SkillProblems validate(const SkillPackage& package) { return validate(package, Options{}); }

    static bool hasErrors(const SkillProblems& problems);
    static int count(const SkillProblems& problems, SkillProblem::Level level);

    // A valid name made from any text ("My Skill!" -> "my-skill"); empty when nothing is left.
    static QString suggestName(const QString& text);
    static bool isAllowedKey(const QString& key);
};

} // namespace sg
