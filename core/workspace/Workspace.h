#pragma once

#include "common/Result.h"
#include "history/GitRepo.h"
#include "skill/SkillPackage.h"
#include "skill/SkillProblem.h"
#include "workspace/TaskStore.h"
#include "workspace/WorkspaceConfig.h"

#include <QString>

#include <optional>

namespace sg {

// A workspace folder (DESIGN.md 3): skillgrad.json, the skill under git in skill/, the tasks
// copied into tasks/, runs/ and cache/. Move-only, because it owns the skill's repository.
class Workspace
{
public:
    struct CreateOptions
    {
        QString skillPath;   // a folder or .zip/.skill archive
        QString taskKind;    // empty: no tasks
        QString tasksPath;   // the source's tasks.jsonl
        SplitCounts split;
        quint64 seed = 1;
        QString origin;      // how the workspace came to be, for the first commit ("example table-qa")
    };

    // Makes a workspace in `dir`, which must not exist or be empty. Everything is built in a
    // hidden sibling folder and renamed into place at the end, so a failure leaves nothing.
    static Result<Workspace> create(const QString& dir, const CreateOptions& options);
    static Result<Workspace> open(const QString& dir);
    static bool isWorkspace(const QString& dir);
    // The skill name a workspace recorded when `skillPath` is its skill/ folder (the folder
    // itself is not named after the skill: DESIGN.md 3); empty otherwise.
    static QString recordedSkillName(const QString& skillPath);

    const QString& root() const { return m_root; }
    QString configPath() const;
    QString skillDir() const;
    QString tasksDir() const;
    QString runsDir() const;
    QString cacheDir() const;

    const WorkspaceConfig& config() const { return m_config; }
    Result<void> saveConfig(const WorkspaceConfig& config);

    GitRepo& repo() { return *m_repo; }
    const GitRepo& repo() const { return *m_repo; }

    // The skill as it is in skill/ now, and its problems under the workspace's recorded name.
    Result<SkillPackage> loadSkill() const;
    SkillProblems validate(const SkillPackage& package) const;
    Result<TaskStore> tasks() const;

private:
    QString m_root;
    WorkspaceConfig m_config;
    std::optional<GitRepo> m_repo;
};

} // namespace sg
