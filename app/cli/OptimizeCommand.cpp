#include "OptimizeCommand.h"

#include "Interrupt.h"
#include "ProgressPrinter.h"
#include "ProviderOptions.h"
#include "llm/Scheduler.h"
#include "llm/UsageLedger.h"
#include "common/AtomicFile.h"
#include "optim/OptimizeJob.h"
#include "optim/Review.h"
#include "run/EventLog.h"
#include "optim/SimOptimizerRoles.h"
#include "run/LlmSession.h"
#include "run/RunLock.h"
#include "run/RunStore.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <iostream>
#include <memory>
#include <optional>

#include <unistd.h>

namespace sg::cli {

namespace {

struct Options
{
    ProviderOptions provider;
    std::string optimizerProvider;
    std::string optimizerModel;
    std::string optimizerBaseUrl;
    std::string optimizerKeyEnv;
    std::string gate;
    int batch = 0;
    int epochs = 0;
    int maxIters = -1;
    std::string trainFrom;
    bool noTest = false;
    bool unsafeNoSandbox = false;
    bool allowScripts = false;
    std::string resume;
    double budgetUsd = -1;
    qint64 budgetTokens = -1;
    qint64 budgetCalls = -1;
    bool strict = false;
};

const QStringList kOptimizerRoles{QStringLiteral("failure-diagnoser"), QStringLiteral("contrastive-diagnoser"), QStringLiteral("momentum"),
                                  QStringLiteral("patcher")};

Result<LlmSession::Options> sessionOptions(const CliContext& ctx, const Options& o, const Workspace& ws)
{
    LlmSession::Options out;
    auto executor = o.provider.resolve(ctx, QStringLiteral("executor"));
    if (!executor)
        return executor.error();
    out.roles[QStringLiteral("executor")] = {executor->factory, executor->model, executor->maxAttempts};
    // --optimizer-* apply to the roles other than the executor; else the shared options do.
    ProviderOptions optimizer = o.provider;
    if (!o.optimizerProvider.empty()) {
        optimizer.provider = o.optimizerProvider;
        optimizer.model.clear();
        optimizer.baseUrl.clear();
        optimizer.apiKeyEnv.clear();
    }
    if (!o.optimizerModel.empty())
        optimizer.model = o.optimizerModel;
    if (!o.optimizerBaseUrl.empty())
        optimizer.baseUrl = o.optimizerBaseUrl;
    if (!o.optimizerKeyEnv.empty())
        optimizer.apiKeyEnv = o.optimizerKeyEnv;
    for (const QString& role : kOptimizerRoles) {
        auto resolved = optimizer.resolve(ctx, role);
        if (!resolved)
            return resolved.error();
        out.roles[role] = {resolved->factory, resolved->model, resolved->maxAttempts};
    }
    if (!o.provider.noCache)
        out.cacheFile = QDir(ws.cacheDir()).filePath(QStringLiteral("llm.sqlite"));
    out.recordFile = QString::fromStdString(o.provider.record);
    out.prices.merge(ws.config().prices);
    return out;
}

QString decisionColour(const CliContext& ctx, const QString& decision)
{
    const int colour = decision == QLatin1String("accepted") || decision == QLatin1String("edited") ? 32 : decision == QLatin1String("failed") ? 31 : decision == QLatin1String("rejected") ? 33 : 0;
    return colour ? ctx.colour(decision, colour) : decision;
}

QString row(const IterationSummary& s)
{
    return QStringLiteral("%1  %2/%3  %4  %5  %6  %7")
        .arg(s.iteration, 4)
        .arg(s.passed, 3)
        .arg(s.total, -3)
        .arg(s.valScore ? QString::number(*s.valScore, 'f', 3) : QStringLiteral("  -  "), 5)
        .arg(s.decision + (s.escalated ? QStringLiteral("*") : QString()), -10)
        .arg(ProgressPrinter::count(s.usage.value("input_tokens", qint64(0)) + s.usage.value("output_tokens", qint64(0))), 7)
        .arg(QStringLiteral("$%1").arg(s.usage.value("cost_usd", 0.0), 0, 'f', 4), 8);
}

// A line from the person at the terminal; empty at end of input.
std::string ask(const CliContext& ctx, const QString& prompt)
{
    ctx.err << toStd(prompt) << std::flush;
    std::string line;
    if (!std::getline(std::cin, line))
        return {};
    return QString::fromStdString(line).trimmed().toStdString();
}

// Opens `data` in $VISUAL / $EDITOR (else vi) and returns what was saved.
std::optional<QByteArray> editInEditor(const CliContext& ctx, const QString& path, const QByteArray& data)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QFileInfo(path).fileName());
    if (!AtomicFile::write(file, data))
        return std::nullopt;
    QString editor = qEnvironmentVariable("VISUAL", qEnvironmentVariable("EDITOR", QStringLiteral("vi")));
    QStringList args = QProcess::splitCommand(editor);
    if (args.isEmpty())
        args << QStringLiteral("vi");
    const QString program = args.takeFirst();
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.setInputChannelMode(QProcess::ForwardedInputChannel);
    p.start(program, args << file);
    if (!p.waitForStarted(10000)) {
        ctx.error(QStringLiteral("cannot start the editor \"%1\" (set $EDITOR)").arg(program));
        return std::nullopt;
    }
    p.waitForFinished(-1);
    auto edited = AtomicFile::read(file, 8 * 1024 * 1024);
    return edited ? std::optional<QByteArray>(edited.value()) : std::nullopt;
}

