#include "Workspace.h"

#include "common/AtomicFile.h"
#include "skill/SkillSource.h"
#include "skill/SkillValidator.h"
#include "tasks/TaskSource.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

namespace sg {

namespace {

const QString kConfigFile = QStringLiteral("skillgrad.json");

Error invalidSkill(const QString& path, const SkillProblems& problems)
{
    QStringList lines;
    for (const SkillProblem& p : problems) {
        if (p.isError())
            lines << QStringLiteral("  ") + p.text();
    }
    return Error{QStringLiteral("the skill has %1 error(s) under the Agent Skills spec:\n%2").arg(lines.size()).arg(lines.join(QLatin1Char('\n'))),
                 QStringLiteral("fix them first; `skillgrad validate %1` lists them").arg(path), path, QStringLiteral("invalid")};
}

std::vector<TreeFile> toTree(const std::vector<SkillFile>& files)
{
    std::vector<TreeFile> out;
    out.reserve(files.size());
    for (const SkillFile& f : files)
        out.push_back({f.path, f.data, f.executable});
    return out;
}

Result<void> checkTarget(const QString& dir)
{
    const QFileInfo info(dir);
    if (!info.exists())
        return {};
    if (!info.isDir())
        return Error{QStringLiteral("exists and is not a folder"), QStringLiteral("choose a new folder for the workspace"), dir, QStringLiteral("exists")};
    if (!QDir(dir).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
        return Error{QStringLiteral("exists and is not empty"), QStringLiteral("choose a new folder for the workspace, or empty this one"), dir,
                     QStringLiteral("exists")};
    return {};
}

} // namespace

bool Workspace::isWorkspace(const QString& dir)
{
    return QFileInfo(QDir(dir).filePath(kConfigFile)).isFile();
}

QString Workspace::recordedSkillName(const QString& skillPath)
{
    const QFileInfo info(skillPath);
    if (!info.isDir() || !isWorkspace(info.absolutePath()))
        return {};
    auto ws = open(info.absolutePath());
    if (!ws || QFileInfo(ws->skillDir()).canonicalFilePath() != info.canonicalFilePath())
        return {};
    return ws->config().skillName;
}

QString Workspace::configPath() const
{
    return QDir(m_root).filePath(kConfigFile);
}
QString Workspace::skillDir() const
{
    return QDir(m_root).filePath(QStringLiteral("skill"));
}
QString Workspace::tasksDir() const
{
    return QDir(m_root).filePath(QStringLiteral("tasks"));
}
QString Workspace::runsDir() const
{
    return QDir(m_root).filePath(QStringLiteral("runs"));
}
QString Workspace::cacheDir() const
{
    return QDir(m_root).filePath(QStringLiteral("cache"));
}

Result<Workspace> Workspace::create(const QString& dirArg, const CreateOptions& options)
{
    const QString dir = QDir::cleanPath(QDir(dirArg).absolutePath());
    if (auto ok = checkTarget(dir); !ok)
        return ok.error();

    // Read and check everything before writing anything.
    auto files = SkillSource::read(options.skillPath);
    if (!files)
        return files.error();
    const SkillPackage package = SkillPackage::fromFiles(files.value());
    SkillValidator::Options validation;
    validation.expectedName = package.name(); // the package's folder name does not matter once imported
    if (const SkillProblems problems = SkillValidator::validate(package, validation); SkillValidator::hasErrors(problems))
        return invalidSkill(options.skillPath, problems);

    std::optional<TaskSet> tasks;
    std::optional<Splits> splits;
    if (!options.taskKind.isEmpty()) {
        auto loaded = TaskSource::load(options.taskKind, options.tasksPath);
        if (!loaded)
            return loaded.error();
        auto made = TaskStore::makeSplits(loaded.value(), options.split, options.seed);
        if (!made)
            return made.error();
        tasks = std::move(loaded.value());
        splits = std::move(made.value());
    }

    const QString parent = QFileInfo(dir).absolutePath();
    if (!QDir().mkpath(parent))
        return Error{QStringLiteral("cannot create the folder"), QStringLiteral("check permissions"), parent, QStringLiteral("io")};
    QTemporaryDir staging(parent + QStringLiteral("/.") + QFileInfo(dir).fileName() + QStringLiteral(".init-XXXXXX"));
    if (!staging.isValid())
        return Error{QStringLiteral("cannot create a staging folder: %1").arg(staging.errorString()), QStringLiteral("check permissions and free space"),
                     parent, QStringLiteral("io")};
    const QString root = staging.path();

    {
        auto repo = GitRepo::init(root + QStringLiteral("/skill"));
        if (!repo)
            return repo.error();
        const QString body = options.origin.isEmpty() ? QString() : QStringLiteral("Imported from %1.").arg(options.origin);
        auto first = repo->commitFiles(toTree(files->files), QStringLiteral("Import skill %1").arg(package.name()), body,
                                       {{QStringLiteral("SkillGrad-Event"), QStringLiteral("import")}});
        if (!first)
            return first.error();
        if (auto tag = repo->tag(QStringLiteral("seed"), QStringLiteral("main"), QStringLiteral("The skill as imported")); !tag)
            return tag.error();
    } // the repository is closed before the folder moves

    WorkspaceConfig config;
    config.skillName = package.name();
    config.seed = options.seed;
    config.split = options.split;
    if (tasks) {
        config.taskSource = options.taskKind;
        config.taskOrigin = options.origin.isEmpty() ? QFileInfo(options.tasksPath).absoluteFilePath() : options.origin;
        if (auto copied = tasks->copyTo(root + QStringLiteral("/tasks")); !copied)
            return copied.error();
        if (auto written = AtomicFile::write(root + QStringLiteral("/tasks/splits.json"), QByteArray::fromStdString(splits->toJson().dump(2) + "\n"));
            !written)
            return written.error();
    } else {
        QDir().mkpath(root + QStringLiteral("/tasks"));
    }
    for (const char* sub : {"runs", "cache"}) {
        if (!QDir().mkpath(root + QLatin1Char('/') + QLatin1String(sub)))
            return Error{QStringLiteral("cannot create the folder"), QStringLiteral("check permissions and free space"), root, QStringLiteral("io")};
    }
    if (auto saved = config.save(root + QLatin1Char('/') + kConfigFile); !saved)
        return saved.error();

    // The one step that makes the workspace appear: an empty target folder is replaced.
    if (QFileInfo::exists(dir) && !QDir().rmdir(dir))
        return Error{QStringLiteral("cannot replace the empty folder"), QStringLiteral("check permissions"), dir, QStringLiteral("io")};
    if (!QDir().rename(root, dir))
        return Error{QStringLiteral("cannot move the new workspace into place"), QStringLiteral("check permissions"), dir, QStringLiteral("io")};
    staging.setAutoRemove(false);
    return open(dir);
}

Result<Workspace> Workspace::open(const QString& dirArg)
{
    const QString dir = QDir::cleanPath(QDir(dirArg).absolutePath());
    if (!isWorkspace(dir))
        return Error{QStringLiteral("is not a SkillGrad workspace (no skillgrad.json)"),
                     QStringLiteral("pass --workspace DIR, or make one: skillgrad init DIR --example table-qa"), dir, QStringLiteral("not-a-workspace")};
    Workspace ws;
    ws.m_root = dir;
    auto config = WorkspaceConfig::load(ws.configPath());
    if (!config)
        return config.error();
    ws.m_config = std::move(config.value());
    auto repo = GitRepo::open(ws.skillDir());
    if (!repo)
        return repo.error();
    ws.m_repo.emplace(std::move(repo.value()));
    return ws;
}

Result<void> Workspace::saveConfig(const WorkspaceConfig& config)
{
    if (auto saved = config.save(configPath()); !saved)
        return saved;
    m_config = config;
    return {};
}

Result<SkillPackage> Workspace::loadSkill() const
{
    return SkillPackage::load(skillDir());
}

SkillProblems Workspace::validate(const SkillPackage& package) const
{
    SkillValidator::Options options;
    options.expectedName = m_config.skillName;
    return SkillValidator::validate(package, options);
}

Result<TaskStore> Workspace::tasks() const
{
    if (m_config.taskSource.isEmpty())
        return Error{QStringLiteral("the workspace has no tasks"), QStringLiteral("make one with tasks: skillgrad init DIR --skill PATH --tasks SOURCE:PATH"),
                     m_root, QStringLiteral("no-tasks")};
    return TaskStore::open(tasksDir(), m_config.taskSource);
}

} // namespace sg
