// One optimizer iteration's wall time against its longest chain of dependent LLM calls (DESIGN.md
// 11: concurrency efficiency). Not a test: run by hand,
// `build/tests/bench/bench_iteration [--batch B] [--val V] [--latency-ms L] [--repeats R]`, and
// record the figures in docs/BENCHMARKS.md.
//
// A real Optimizer runs over a jsonl workspace of 2B train and V val tasks, every role on the
// openai provider, against an in-process MockLlmServer on a thread of its own that scripts the
// roles and answers every request after L ms. Task qi takes 2 + (i % 4) executor calls
// (activate_skill 1 + (i % 4) times, then submit_answer) and passes only when the skill holds an
// "ADD CAREFULLY" rule: the seed fails every train task (two batches of B become the training
// set), the first patch adds the rule and val passes from then on; iteration 2's tasks pass and
// get contrastive diagnoses. The diagnoser's first answer for a task with i % 4 < 2 is unreadable,
// so the short tasks' diagnoses take two calls (a repair round) and the long ones' one: only
// diagnosing each task as soon as it ends keeps the batch stage at max(exec + diag) calls; stage
// by stage it costs max(exec) + max(diag). --uniform-diagnoses drops the repairs.
//
// Each iteration is timed from its iteration_started event to its scores event (events.jsonl).
// The ideal is counted from the mock's request log, sorted into iterations by arrival time:
// max over batch tasks of (executor + diagnosis calls) + momentum calls + patcher calls + max over
// val tasks of executor calls (the proposal's val score), times L.

#include "BenchSupport.h"
#include "MockLlmServer.h"

#include "optim/Optimizer.h"
#include "run/EventLog.h"
#include "run/LlmSession.h"
#include "run/RunStore.h"
#include "workspace/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <map>
#include <vector>

using namespace sg;
using namespace sg::bench;
using namespace sg::test;