// The review gate on a terminal (DESIGN.md 4.7): the diff with layer tags, the caps, the val
// scores, then accept / reject / edit.
Decision askInTerminal(const CliContext& ctx, const ReviewRequest& request)
{
    ctx.err << "\n";
    ctx.note(QStringLiteral("Iteration %1: %2 (proposal %3), val %4 → %5")
                 .arg(request.iteration)
                 .arg(request.edited ? QStringLiteral("your edit") : QStringLiteral("the patch"), request.proposal.left(7))
                 .arg(request.valBefore, 0, 'f', 3)
                 .arg(request.valAfter ? QString::number(*request.valAfter, 'f', 3) : QStringLiteral("not scored")));
    for (const QString& path : request.changedFiles)
        ctx.note(QStringLiteral("  [%1] %2").arg(layerName(SkillPackage::layerOf(path)), path));
    ctx.note(request.diff.trimmed());
    ctx.note(request.caps.ok() ? QStringLiteral("caps: all kept (%1 changed lines)").arg(request.caps.changedLines)
                               : QStringLiteral("caps: broken\n%1").arg(request.caps.text()));
    while (true) {
        const std::string choice = ask(ctx, QStringLiteral("[a]ccept, [r]eject or [e]dit? "));
        Decision d;
        if (choice.empty() || choice == "r" || choice == "reject") {
            d.kind = Decision::Kind::Reject; // end of input rejects: nothing is committed unseen
            return d;
        }
        if (choice == "a" || choice == "accept") {
            d.kind = Decision::Kind::Accept;
            return d;
        }
        if (choice != "e" && choice != "edit")
            continue;
        QString path = request.changedFiles.size() == 1 ? request.changedFiles.front() : QString();
        while (path.isEmpty()) {
            for (int i = 0; i < request.changedFiles.size(); ++i)
                ctx.note(QStringLiteral("  %1) %2").arg(i + 1).arg(request.changedFiles[i]));
            const int n = QString::fromStdString(ask(ctx, QStringLiteral("Which file? "))).toInt();
            if (n >= 1 && n <= request.changedFiles.size())
                path = request.changedFiles[n - 1];
        }
        QByteArray current;
        for (const TreeFile& f : request.candidate)
            if (f.path == path)
                current = f.data;
        const auto edited = editInEditor(ctx, path, current);
        if (!edited || *edited == current) {
            ctx.note(QStringLiteral("No change made."));
            continue;
        }
        d.kind = Decision::Kind::Edit;
        d.files[path] = *edited;
        return d;
    }
}

