#pragma once

#include "common/Result.h"
#include "skill/SkillProblem.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceConfig.h"

#include <QString>

#include <map>

namespace sg {

// What `skillgrad init` and the Studio's new-workspace wizard share, so both make the same
// workspace from the same input and refuse the same things.
class WorkspaceInit
{
public:
    struct SkillReport
    {
        QString name; // from the front matter; empty when it has none
        SkillProblems problems;
    };

    // Extracts the built-in example `name` into `dir` (which must exist and outlive the
    // creation) and returns the options that import it with its own tasks.
    static Result<Workspace::CreateOptions> exampleOptions(const QString& name, const QString& dir);
    // The options that import a skill folder or archive, with tasks of `taskKind` read from
    // `tasksPath` (an empty kind: no tasks).
    static Workspace::CreateOptions skillOptions(const QString& skillPath,
                                                 const QString& taskKind = {},
                                                 const QString& tasksPath = {});

    // The validator's findings for `skillPath` exactly as Workspace::create judges them: the
    // name is checked against the package's own, since the imported folder is always skill/.
    // An error when the folder or archive cannot be read at all.
    static Result<SkillReport> checkSkill(const QString& skillPath);
    struct TaskReport
    {
        qsizetype tasks = 0;
        qsizetype train = 0;
        qsizetype val = 0;
        qsizetype test = 0;
    };
    // Loads `tasksPath` as tasks of `kind` and splits them as Workspace::create will.
    static Result<TaskReport> checkTasks(const QString& kind, const QString& tasksPath,
                                         const SplitCounts& split, quint64 seed);
    // Whether `dir` may become a workspace: it must not exist, or be an empty folder.
    static Result<void> checkTarget(const QString& dir);

    // Workspace::create, then `roles` (when not empty) saved into skillgrad.json. Should that
    // save fail, the new workspace is removed again, so a failure leaves nothing behind.
    static Result<Workspace> create(const QString& dir, const Workspace::CreateOptions& options,
                                    const std::map<QString, RoleConfig>& roles = {});
};

} // namespace sg
