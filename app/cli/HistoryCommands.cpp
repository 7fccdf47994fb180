#include "HistoryCommands.h"

#include "skill/SkillSource.h"
#include "skill/SkillValidator.h"
#include "skill/SkillWriter.h"

#include <CLI/CLI.hpp>

#include <QDir>
#include <QFileInfo>
#include <QMap>

#include <algorithm>
#include <memory>

namespace sg::cli {

namespace {

struct Options
{
    std::string ref;
    std::string other;
    std::string message;
    std::string to;
    int limit = -1;
};

// ---- presentation -----------------------------------------------------------------------------

nlohmann::json trailersJson(const Trailers& trailers)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [key, value] : trailers)
        j[toStd(key)] = toStd(value);
    return j;
}

nlohmann::json versionJson(const Version& v)
{
    nlohmann::json parents = nlohmann::json::array();
    for (const QString& p : v.parents)
        parents.push_back(toStd(p));
    return {{"commit", toStd(v.sha)},
            {"summary", toStd(v.summary)},
            {"time", toStd(v.time.toUTC().toString(Qt::ISODate))},
            {"author", toStd(v.author)},
            {"parents", parents},
            {"trailers", trailersJson(v.trailers)}};
}

QString statusName(FileDiff::Status status)
{
    switch (status) {
    case FileDiff::Status::Added:
        return QStringLiteral("added");
    case FileDiff::Status::Deleted:
        return QStringLiteral("deleted");
    case FileDiff::Status::Renamed:
        return QStringLiteral("renamed");
    case FileDiff::Status::Modified:
        break;
    }
    return QStringLiteral("modified");
}

nlohmann::json diffJson(const std::vector<FileDiff>& files)
{
    nlohmann::json out = nlohmann::json::array();
    for (const FileDiff& f : files) {
        nlohmann::json hunks = nlohmann::json::array();
        for (const DiffHunk& h : f.hunks) {
            nlohmann::json lines = nlohmann::json::array();
            for (const DiffLine& l : h.lines)
                lines.push_back({{"origin", std::string(1, l.origin)}, {"text", toStd(l.text)}, {"old_line", l.oldLine}, {"new_line", l.newLine}});
            hunks.push_back({{"header", toStd(h.header)},
                             {"old_start", h.oldStart},
                             {"old_lines", h.oldLines},
                             {"new_start", h.newStart},
                             {"new_lines", h.newLines},
                             {"lines", lines}});
        }
        out.push_back({{"path", toStd(f.newPath.isEmpty() ? f.oldPath : f.newPath)},
                       {"old_path", toStd(f.oldPath)},
                       {"status", toStd(statusName(f.status))},
                       {"binary", f.binary},
                       {"additions", f.additions},
                       {"deletions", f.deletions},
                       {"hunks", hunks}});
    }
    return out;
}

// "Decision: accepted · Val-Score: 0.55": SkillGrad's trailers without their common prefix.
QString trailerLine(const Trailers& trailers)
{
    QStringList parts;
    for (const auto& [key, value] : trailers) {
        QString k = key;
        if (k.startsWith(QLatin1String("SkillGrad-")))
            k = k.mid(10);
        // Commit ids are shortened as git does; run ids and scores are shown whole.
        const bool sha = value.size() == 40 && std::all_of(value.begin(), value.end(), [](QChar c) { return c.isDigit() || (c >= QLatin1Char('a') && c <= QLatin1Char('f')); });
        parts << QStringLiteral("%1: %2").arg(k, sha ? value.left(12) : value);
    }
    return parts.join(QStringLiteral(" · "));
}

QString colouredPatch(const CliContext& ctx, const QString& patch)
{
    QStringList out;
    for (const QString& line : patch.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("+++")) || line.startsWith(QLatin1String("---")) || line.startsWith(QLatin1String("diff ")))
            out << ctx.colour(line, 1);
        else if (line.startsWith(QLatin1Char('+')))
            out << ctx.colour(line, 32);
        else if (line.startsWith(QLatin1Char('-')))
            out << ctx.colour(line, 31);
        else if (line.startsWith(QLatin1String("@@")))
            out << ctx.colour(line, 36);
        else
            out << line;
    }
    while (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out.join(QLatin1Char('\n'));
}