int run(const CliContext& ctx, const Options& o)
{
    OptimizeJob::Request request;
    request.workspace = ctx.workspace.empty() ? QStringLiteral(".") : QString::fromStdString(ctx.workspace);
    request.resume = QString::fromStdString(o.resume);
    request.budgetUsd = o.budgetUsd;
    request.budgetTokens = o.budgetTokens;
    request.budgetCalls = o.budgetCalls;
    request.unsafeNoSandbox = o.unsafeNoSandbox;
    if (o.resume.empty()) {
        // The workspace's settings, with the flags given over them.
        auto ws = ctx.openWorkspace();
        if (!ws)
            return ctx.fail(ws.error());
        const WorkspaceConfig& config = ws->config();
        OptimizerOptions& options = request.options;
        options = OptimizeJob::optionsFrom(config);
        if (!o.gate.empty())
            options.gate = QString::fromStdString(o.gate);
        if (o.batch > 0)
            options.batch = o.batch;
        if (o.epochs > 0)
            options.epochs = o.epochs;
        if (o.maxIters >= 0)
            options.maxIterations = o.maxIters;
        if (!o.trainFrom.empty())
            options.trainFrom = QString::fromStdString(o.trainFrom);
        options.allowScripts = o.allowScripts;
        options.evaluateTest = !o.noTest;
        auto resolved = sessionOptions(ctx, o, ws.value());
        if (!resolved)
            return ctx.fail(resolved.error());
        request.session = resolved.value();
    }
    auto prepared = OptimizeJob::prepare(request);
    if (!prepared)
        return ctx.fail(prepared.error());
    OptimizeJob& job = *prepared.value();
    for (const QString& note : job.notes())
        ctx.note(QStringLiteral("note: %1").arg(note));
    const OptimizerOptions& options = job.options();
    const bool review = options.gate == QLatin1String("review");
    if (review && !(::isatty(STDIN_FILENO) && ctx.errIsTerminal))
        return ctx.fail(Error{QStringLiteral("--gate review asks you to decide on each patch, and there is no terminal to ask on"),
                              QStringLiteral("run it in a terminal, or use --gate validate or accept-all"), {}, QStringLiteral("invalid")});
    if (auto created = job.createRun(); !created)
        return ctx.fail(created.error());
    Workspace& workspace = job.workspace();
    LlmSession* session = &job.session();
    RunStore* runStore = &job.store();
    const WorkspaceConfig& config = workspace.config();
    const bool simulated = session->simulated();
    const std::optional<Replay>& replay = job.replay();

    ctx.note(QStringLiteral("Optimising %1 (run %2): gate %3, batch %4, %5 epoch(s); executor %6 via %7%8")
                 .arg(config.skillName, runStore->id(), options.gate)
                 .arg(options.batch)
                 .arg(options.epochs)
                 .arg(session->model(QStringLiteral("executor")), session->endpoint(QStringLiteral("executor")),
                      simulated ? QStringLiteral(" — SIMULATED: synthetic scores") : QString()));
    Optimizer& optimizer = job.optimizer();
    if (review)
        optimizer.setReviewer([&ctx](const ReviewRequest& asked, std::function<void(Decision)> answer) { answer(askInTerminal(ctx, asked)); });
    if (replay) {
        ctx.note(QStringLiteral("Resuming %1: iterations 1–%2 ended before it stopped and are replayed from the cache (nothing is sent again)")
                     .arg(runStore->id())
                     .arg(replay->completedThrough));
    }
    // On a terminal the current stage is one line redrawn in place; in a log, a line per stage.
    bool statusShown = false;
    const auto clearStatus = [&] {
        if (statusShown)
            ctx.err << '\r' << "\x1b[K" << std::flush;
        statusShown = false;
    };
    QObject::connect(&optimizer, &Optimizer::stage, [&](const QString& what) {
        if (ctx.quiet)
            return;
        if (ctx.verbose || !ctx.errIsTerminal) {
            ctx.note(what);
            return;
        }
        ctx.err << '\r' << toStd(what.left(100)) << "\x1b[K" << std::flush;
        statusShown = true;
    });
    bool headerShown = false;
    bool escalations = false;
    QObject::connect(&optimizer, &Optimizer::iterationFinished, [&](const IterationSummary& s) {
        clearStatus();
        escalations = escalations || s.escalated;
        if (ctx.json)
            return;
        if (!headerShown) {
            ctx.print(QStringLiteral("iter  pass   val    decision     tokens     cost"));
            headerShown = true;
        }
        QString line = row(s);
        line.replace(s.decision, decisionColour(ctx, s.decision));
        ctx.print(line);
        if (s.decision == QLatin1String("failed") || (ctx.verbose && !s.reason.isEmpty()))
            ctx.note(QStringLiteral("      %1").arg(s.reason));
    });
    QEventLoop loop;
    QObject::connect(&optimizer, &Optimizer::finished, &loop, &QEventLoop::quit);
    bool interrupted = false;
    Interrupt interrupt([&] {
        interrupted = true;
        ctx.note(QStringLiteral("\nStopping after cancelling the calls in flight (Ctrl-C again to quit at once) …"));
        optimizer.cancel();
    });
    optimizer.start();
    loop.exec();
    clearStatus();

    const RunSummary& summary = optimizer.summary();
    const UsageLedger::Row total = session->ledger().total();
    const bool budgetStop = !summary.budgetStop.isEmpty();
    const int code = summary.status == QLatin1String("failed") || interrupted || (budgetStop && o.strict) ? kExitFailed : kExitOk;
    if (ctx.json) {
        nlohmann::json doc = summary.toJson();
        doc["usage"] = session->ledger().toJson();
        ctx.printJson(doc);
        return code;
    }
    if (escalations)
        ctx.print(QStringLiteral("   * escalation due: a pattern seen in 3+ iterations came back after an in-place remedy"));
    ctx.print(QString());
    ctx.print(QStringLiteral("%1: %2 (%3)%4")
                  .arg(summary.run, summary.status, summary.stopReason,
                       simulated ? ctx.colour(QStringLiteral("  SIMULATED (sim provider: synthetic scores, not an accuracy claim)"), 33) : QString()));
    ctx.print(QStringLiteral("  val      %1 → %2").arg(summary.initialVal, 0, 'f', 3).arg(summary.finalVal, 0, 'f', 3));
    if (summary.initialTest || summary.finalTest)
        ctx.print(QStringLiteral("  test     %1 → %2")
                      .arg(summary.initialTest ? QString::number(*summary.initialTest, 'f', 3) : QStringLiteral("-"),
                           summary.finalTest ? QString::number(*summary.finalTest, 'f', 3) : QStringLiteral("-")));
    int accepted = 0;
    for (const IterationSummary& s : summary.iterations)
        accepted += s.decision == QLatin1String("accepted") || s.decision == QLatin1String("edited");
    ctx.print(QStringLiteral("  versions %1 accepted of %2 iterations; training set %3 tasks").arg(accepted).arg(summary.iterations.size()).arg(summary.trainingTasks));
    ctx.print(QStringLiteral("  usage    %1 calls, %2 cache hits, %3 in / %4 out tokens, $%5")
                  .arg(total.calls)
                  .arg(total.cacheHits)
                  .arg(ProgressPrinter::count(total.inputTokens), ProgressPrinter::count(total.outputTokens))
                  .arg(total.costUsd, 0, 'f', 4));
    if (!summary.error.isEmpty())
        ctx.error(summary.error);
    ctx.print(QStringLiteral("  history  skillgrad --workspace %1 log   (or plain git -C %2 log)")
                  .arg(QDir::current().relativeFilePath(workspace.root()), QDir::current().relativeFilePath(workspace.skillDir())));
    ctx.print(QStringLiteral("  studio   skillgrad-studio %1").arg(QDir::current().relativeFilePath(workspace.root())));
    return code;
}

