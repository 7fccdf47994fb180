#include "ValidateCommand.h"

#include "skill/SkillPackage.h"
#include "skill/SkillValidator.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>

#include <QDir>

#include <memory>

namespace sg::cli {

namespace {

struct Options
{
    std::string path;
    std::string name;
};

nlohmann::json problemJson(const SkillProblem& p)
{
    return {{"file", toStd(p.file)},   {"line", p.line},       {"level", toStd(SkillProblem::levelName(p.level))},
            {"rule", toStd(p.rule)},   {"message", toStd(p.message)}, {"hint", toStd(p.hint)}};
}

// A refused or unreadable package, reported in the same shape as any other problem.
SkillProblem loadFailure(const Error& error, const QString& path)
{
    return {error.where.isEmpty() ? path : error.where, 0, SkillProblem::Level::Error,
            error.code.isEmpty() ? QStringLiteral("unreadable") : error.code, error.message, error.hint};
}

QString layerSummary(const SkillPackage& package)
{
    QStringList lines;
    const FrontMatter& fm = package.frontMatter();
    QStringList keys;
    for (const auto& field : fm.fields())
        keys << field.key;
    const int words = int(fm.description().split(QLatin1Char(' '), Qt::SkipEmptyParts).size());
    lines << QStringLiteral("  L1       %1 (description: %2 words)").arg(keys.join(QStringLiteral(", "))).arg(words);
    lines << QStringLiteral("  L2       SKILL.md body, %1 lines, %2 pointer(s)").arg(package.bodyLineCount()).arg(package.pointers().size());
    for (Layer layer : {Layer::L3, Layer::Scripts, Layer::Assets, Layer::Other}) {
        const auto files = package.filesIn(layer);
        if (files.empty() && layer == Layer::Other)
            continue;
        QStringList names;
        for (const PackageFile* f : files)
            names << f->path;
        lines << QStringLiteral("  %1%2").arg(layerName(layer), -9).arg(names.isEmpty() ? QStringLiteral("-") : names.join(QStringLiteral(", ")));
    }
    return lines.join(QLatin1Char('\n'));
}

int run(const CliContext& ctx, const Options& options)
{
    const QString path = QString::fromStdString(options.path);
    auto loaded = SkillPackage::load(path);
    SkillProblems problems;
    std::optional<SkillPackage> package;
    if (!loaded) {
        problems.push_back(loadFailure(loaded.error(), path));
    } else {
        package = std::move(loaded.value());
        SkillValidator::Options validation;
        validation.expectedName = QString::fromStdString(options.name);
        if (validation.expectedName.isEmpty())
            validation.expectedName = Workspace::recordedSkillName(path);
        problems = SkillValidator::validate(*package, validation);
    }
    const int errors = SkillValidator::count(problems, SkillProblem::Level::Error);
    const int warnings = SkillValidator::count(problems, SkillProblem::Level::Warning);

    if (ctx.json) {
        nlohmann::json doc{{"path", toStd(path)}, {"valid", errors == 0}, {"errors", errors}, {"warnings", warnings}};
        doc["name"] = package ? toStd(package->name()) : std::string();
        doc["problems"] = nlohmann::json::array();
        for (const SkillProblem& p : problems)
            doc["problems"].push_back(problemJson(p));
        doc["files"] = nlohmann::json::array();
        if (package) {
            for (const PackageFile& f : package->files())
                doc["files"].push_back({{"path", toStd(f.path)}, {"layer", toStd(layerName(f.layer))}, {"bytes", f.data.size()}});
        }
        ctx.printJson(doc);
        return errors ? kExitUsage : kExitOk;
    }

    if (package && !ctx.quiet) {
        const QString name = package->name().isEmpty() ? QStringLiteral("(unnamed skill)") : package->name();
        ctx.print(QStringLiteral("%1  %2").arg(ctx.colour(name, 1), QDir::toNativeSeparators(path)));
        ctx.print(layerSummary(*package));
    }
    for (const SkillProblem& p : problems) {
        QString line = p.text();
        const QString level = SkillProblem::levelName(p.level);
        line.replace(QStringLiteral(": %1: ").arg(level), QStringLiteral(": %1: ").arg(ctx.colour(level, p.isError() ? 31 : 33)));
        ctx.print(line);
    }
    if (!ctx.quiet || errors) {
        const QString verdict = errors ? ctx.colour(QStringLiteral("invalid"), 31) : ctx.colour(QStringLiteral("valid"), 32);
        ctx.print(QStringLiteral("%1: %2 error(s), %3 warning(s)").arg(verdict).arg(errors).arg(warnings));
    }
    return errors ? kExitUsage : kExitOk;
}

} // namespace

void ValidateCommand::add(CLI::App& app, CliContext& ctx, std::function<int()>& command)
{
    auto options = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand("validate", "Check a skill folder or .zip/.skill archive against the Agent Skills spec");
    sub->add_option("PATH", options->path, "Skill folder, its SKILL.md, or a .zip/.skill archive")->required();
    sub->add_option("--name", options->name, "The name the skill must carry (default: its folder's name)")->type_name("NAME");
    sub->footer("Prints problems as file:line: level: message (hint). Exit 2 when there is any error; warnings alone exit 0.\n"
                "Nothing is written: archives are read into memory and checked.");
    sub->callback([&ctx, &command, options] { command = [&ctx, options] { return run(ctx, *options); }; });
}

} // namespace sg::cli