// ---- commands ---------------------------------------------------------------------------------

int log(const CliContext& ctx, const Options& o)
{
    auto ws = ctx.openWorkspace();
    if (!ws)
        return ctx.fail(ws.error());
    auto versions = ws->repo().versions(o.ref.empty() ? QStringLiteral("main") : QString::fromStdString(o.ref), o.limit);
    if (!versions)
        return ctx.fail(versions.error());
    QMap<QString, QStringList> tagsBySha;
    for (const Tag& t : ws->repo().tags())
        tagsBySha[t.sha] << t.name;
    if (ctx.json) {
        nlohmann::json doc = nlohmann::json::array();
        for (const Version& v : versions.value()) {
            nlohmann::json j = versionJson(v);
            nlohmann::json tags = nlohmann::json::array();
            for (const QString& t : tagsBySha.value(v.sha))
                tags.push_back(toStd(t));
            j["tags"] = tags;
            doc.push_back(j);
        }
        ctx.printJson(doc);
        return kExitOk;
    }
    for (const Version& v : versions.value()) {
        QString line = QStringLiteral("%1  %2  %3").arg(ctx.colour(v.shortSha(), 33), v.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")), v.summary);
        if (const QStringList tags = tagsBySha.value(v.sha); !tags.isEmpty())
            line += QStringLiteral("  ") + ctx.colour(QStringLiteral("(%1)").arg(tags.join(QStringLiteral(", "))), 36);
        ctx.print(line);
        if (!v.trailers.empty() && !ctx.quiet)
            ctx.print(QStringLiteral("         %1").arg(trailerLine(v.trailers)));
    }
    return kExitOk;
}

int show(const CliContext& ctx, const Options& o)
{
    auto ws = ctx.openWorkspace();
    if (!ws)
        return ctx.fail(ws.error());
    const QString ref = QString::fromStdString(o.ref);
    auto v = ws->repo().version(ref);
    if (!v)
        return ctx.fail(v.error());
    // A root commit is shown against the empty tree.
    const QString parent = v->parents.isEmpty() ? QString() : v->parents.front();
    if (ctx.json) {
        nlohmann::json doc = versionJson(v.value());
        doc["message"] = toStd(v->message);
        auto files = parent.isEmpty() ? ws->repo().diff(QString(), v->sha) : ws->repo().diff(parent, v->sha);
        if (!files)
            return ctx.fail(files.error());
        doc["files"] = diffJson(files.value());
        ctx.printJson(doc);
        return kExitOk;
    }
    ctx.print(ctx.colour(QStringLiteral("commit %1").arg(v->sha), 33));
    ctx.print(QStringLiteral("Author: %1 <%2>").arg(v->author, v->authorEmail));
    ctx.print(QStringLiteral("Date:   %1").arg(v->time.toLocalTime().toString(Qt::RFC2822Date)));
    ctx.print(QString());
    for (const QString& line : v->message.trimmed().split(QLatin1Char('\n')))
        ctx.print(QStringLiteral("    ") + line);
    ctx.print(QString());
    auto patch = parent.isEmpty() ? ws->repo().unifiedDiff(QString(), v->sha) : ws->repo().unifiedDiff(parent, v->sha);
    if (!patch)
        return ctx.fail(patch.error());
    if (!patch->isEmpty())
        ctx.print(colouredPatch(ctx, patch.value()));
    return kExitOk;
}

int diff(const CliContext& ctx, const Options& o)
{
    auto ws = ctx.openWorkspace();
    if (!ws)
        return ctx.fail(ws.error());
    const QString from = QString::fromStdString(o.ref), to = QString::fromStdString(o.other);
    if (ctx.json) {
        auto files = ws->repo().diff(from, to);
        if (!files)
            return ctx.fail(files.error());
        ctx.printJson({{"from", toStd(from)}, {"to", to.isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(toStd(to))}, {"files", diffJson(files.value())}});
        return kExitOk;
    }
    auto patch = ws->repo().unifiedDiff(from, to);
    if (!patch)
        return ctx.fail(patch.error());
    if (patch->isEmpty())
        ctx.note(QStringLiteral("No differences."));
    else
        ctx.print(colouredPatch(ctx, patch.value()));
    return kExitOk;
}

int commit(const CliContext& ctx, const Options& o)
{
    auto ws = ctx.openWorkspace();
    if (!ws)
        return ctx.fail(ws.error());
    // A hand edit is recorded only when the skill is still valid: history holds valid versions.
    auto package = ws->loadSkill();
    if (!package)
        return ctx.fail(package.error());
    const SkillProblems problems = ws->validate(package.value());
    if (SkillValidator::hasErrors(problems)) {
        for (const SkillProblem& p : problems)
            ctx.err << "skill/" << p.text().toStdString() << '\n';
        return ctx.fail(Error{QStringLiteral("the edited skill is not valid, so nothing was committed"),
                              QStringLiteral("fix the errors above, then run skillgrad commit again"), ws->skillDir(), QStringLiteral("invalid")});
    }
    const QString message = o.message.empty() ? QStringLiteral("Hand edit") : QString::fromStdString(o.message);
    auto v = ws->repo().commitWorkTree(message.section(QLatin1Char('\n'), 0, 0), message.section(QLatin1Char('\n'), 1).trimmed(),
                                       {{QStringLiteral("SkillGrad-Event"), QStringLiteral("hand-edit")}});
    if (!v && v.error().code == QLatin1String("unchanged")) {
        if (ctx.json)
            ctx.printJson({{"commit", nullptr}, {"summary", nullptr}});
        else
            ctx.print(QStringLiteral("Nothing to commit: skill/ matches the current version."));
        return kExitOk;
    }
    if (!v)
        return ctx.fail(v.error());
    if (ctx.json)
        ctx.printJson(versionJson(v.value()));
    else
        ctx.print(QStringLiteral("Committed %1  %2").arg(v->shortSha(), v->summary));
    return kExitOk;
}

int rollback(const CliContext& ctx, const Options& o)
{
    auto ws = ctx.openWorkspace();
    if (!ws)
        return ctx.fail(ws.error());
    const QString ref = QString::fromStdString(o.ref);
    auto target = ws->repo().version(ref);
    if (!target)
        return ctx.fail(target.error());
    auto v = ws->repo().restore(ref, QStringLiteral("Roll back to %1: %2").arg(target->shortSha(), target->summary));
    if (!v && v.error().code == QLatin1String("unchanged")) {
        if (ctx.json)
            ctx.printJson({{"commit", nullptr}, {"restored", toStd(target->sha)}});
        else
            ctx.print(QStringLiteral("skill/ already holds the files of %1; nothing to do.").arg(target->shortSha()));
        return kExitOk;
    }
    if (!v)
        return ctx.fail(v.error());
    if (ctx.json) {
        nlohmann::json doc = versionJson(v.value());
        doc["restored"] = toStd(target->sha);
        ctx.printJson(doc);
    } else {
        ctx.print(QStringLiteral("Committed %1  %2").arg(v->shortSha(), v->summary));
        ctx.note(QStringLiteral("Nothing was lost: every earlier version is still in `skillgrad log`."));
    }
    return kExitOk;
}

int exportSkill(const CliContext& ctx, const Options& o)
{
    auto ws = ctx.openWorkspace();
    if (!ws)
        return ctx.fail(ws.error());
    const QString ref = QString::fromStdString(o.ref);
    auto v = ws->repo().version(ref);
    if (!v)
        return ctx.fail(v.error());
    auto tree = ws->repo().files(v->sha);
    if (!tree)
        return ctx.fail(tree.error());
    std::vector<SkillFile> files;
    for (const TreeFile& f : tree.value())
        files.push_back({f.path, f.data, f.executable});
    const QString name = ws->config().skillName;
    const QString to = QString::fromStdString(o.to);
    const QString suffix = QFileInfo(to).suffix().toLower();
    QString written;
    Result<void> result;
    if (suffix == QLatin1String("zip") || suffix == QLatin1String("skill")) {
        written = QFileInfo(to).absoluteFilePath();
        result = SkillWriter::writeZip(files, name, written);
    } else {
        written = QDir(QDir(to).absolutePath()).filePath(name);
        result = SkillWriter::writeFolder(files, written);
    }
    if (!result)
        return ctx.fail(result.error());
    if (ctx.json)
        ctx.printJson({{"path", toStd(written)}, {"commit", toStd(v->sha)}, {"files", files.size()}});
    else
        ctx.print(QStringLiteral("Exported %1 (%2, %3 files) to %4").arg(name, v->shortSha()).arg(files.size()).arg(QDir::toNativeSeparators(written)));
    return kExitOk;
}

void bind(CLI::App* sub, CliContext& ctx, std::function<int()>& command, std::shared_ptr<Options> o,
          int (*fn)(const CliContext&, const Options&))
{
    sub->callback([&ctx, &command, o, fn] { command = [&ctx, o, fn] { return fn(ctx, *o); }; });
}

} // namespace