int listRuns(const CliContext& ctx)
{
    auto ws = ctx.openWorkspace();
    if (!ws)
        return ctx.fail(ws.error());
    const QStringList ids = QDir(ws->runsDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    nlohmann::json doc = nlohmann::json::array();
    for (const QString& id : ids) {
        auto read = RunStore::readInfo(QDir(ws->runsDir()).filePath(id));
        if (!read)
            continue;
        const nlohmann::json& info = read.value();
        nlohmann::json item{{"run", id.toStdString()},
                            {"kind", info.value("kind", "")},
                            {"status", info.value("status", "")},
                            {"created", info.value("created", "")},
                            {"simulated", info.value("config", nlohmann::json::object()).value("simulated", false)}};
        for (const char* key : {"score", "initial_val", "final_val", "stop_reason"})
            if (info.contains(key))
                item[key] = info[key];
        doc.push_back(item);
    }
    if (ctx.json) {
        ctx.printJson(doc);
        return kExitOk;
    }
    if (doc.empty()) {
        ctx.print(QStringLiteral("No runs yet: start one with skillgrad eval or skillgrad optimize."));
        return kExitOk;
    }
    for (const auto& r : doc) {
        QString result;
        if (r.contains("score"))
            result = QStringLiteral("score %1").arg(r["score"].get<double>(), 0, 'f', 3);
        else if (r.contains("final_val"))
            result = QStringLiteral("val %1 → %2").arg(r["initial_val"].get<double>(), 0, 'f', 3).arg(r["final_val"].get<double>(), 0, 'f', 3);
        ctx.print(QStringLiteral("%1  %2  %3%4").arg(QString::fromStdString(r["run"].get<std::string>()), -28)
                      .arg(QString::fromStdString(r["status"].get<std::string>()), -10)
                      .arg(result, r["simulated"].get<bool>() ? QStringLiteral("  (simulated)") : QString()));
    }
    return kExitOk;
}

} // namespace