namespace {

const QString kRule = QStringLiteral("ADD CAREFULLY");
const QByteArray kMockThread = "bench-mock"; // its name in /proc, for its CPU time

enum class Role { Executor, Diagnoser, Momentum, Patcher, Other };

QString textOf(const nlohmann::json& message)
{
    const auto it = message.find("content");
    return it != message.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                  : QString();
}

const nlohmann::json& messagesOf(const MockRequest& r)
{
    static const nlohmann::json none = nlohmann::json::array();
    return r.json.is_object() && r.json.contains("messages") ? r.json["messages"] : none;
}

Role roleOf(const MockRequest& r)
{
    static const std::pair<const char*, Role> kStarts[] = {
        {"You solve one task", Role::Executor},
        {"You diagnose", Role::Diagnoser},
        {"You compare", Role::Diagnoser},
        {"You keep the pattern", Role::Momentum},
        {"You improve an agent skill", Role::Patcher}};
    const nlohmann::json& m = messagesOf(r);
    for (const auto& [start, role] : kStarts)
        if (!m.empty() && textOf(m[0]).startsWith(QLatin1String(start)))
            return role;
    return Role::Other;
}

// The number `pattern` captures in the first user message; -1 when none.
int numberIn(const MockRequest& r, const QRegularExpression& pattern)
{
    const nlohmann::json& m = messagesOf(r);
    const QRegularExpressionMatch match = pattern.match(m.size() > 1 ? textOf(m[1]) : QString());
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

int taskOf(const MockRequest& r)
{
    static const QRegularExpression task(QStringLiteral("what is (\\d+) plus"));
    return numberIn(r, task);
}

int toolCallsSoFar(const MockRequest& r)
{
    int n = 0;
    for (const nlohmann::json& m : messagesOf(r))
        if (m.contains("tool_calls") && m["tool_calls"].is_array())
            n += int(m["tool_calls"].size());
    return n;
}

MockReply jsonAnswer(const nlohmann::json& j)
{
    return MockReply::completion(
        QStringLiteral("Done.\n```json\n%1\n```").arg(QString::fromStdString(j.dump())));
}

// The scripted models. Runs on the mock's thread; holds no mutable state.
struct Script
{
    int latencyMs = 300;
    bool repairs = true;

    MockReply operator()(const MockRequest& r) const
    {
        MockReply reply = answer(r);
        reply.latencyMs = latencyMs;
        return reply;
    }

    MockReply answer(const MockRequest& r) const
    {
        const nlohmann::json& m = messagesOf(r);
        const int task = taskOf(r);
        switch (roleOf(r)) {
        case Role::Executor: {
            if (toolCallsSoFar(r) < 1 + task % 4)
                return MockReply::toolCall(QStringLiteral("activate_skill"),
                                           nlohmann::json::object());
            // Only the skill's body, as activate_skill returned it, can hold the rule.
            const bool careful = r.body.contains(kRule.toUtf8());
            const std::string value = careful ? std::to_string(2 * task) : std::string("-1");
            return MockReply::toolCall(QStringLiteral("submit_answer"), {{"values", {value}}});
        }
        case Role::Diagnoser: {
            if (repairs && task % 4 < 2 && m.size() <= 2)
                return MockReply::completion(QStringLiteral("Hard to say what happened here."));
            const bool contrastive = textOf(m[0]).startsWith(QStringLiteral("You compare"));
            return jsonAnswer({{"label", contrastive ? "Checked sums before submitting"
                                                     : "Sum submitted without checking"},
                               {"kind", contrastive ? "contrastive" : "failure"},
                               {"prose", "The agent did not check its sum."}});
        }
        case Role::Momentum: {
            static const QRegularExpression iteration(QStringLiteral("^Iteration (\\d+)\\."));
            auto record = nlohmann::json::parse(
                R"({"patterns": [{"id": "p-check", "kind": "operation", "summary": "Unchecked sums",
                    "anchor": "steps", "description": "sums are submitted unchecked",
                    "remedy_log": []}], "overlay": [], "themes": ["results are not verified"]})");
            record["patterns"][0]["appeared_in"] = nlohmann::json::array({numberIn(r, iteration)});
            return jsonAnswer(record);
        }
        case Role::Patcher: {
            static const QRegularExpression iteration(QStringLiteral("^Iteration (\\d+) of"));
            const int calls = toolCallsSoFar(r);
            if (calls == 0)
                return MockReply::toolCall(QStringLiteral("read_file"), {{"path", "SKILL.md"}});
            const QString rule = QStringLiteral("Add them.\n%1: check each sum again (rule %2).")
                                     .arg(kRule)
                                     .arg(numberIn(r, iteration));
            if (calls == 1)
                return MockReply::toolCall(QStringLiteral("replace_in_file"),
                                           {{"path", "SKILL.md"},
                                            {"old_text", "Add them."},
                                            {"new_text", rule.toStdString()}});
            return MockReply::toolCall(
                QStringLiteral("finish"),
                {{"summary",
                  "Added a rule.\n```json\n{\"rationale\": \"Check sums before submitting\", "
                  "\"patterns_addressed\": [\"p-check\"]}\n```"}});
        }
        case Role::Other:
            break;
        }
        return MockReply::error(400);
    }
};

struct Options
{
    int batch = 8;
    int val = 8;
    int latencyMs = 300;
    int concurrency = 64;
    bool repairs = true;
};

// One iteration as the event log and the mock's request log show it. Calls are counts; seconds
// are measured.
struct IterationFigures
{
    // Seconds from iteration_started to scores, and its stages: to the first momentum or patcher
    // request, to the first val request, to scores.
    double wall = 0, stage[3] = {};
    int minExec = 0, maxExec = 0, maxDiag = 0, batchChain = 0, momentum = 0, patcher = 0,
        maxVal = 0;
    int diagnoses = 0;
    int early = 0; // diagnosis requests that arrived before the batch's last executor request
    bool patcherFirst = false;
    int chain() const { return batchChain + momentum + patcher + maxVal; }
    int noOverlap() const { return maxExec + maxDiag + momentum + patcher + maxVal; }
};

