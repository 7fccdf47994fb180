#include "ReportCommand.h"

#include "common/AtomicFile.h"
#include "run/ReportHtml.h"
#include "run/ReportMarkdown.h"
#include "run/RunReport.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <memory>
#include <ostream>

namespace sg::cli {

namespace {

struct Options
{
    std::string run;
    std::string format;
    std::string out;
};

Error unknownRun(const Workspace& ws, const QString& message)
{
    return Error{message,
                 QStringLiteral("see the workspace's runs with skillgrad --workspace %1 runs, or ask for latest")
                     .arg(QDir::current().relativeFilePath(ws.root())),
                 {}, QStringLiteral("not-found")};
}

// The folder of run `id` in the workspace; "latest" is the newest run of any kind.
Result<QString> runFolder(const Workspace& ws, const QString& id)
{
    const QDir runs(ws.runsDir());
    if (id == QLatin1String("latest")) {
        // Run ids are <kind>-<yyyyMMdd-HHmmss>[-n] (RunStore::create): order by time, then n.
        static const QRegularExpression kId(QStringLiteral("^[a-z]+-(\\d{8}-\\d{6})(?:-(\\d+))?$"));
        QString best;
        std::pair<QString, int> bestKey;
        for (const QString& name : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const auto m = kId.match(name);
            if (!m.hasMatch() || !QFileInfo::exists(runs.filePath(name + QStringLiteral("/run.json"))))
                continue;
            const std::pair<QString, int> key{m.captured(1), m.captured(2).isEmpty() ? 1 : m.captured(2).toInt()};
            if (best.isEmpty() || key > bestKey) {
                best = name;
                bestKey = key;
            }
        }
        if (best.isEmpty())
            return Error{QStringLiteral("this workspace has no runs yet"), QStringLiteral("start one with skillgrad optimize or skillgrad eval"),
                         {}, QStringLiteral("not-found")};
        return runs.filePath(best);
    }
    // A run id is a plain folder name: nothing that climbs out of runs/.
    static const QRegularExpression kSafe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*$"));
    if (!kSafe.match(id).hasMatch() || !QFileInfo(runs.filePath(id)).isDir())
        return unknownRun(ws, QStringLiteral("no run \"%1\" in this workspace").arg(id));
    return runs.filePath(id);
}

int report(const CliContext& ctx, const Options& o)
{
    auto ws = ctx.openWorkspace();
    if (!ws)
        return ctx.fail(ws.error());
    auto folder = runFolder(ws.value(), QString::fromStdString(o.run));
    if (!folder)
        return ctx.fail(folder.error());
    auto loaded = RunReport::load(folder.value());
    if (!loaded)
        return ctx.fail(loaded.error());
    const RunReport& r = loaded.value();
    const QString out = QString::fromStdString(o.out);
    // --out report.html is a page even without --format; anything else defaults to Markdown.
    QString format = QString::fromStdString(o.format);
    if (format.isEmpty())
        format = out.endsWith(QLatin1String(".html"), Qt::CaseInsensitive) || out.endsWith(QLatin1String(".htm"), Qt::CaseInsensitive)
                     ? QStringLiteral("html") : QStringLiteral("md");
    for (const QString& problem : r.problems())
        ctx.note(QStringLiteral("warning: %1 (the report marks that iteration)").arg(problem));
    const QString text = format == QLatin1String("html") ? ReportHtml::render(r) : ReportMarkdown::render(r);

    nlohmann::json problems = nlohmann::json::array();
    for (const QString& p : r.problems())
        problems.push_back(toStd(p));
    nlohmann::json doc{{"run", toStd(r.id)}, {"kind", toStd(r.kind)}, {"format", toStd(format)}, {"simulated", r.simulated}, {"problems", problems}};
    if (!out.isEmpty()) {
        if (auto written = AtomicFile::write(out, text.toUtf8()); !written)
            return ctx.fail(written.error());
        const QString where = QFileInfo(out).absoluteFilePath();
        if (ctx.json) {
            doc["out"] = toStd(where);
            ctx.printJson(doc);
        } else {
            ctx.print(QStringLiteral("Wrote %1 (%2 report of %3%4)")
                          .arg(where, format == QLatin1String("html") ? QStringLiteral("HTML") : QStringLiteral("Markdown"), r.id,
                               r.simulated ? QStringLiteral(", simulated") : QString()));
        }
        return kExitOk;
    }
    if (ctx.json) {
        doc["text"] = toStd(text);
        ctx.printJson(doc);
        return kExitOk;
    }
    ctx.out << toStd(text) << std::flush;
    return kExitOk;
}

} // namespace

void ReportCommand::add(CLI::App& app, CliContext& ctx, std::function<int()>& command)
{
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand("report", "Write a run's report: scores per iteration, diagnoses, pattern changes, diffs, usage");
    sub->add_option("run", o->run, "A run id (see skillgrad runs) or latest")->required()->type_name("RUN");
    sub->add_option("--format", o->format, "md (default) or html (one self-contained page)")->check(CLI::IsMember({"md", "html"}));
    sub->add_option("--out", o->out, "Write the report to FILE instead of stdout (html when FILE ends in .html)")->type_name("FILE");
    sub->footer("Runs made with --provider sim are marked SIMULATED: their scores are synthetic.");
    sub->callback([&ctx, &command, o] { command = [&ctx, o] { return report(ctx, *o); }; });
}

} // namespace sg::cli