void OptimizeCommand::add(CLI::App& app, CliContext& ctx, std::function<int()>& command)
{
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand("optimize", "Improve the skill: iterations of run, grade, diagnose, patch, gate and commit");
    sub->add_option("--gate", o->gate, "accept-all, validate or review (default: the workspace's)")->check(CLI::IsMember({"accept-all", "validate", "review"}));
    sub->add_option("--batch", o->batch, "Tasks per iteration (default 4)")->type_name("B");
    sub->add_option("--epochs", o->epochs, "Passes over the training set (default 1)")->type_name("E");
    sub->add_option("--max-iters", o->maxIters, "Stop after N iterations")->type_name("N");
    sub->add_option("--train-from", o->trainFrom, "failures (the tasks the seed fails) or pool (every train task)")
        ->check(CLI::IsMember({"failures", "pool"}));
    sub->add_flag("--no-test", o->noTest, "Do not score the test split at the start and the end");
    sub->add_flag("--unsafe-no-sandbox", o->unsafeNoSandbox, "Let python run without bubblewrap when it cannot sandbox (dangerous)");
    sub->add_flag("--allow-scripts", o->allowScripts, "Let the patcher change scripts/");
    sub->add_option("--resume", o->resume, "Continue an interrupted or budget-stopped run (its id, or latest) where it stopped")->type_name("RUN");
    sub->add_option("--budget-usd", o->budgetUsd, "Stop cleanly once the run has spent this much (from the usage ledger)")->type_name("X");
    sub->add_option("--budget-tokens", o->budgetTokens, "Stop cleanly once the run has used this many tokens")->type_name("N");
    sub->add_option("--budget-calls", o->budgetCalls, "Stop cleanly once the run has made this many LLM calls")->type_name("N");
    sub->add_flag("--strict", o->strict, "Exit 1 when a budget stops the run");
    o->provider.addTo(*sub);
    sub->add_option("--optimizer-provider", o->optimizerProvider, "Provider of the diagnosers, momentum writer and patcher")->type_name("NAME");
    sub->add_option("--optimizer-model", o->optimizerModel, "Their model")->type_name("NAME");
    sub->add_option("--optimizer-base-url", o->optimizerBaseUrl, "Their endpoint")->type_name("URL");
    sub->add_option("--optimizer-api-key-env", o->optimizerKeyEnv, "Their key's environment variable")->type_name("NAME");
    sub->footer("Every version is a commit in skill/.git; proposals live on refs/skillgrad/proposals/<run>/<iter>.\n"
                "With --provider sim the run is offline and its scores are simulated.");
    sub->callback([&ctx, &command, o] { command = [&ctx, o] { return run(ctx, *o); }; });

    CLI::App* runs = app.add_subcommand("runs", "List the workspace's runs");
    runs->callback([&ctx, &command] { command = [&ctx] { return listRuns(ctx); }; });
}

} // namespace sg::cli