[[noreturn]] void fail(const QString& message)
{
    std::fprintf(stderr, "bench_iteration: %s\n", qPrintable(message));
    std::exit(1);
}

qint64 eventMs(const nlohmann::json& e)
{
    return QDateTime::fromString(QString::fromStdString(e.value("time", std::string())),
                                 Qt::ISODateWithMs)
        .toMSecsSinceEpoch();
}

IterationFigures analyse(int iteration, const std::vector<nlohmann::json>& events,
                         const std::vector<MockRequest>& requests, qint64 listenedAtMs,
                         const QStringList& valIds, int latencyMs)
{
    qint64 start = -1, end = -1;
    QStringList batch;
    for (const nlohmann::json& e : events) {
        if (e.value("iter", -1) != iteration)
            continue;
        if (e.value("type", std::string()) == "iteration_started") {
            start = eventMs(e);
            for (const nlohmann::json& id : e["batch"])
                batch << QString::fromStdString(id.get<std::string>());
        } else if (e.value("type", std::string()) == "scores") {
            end = eventMs(e);
        }
    }
    if (start < 0 || end < start)
        fail(QStringLiteral("iteration %1 has no iteration_started/scores events").arg(iteration));
    // Requests of the stage before arrived at least L before this iteration started.
    const qint64 slack = std::min<qint64>(20, latencyMs / 2);
    IterationFigures f;
    std::map<QString, int> exec, diag, val;
    qint64 lastBatchExec = -1, firstRoles = -1, firstVal = -1;
    std::vector<qint64> diagnosisTimes;
    for (const MockRequest& r : requests) { // in order of arrival
        const qint64 t = listenedAtMs + r.receivedMs;
        const QString id = QStringLiteral("q%1").arg(taskOf(r));
        const Role role = roleOf(r);
        if (t < start - slack || t > end)
            continue;
        if (role == Role::Executor && batch.contains(id)) {
            ++exec[id];
            lastBatchExec = t;
        } else if (role == Role::Executor && valIds.contains(id)) {
            ++val[id];
            firstVal = firstVal < 0 ? t : firstVal;
        } else if (role == Role::Diagnoser) {
            ++diag[id];
            diagnosisTimes.push_back(t);
        } else if (role == Role::Momentum || role == Role::Patcher) {
            ++(role == Role::Momentum ? f.momentum : f.patcher);
            if (firstRoles < 0)
                f.patcherFirst = role == Role::Patcher;
            firstRoles = firstRoles < 0 ? t : firstRoles;
        } else {
            fail(QStringLiteral("iteration %1: request %2 is from no role of the script")
                     .arg(iteration)
                     .arg(r.index));
        }
    }
    f.minExec = exec.empty() ? 0 : exec.begin()->second;
    for (const auto& [id, n] : exec) {
        f.minExec = std::min(f.minExec, n);
        f.maxExec = std::max(f.maxExec, n);
        f.batchChain = std::max(f.batchChain, n + diag[id]);
    }
    for (const auto& [id, n] : diag) {
        f.maxDiag = std::max(f.maxDiag, n);
        f.diagnoses += n;
    }
    for (const auto& [id, n] : val)
        f.maxVal = std::max(f.maxVal, n);
    for (const qint64 t : diagnosisTimes)
        if (t < lastBatchExec)
            ++f.early;
    if (firstRoles < 0 || firstVal < 0)
        fail(
            QStringLiteral("iteration %1 sent no momentum, patcher or val request").arg(iteration));
    f.wall = double(end - start) / 1000;
    f.stage[0] = double(firstRoles - start) / 1000;
    f.stage[1] = double(firstVal - firstRoles) / 1000;
    f.stage[2] = double(end - firstVal) / 1000;
    return f;
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

struct Round
{
    std::vector<IterationFigures> iterations;
    double cpuMsPerCall = 0; // this process over the whole run, less the mock's thread
};

// One optimisation run in a fresh workspace; exits unless it went as scripted.
Round runRound(MockLlmServer& server, qint64 listenedAtMs, const Options& o)
{
    QTemporaryDir tmp;
    QByteArray lines;
    for (int i = 0; i < 2 * o.batch + o.val; ++i)
        lines += QStringLiteral(
                     "{\"id\": \"q%1\", \"prompt\": \"what is %1 plus %1?\", \"answer\": \"%2\"}\n")
                     .arg(i)
                     .arg(2 * i)
                     .toUtf8();
    if (!tmp.isValid() || !writeFile(tmp.filePath(QStringLiteral("in/tasks.jsonl")), lines) ||
        !writeFile(tmp.filePath(QStringLiteral("in/adder/SKILL.md")),
                   "---\nname: adder\ndescription: Adds numbers.\n---\n# Steps\nAdd them.\n"))
        fail(QStringLiteral("cannot write the task set"));
    Workspace::CreateOptions create;
    create.skillPath = tmp.filePath(QStringLiteral("in/adder"));
    create.taskKind = QStringLiteral("jsonl");
    create.tasksPath = tmp.filePath(QStringLiteral("in/tasks.jsonl"));
    create.split = {2 * o.batch, o.val, 0};
    auto ws = Workspace::create(tmp.filePath(QStringLiteral("ws")), create);
    auto tasks = ws ? ws->tasks() : Result<TaskStore>(ws.error());
    if (!tasks)
        fail(tasks.error().text());
    LlmSession::Options session;
    for (const QString& role : {QStringLiteral("executor"), QStringLiteral("failure-diagnoser"),
                                QStringLiteral("contrastive-diagnoser"), QStringLiteral("momentum"),
                                QStringLiteral("patcher")}) {
        ProviderFactory::Options p;
        p.kind = QStringLiteral("openai");
        p.baseUrl = server.openaiBaseUrl();
        p.concurrency = o.concurrency;
        session.roles[role] = {p, QStringLiteral("mock-") + role, 1};
    }
    auto llm = LlmSession::create(session);
    if (!llm)
        fail(llm.error().text());
    auto store =
        RunStore::create(ws->runsDir(), QStringLiteral("optimize"), nlohmann::json::object());
    if (!store)
        fail(store.error().text());

    OptimizerOptions options;
    options.batch = o.batch;
    options.evaluateTest = false;
    server.clearLog();
    Optimizer optimizer(ws.value(), *llm.value(), store.value(), tasks.value(), options);
    QEventLoop loop;
    QObject::connect(&optimizer, &Optimizer::finished, &loop, &QEventLoop::quit);
    const double cpuBefore = cpuSeconds() - threadCpuSeconds(kMockThread);
    optimizer.start();
    loop.exec();
    const double cpu = cpuSeconds() - threadCpuSeconds(kMockThread) - cpuBefore;

    const RunSummary& s = optimizer.summary();
    const bool scripted = s.status == QLatin1String("completed") && s.iterations.size() == 2 &&
                          s.initialVal == 0 && s.finalVal == 1 && s.iterations[0].passed == 0 &&
                          s.iterations[1].passed == o.batch &&
                          s.iterations[0].decision == QLatin1String("accepted") &&
                          s.iterations[1].decision == QLatin1String("accepted");
    if (!scripted)
        fail(QStringLiteral("the run did not go as scripted: %1")
                 .arg(QString::fromStdString(s.toJson().dump())));
    const auto events = EventLog::read(store->path(QStringLiteral("events.jsonl")));
    const auto requests = server.requests();
    const QStringList val = tasks->splits().val;
    return {{analyse(1, events, requests, listenedAtMs, val, o.latencyMs),
             analyse(2, events, requests, listenedAtMs, val, o.latencyMs)},
            cpu * 1000 / double(std::max<std::size_t>(1, requests.size()))};
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("One optimizer iteration against its longest chain of LLM calls."));
    parser.addHelpOption();
    const auto number = [](const char* name, const char* help, const char* value) {
        return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help),
                                  QStringLiteral("N"), QString::fromLatin1(value));
    };
    parser.addOptions({
        number("batch", "Tasks per batch (default 8).", "8"),
        number("val", "Val tasks (default 8).", "8"),
        number("latency-ms", "The mock's latency per reply, ms (default 300).", "300"),
        number("concurrency", "The provider's C (default 64).", "64"),
        number("repeats", "Rounds, each in a fresh workspace (default 3).", "3"),
        {QStringLiteral("uniform-diagnoses"), QStringLiteral("No repair rounds: 1 call each.")},
    });
    parser.process(app);
    const char* self = "bench_iteration";
    Options o;
    o.batch = intOption(self, parser, QStringLiteral("batch"), 1);
    o.val = intOption(self, parser, QStringLiteral("val"), 1);
    o.latencyMs = intOption(self, parser, QStringLiteral("latency-ms"), 20);
    o.concurrency = intOption(self, parser, QStringLiteral("concurrency"), 1);
    o.repairs = !parser.isSet(QStringLiteral("uniform-diagnoses"));
    const int repeats = intOption(self, parser, QStringLiteral("repeats"), 1);

    // The mock answers on a thread of its own, so that its work does not delay the optimizer's.
    QThread mockThread;
    mockThread.setObjectName(QString::fromLatin1(kMockThread));
    auto* server = new MockLlmServer;
    if (!server->listen())
        fail(QStringLiteral("the mock cannot listen"));
    const qint64 listenedAtMs = QDateTime::currentMSecsSinceEpoch(); // receivedMs counts from here
    server->moveToThread(&mockThread);
    mockThread.start();
    server->setHandler(Script{o.latencyMs, o.repairs});
    const double loadBefore = loadAverage();
    std::vector<std::vector<IterationFigures>> rounds;
    std::vector<double> cpu;
    int peak = 0;
    for (int r = 0; r < repeats; ++r) {
        Round round = runRound(*server, listenedAtMs, o);
        rounds.push_back(std::move(round.iterations));
        cpu.push_back(round.cpuMsPerCall);
        peak = std::max(peak, server->peakInFlight());
    }
    server->closeAllConnections();
    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    mockThread.quit();
    mockThread.wait();

    const double l = o.latencyMs / 1000.0;
    std::printf("bench_iteration: batch %d, val %d, latency %d ms, C %d, median of %d rounds\n",
                o.batch, o.val, o.latencyMs, o.concurrency, repeats);
    std::printf("machine: %s\n", qPrintable(machine()));
    std::printf("script: task qi takes 2 + (i %% 4) executor calls; %s\n",
                o.repairs ? "a diagnosis takes 2 calls (a repair round) when i % 4 < 2, else 1"
                          : "every diagnosis takes 1 call");
    std::printf("mock: in process, on a thread of its own; peak requests in flight %d\n", peak);
    std::printf("CPU: %.2f ms a call (this process less the mock's thread, the whole run)\n",
                median(cpu));
    std::printf("chain: max(exec + diag) over the batch + momentum + patcher + max val exec, in "
                "calls; stage by stage: max exec + max diag + ...\n\n");
    std::printf("%4s %-17s %5s %6s %8s %12s %10s %10s %8s  %s\n", "iter", "order", "chain",
                "stages", "ideal s", "no-overlap s", "measured s", "efficiency", "ms/step",
                "early diagnoses a round");
    bool overlapSeen = true;
    double worst = 1;
    QStringList stageLines, notes;
    for (std::size_t it = 0; it < 2; ++it) {
        const IterationFigures& c = rounds.front()[it]; // call counts: the same every round
        std::vector<double> wall, stage[3];
        QStringList early;
        bool overlap = true;
        for (const auto& round : rounds) {
            const IterationFigures& f = round[it];
            if (f.chain() != c.chain() || f.noOverlap() != c.noOverlap())
                std::printf("note: a round's chain differs: %d/%d calls\n", f.chain(),
                            f.noOverlap());
            wall.push_back(f.wall);
            for (int k = 0; k < 3; ++k)
                stage[k].push_back(f.stage[k]);
            early << QStringLiteral("%1/%2").arg(f.early).arg(f.diagnoses);
            // Overlap shows directly: diagnoses asked for while batch tasks were still running.
            overlap = overlap && (f.early > 0 || c.minExec == c.maxExec);
        }
        const double measured = median(wall), ideal = c.chain() * l;
        worst = std::min(worst, ideal / measured);
        overlapSeen = overlapSeen && overlap;
        // What each step of the chain costs beyond L: the orchestrator, HTTP, the mock, waiting.
        const double perStep = (measured - ideal) * 1000 / c.chain();
        std::printf("%4zu %-17s %5d %6d %8.3f %12.3f %10.3f %10.3f %8.1f  %s%s\n", it + 1,
                    c.patcherFirst ? "patcher, momentum" : "momentum, patcher", c.chain(),
                    c.noOverlap(), ideal, c.noOverlap() * l, measured, ideal / measured, perStep,
                    qPrintable(early.join(QLatin1Char(' '))), overlap ? "" : "  NO OVERLAP");
        stageLines << QString::asprintf(
            "%4zu %6d %4d %4d %8.3f %9.3f %10.3f   %6d %8.3f %10.3f   %6d %8.3f %10.3f", it + 1,
            c.batchChain, c.maxExec, c.maxDiag, c.batchChain * l, (c.maxExec + c.maxDiag) * l,
            median(stage[0]), c.momentum + c.patcher, (c.momentum + c.patcher) * l,
            median(stage[1]), c.maxVal, c.maxVal * l, median(stage[2]));
        if (overlap && c.noOverlap() > c.chain() && measured >= c.noOverlap() * l)
            notes << QStringLiteral("iteration %1: diagnoses overlapped the batch, yet it took no "
                                    "less than the stage-by-stage ideal: %2 ms of overhead ate the "
                                    "%3 ms that overlap saves")
                         .arg(it + 1)
                         .arg(qRound((measured - ideal) * 1000))
                         .arg(qRound((c.noOverlap() - c.chain()) * l * 1000));
    }
    std::printf("\nstages (medians; a stage ends when the next one's first request arrives; "
                "exec, diag: the longest executor and diagnosis chains):\n"
                "%4s %-48s   %-28s   %s\n%4s %6s %4s %4s %8s %9s %10s   %6s %8s %10s   %6s %8s "
                "%10s\n%s\n",
                "", "batch + diagnoses", "momentum + patcher", "val of the proposal", "iter",
                "calls", "exec", "diag", "ideal s", "by stage", "measured s", "calls", "ideal s",
                "measured s", "calls", "ideal s", "measured s",
                qPrintable(stageLines.join(QLatin1Char('\n'))));
    for (const QString& note : notes)
        std::printf("\nnote: %s\n", qPrintable(note));
    if (!overlapSeen)
        std::printf("\nNO OVERLAP: in some round no diagnosis was asked for before the batch's "
                    "last executor call; the batch stage ran stage by stage\n");
    std::printf("\nefficiency >= 0.8 (DESIGN.md 11 at C = 64): %s; load average (1 min): %.2f "
                "before, %.2f after\n",
                worst >= 0.8 ? "met" : "MISSED", loadBefore, loadAverage());
    return worst >= 0.8 && overlapSeen ? 0 : 2;
}
