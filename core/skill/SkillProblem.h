#pragma once

#include <QString>

#include <vector>

namespace sg {

// One finding of the validator: where, how bad, what, and how to fix it.
struct SkillProblem
{
    enum class Level { Error, Warning };

    QString file;  // relative to the package root, e.g. "SKILL.md" or "references/a.md"
    int line = 0;  // 1-based; 0 when the finding concerns the whole file
    Level level = Level::Error;
    QString rule;  // a stable id such as "name-charset", for scripts and tests
    QString message;
    QString hint;

    bool isError() const { return level == Level::Error; }
    // "file:line: level: message (hint)", the format of `skillgrad validate`.
    QString text() const;
    static QString levelName(Level level);
};

using SkillProblems = std::vector<SkillProblem>;

} // namespace sg