void HistoryCommands::add(CLI::App& app, CliContext& ctx, std::function<int()>& command)
{
    const char* refHelp = "A version: main, a commit id (or its start), a tag such as seed, main~2, or a proposal ref";
    {
        auto o = std::make_shared<Options>();
        CLI::App* sub = app.add_subcommand("log", "List the skill's versions, newest first, with their trailers");
        sub->add_option("REF", o->ref, "Where to start (default: main)");
        sub->add_option("-n,--limit", o->limit, "Show at most N versions")->type_name("N");
        bind(sub, ctx, command, o, &log);
    }
    {
        auto o = std::make_shared<Options>();
        CLI::App* sub = app.add_subcommand("show", "Show one version: its message, trailers and changes");
        sub->add_option("REF", o->ref, refHelp)->required();
        bind(sub, ctx, command, o, &show);
    }
    {
        auto o = std::make_shared<Options>();
        CLI::App* sub = app.add_subcommand("diff", "Changes between two versions, or between a version and skill/ as it is now");
        sub->add_option("A", o->ref, refHelp)->required();
        sub->add_option("B", o->other, "The second version (default: the files in skill/ now)");
        bind(sub, ctx, command, o, &diff);
    }
    {
        auto o = std::make_shared<Options>();
        CLI::App* sub = app.add_subcommand("commit", "Record a hand edit of skill/ as a new version (the skill must stay valid)");
        sub->add_option("-m,--message", o->message, "What changed (default: \"Hand edit\")")->type_name("MSG");
        bind(sub, ctx, command, o, &commit);
    }
    {
        auto o = std::make_shared<Options>();
        CLI::App* sub = app.add_subcommand("rollback", "Make REF's files the current version again, as a new commit (nothing is lost)");
        sub->add_option("REF", o->ref, refHelp)->required();
        bind(sub, ctx, command, o, &rollback);
    }
    {
        auto o = std::make_shared<Options>();
        CLI::App* sub = app.add_subcommand("export", "Write a version out as a skill folder or a .zip/.skill archive named after the skill");
        sub->add_option("REF", o->ref, refHelp)->required();
        sub->add_option("--to", o->to, "A folder (the skill goes into FOLDER/<name>/) or FILE.zip / FILE.skill")->required()->type_name("DIR|FILE.zip");
        bind(sub, ctx, command, o, &exportSkill);
    }
}

} // namespace sg::cli
