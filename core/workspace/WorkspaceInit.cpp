#include "WorkspaceInit.h"

#include "skill/SkillPackage.h"
#include "skill/SkillValidator.h"
#include "tasks/TaskSource.h"
#include "workspace/ExampleCatalog.h"

#include <QDir>
#include <QFileInfo>

namespace sg {

Result<Workspace::CreateOptions> WorkspaceInit::exampleOptions(const QString& name,
                                                               const QString& dir)
{
    auto example = ExampleCatalog::extract(name, dir);
    if (!example)
        return example.error();
    Workspace::CreateOptions options;
    options.skillPath = example->skillPath;
    options.taskKind = example->taskKind;
    options.tasksPath = example->tasksPath;
    options.origin = QStringLiteral("the built-in example %1").arg(name);
    return options;
}

Workspace::CreateOptions WorkspaceInit::skillOptions(const QString& skillPath,
                                                     const QString& taskKind,
                                                     const QString& tasksPath)
{
    Workspace::CreateOptions options;
    options.skillPath = skillPath;
    options.origin = QFileInfo(skillPath).fileName();
    options.taskKind = taskKind;
    options.tasksPath = taskKind.isEmpty() ? QString() : tasksPath;
    return options;
}

Result<WorkspaceInit::SkillReport> WorkspaceInit::checkSkill(const QString& skillPath)
{
    if (skillPath.trimmed().isEmpty())
        return Error{QStringLiteral("no skill given"),
                     QStringLiteral("choose a skill folder, or a .zip or .skill archive"),
                     {},
                     QStringLiteral("invalid")};
    auto package = SkillPackage::load(skillPath);
    if (!package)
        return package.error();
    // As Workspace::create: the package's folder name stops mattering once it is skill/.
    SkillValidator::Options options;
    options.expectedName = package->name();
    return SkillReport{package->name(), SkillValidator::validate(package.value(), options)};
}

Result<WorkspaceInit::TaskReport> WorkspaceInit::checkTasks(const QString& kind,
                                                            const QString& tasksPath,
                                                            const SplitCounts& split, quint64 seed)
{
    if (tasksPath.trimmed().isEmpty())
        return Error{QStringLiteral("no task file given"),
                     QStringLiteral("choose a tasks.jsonl file"),
                     {},
                     QStringLiteral("invalid")};
    auto tasks = TaskSource::load(kind, tasksPath);
    if (!tasks)
        return tasks.error();
    auto splits = TaskStore::makeSplits(tasks.value(), split, seed);
    if (!splits)
        return splits.error();
    return TaskReport{qsizetype(tasks->tasks.size()), splits->train.size(), splits->val.size(),
                      splits->test.size()};
}

Result<void> WorkspaceInit::checkTarget(const QString& dir)
{
    if (dir.trimmed().isEmpty())
        return Error{QStringLiteral("no folder given"),
                     QStringLiteral("choose where the new workspace goes"),
                     {},
                     QStringLiteral("invalid")};
    const QFileInfo info(dir);
    if (!info.exists())
        return {};
    if (!info.isDir())
        return Error{QStringLiteral("exists and is not a folder"),
                     QStringLiteral("choose a new folder for the workspace"), dir,
                     QStringLiteral("exists")};
    if (!QDir(dir).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
        return Error{QStringLiteral("exists and is not empty"),
                     QStringLiteral("choose a new folder for the workspace, or empty this one"),
                     dir, QStringLiteral("exists")};
    return {};
}

Result<Workspace> WorkspaceInit::create(const QString& dir, const Workspace::CreateOptions& options,
                                        const std::map<QString, RoleConfig>& roles)
{
    const bool existed = QFileInfo::exists(dir);
    Error failure;
    {
        auto ws = Workspace::create(dir, options);
        if (!ws || roles.empty())
            return ws;
        WorkspaceConfig config = ws->config();
        for (const auto& [name, role] : roles)
            config.roles[name] = role;
        auto saved = ws->saveConfig(config);
        if (saved)
            return ws;
        failure = saved.error();
    } // the repository is closed before the folder goes

    // Workspace::create made this folder a moment ago (it was absent or empty), so nothing of the
    // user's is in it.
    const QString root = QDir::cleanPath(QDir(dir).absolutePath());
    QDir(root).removeRecursively();
    if (existed)
        QDir().mkpath(root);
    failure.message =
        QStringLiteral("the workspace was not created: cannot save its model settings: %1")
            .arg(failure.message);
    return failure;
}

} // namespace sg
