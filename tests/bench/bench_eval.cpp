// Whole tasks through Evaluation (DESIGN.md 11: concurrency efficiency; orchestrator CPU <= 1 ms
// per LLM call). Not a test: run by hand,
// `build/tests/bench/bench_eval [--tasks N] [--latency-ms L] [--concurrency C[,C...]]`, and
// record the figures in docs/BENCHMARKS.md.
//
// A generated jsonl task set of N tasks runs through Evaluation -> AgentRun -> LlmClient (with a
// usage ledger, no response cache) -> Scheduler -> OpenAiProvider (C both the scheduler's limit and
// the provider's) against mock-llm-server in a child process, which scripts the agent: every task
// takes exactly two model turns, an sql tool call (run for real on the task's table) and then
// submit_answer. Two dependent calls per task give ideal = ceil(N/C) x 2 x L. CPU is this
// process's user + system time from start() to finished(), divided by the 2N calls; it covers
// everything the orchestrator does for a task (scratch folder, tables, prompts, tools, grading).

#include "BenchSupport.h"

#include "agent/Evaluation.h"
#include "llm/LlmClient.h"
#include "llm/OpenAiProvider.h"
#include "llm/Scheduler.h"
#include "llm/UsageLedger.h"
#include "skill/SkillSource.h"
#include "tasks/TaskSource.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <vector>

using namespace sg;
using namespace sg::bench;

namespace {

const QString kAnswer = QStringLiteral("42"); // what the scripted agent submits

struct Sample
{
    double wallSeconds = 0;
    double cpuMsPerCall = 0;
    double httpMsPerCall = 0; // the part spent on Qt's HTTP threads (one per network manager)
};

// N tasks that share one small table; every answer is kAnswer, so every task should pass.
QString writeTasks(const QString& dir, int n)
{
    QDir().mkpath(dir);
    QByteArray lines;
    for (int i = 0; i < n; ++i)
        lines += QStringLiteral("{\"id\": \"q%1\", \"prompt\": \"what is 21 plus 21 (task %1)?\", "
                                "\"answer\": \"%2\", \"files\": [\"numbers.csv\"]}\n")
                     .arg(i)
                     .arg(kAnswer)
                     .toUtf8();
    QFile tasks(dir + QStringLiteral("/tasks.jsonl"));
    QFile table(dir + QStringLiteral("/numbers.csv"));
    if (!tasks.open(QIODevice::WriteOnly) || tasks.write(lines) != lines.size() ||
        !table.open(QIODevice::WriteOnly) || table.write("\"n\"\n\"21\"\n\"21\"\n") < 0) {
        std::fprintf(stderr, "bench_eval: cannot write the task set in %s\n", qPrintable(dir));
        std::exit(1);
    }
    return tasks.fileName();
}

SkillPackage skill()
{
    SkillFiles files;
    files.rootName = QStringLiteral("adder");
    files.files = {{QStringLiteral("SKILL.md"),
                    "---\nname: adder\ndescription: Adds numbers.\n---\n# Steps\nAdd them.\n",
                    false}};
    return SkillPackage::fromFiles(files);
}

// One evaluation of every task; exits unless every task passed in exactly two calls.
Sample runOnce(const QString& baseUrl, int concurrency, const TaskSet& tasks,
               const QString& scratchRoot)
{
    ProviderSettings settings;
    settings.kind = QStringLiteral("openai");
    settings.baseUrl = baseUrl;
    settings.concurrency = concurrency;
    OpenAiProvider provider(settings);
    Scheduler scheduler;
    SchedulerLimits limits;
    limits.concurrency = concurrency;
    scheduler.addProvider(QStringLiteral("mock"), &provider, limits);
    LlmClient client(scheduler);
    client.setDefaultLane(QStringLiteral("mock"));
    UsageLedger ledger;
    client.setLedger(&ledger);

    Evaluation::Setup setup;
    for (const Task& t : tasks.tasks)
        setup.tasks.push_back(&t);
    setup.tasksRoot = tasks.root;
    setup.skill = skill();
    setup.model = QStringLiteral("mock-model");
    setup.client = &client;
    setup.scratchRoot = scratchRoot;
    setup.sandbox.wallMs = 20000;
    Evaluation evaluation(setup); // maxAgents: the default (64), as `skillgrad eval` has it

    QEventLoop loop;
    QObject::connect(&evaluation, &Evaluation::finished, &loop, &QEventLoop::quit);
    const double cpuBefore = cpuSeconds();
    const double httpBefore = threadCpuSeconds("QNetworkAccessM");
    QElapsedTimer wall;
    wall.start();
    evaluation.start();
    if (!evaluation.isFinished())
        loop.exec();
    Sample sample;
    sample.wallSeconds = double(wall.nsecsElapsed()) / 1e9;
    const qint64 calls = ledger.total().calls;
    const double perCall = 1000.0 / double(std::max<qint64>(1, calls));
    sample.cpuMsPerCall = (cpuSeconds() - cpuBefore) * perCall;
    sample.httpMsPerCall = (threadCpuSeconds("QNetworkAccessM") - httpBefore) * perCall;

    const int n = evaluation.total();
    if (evaluation.passed() != n || calls != 2 * n) {
        QString first;
        for (const TaskResult& r : evaluation.results()) {
            if (!r.passed) {
                first = QStringLiteral("%1: %2 %3")
                            .arg(r.id, r.end, r.error.isEmpty() ? r.evidence : r.error);
                break;
            }
        }
        std::fprintf(
            stderr, "bench_eval: %d of %d tasks passed with %lld calls (expected %d); %s\n",
            evaluation.passed(), n, static_cast<long long>(calls), 2 * n, qPrintable(first));
        std::exit(1);
    }
    return sample;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Two-turn tasks through Evaluation against mock-llm-server's scripted agent."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("tasks"), QStringLiteral("Tasks (default 64)."), QStringLiteral("N"),
         QStringLiteral("64")},
        {QStringLiteral("latency-ms"), QStringLiteral("The mock's latency (default 300)."),
         QStringLiteral("L"), QStringLiteral("300")},
        {QStringLiteral("concurrency"),
         QStringLiteral("Comma-separated concurrencies (default 16,64)."), QStringLiteral("C"),
         QStringLiteral("16,64")},
        {QStringLiteral("repeats"), QStringLiteral("Rounds per concurrency (default 3)."),
         QStringLiteral("R"), QStringLiteral("3")},
    });
    parser.process(app);
    const int taskCount = intOption("bench_eval", parser, QStringLiteral("tasks"), 1);
    const int latency = intOption("bench_eval", parser, QStringLiteral("latency-ms"), 0);
    const int repeats = intOption("bench_eval", parser, QStringLiteral("repeats"), 1);
    const std::vector<int> levels = concurrencyOption("bench_eval", parser, QStringLiteral("concurrency"));

    QTemporaryDir tmp;
    if (!tmp.isValid())
        return 1;
    auto loaded = TaskSource::load(QStringLiteral("jsonl"),
                                   writeTasks(tmp.filePath(QStringLiteral("tasks")), taskCount));
    if (!loaded) {
        std::fprintf(stderr, "bench_eval: %s\n", qPrintable(loaded.error().text()));
        return 1;
    }
    const TaskSet tasks = std::move(loaded.value());

    MockServerProcess mock;
    QString error;
    if (!mock.start({QStringLiteral("--latency-ms"), QString::number(latency),
                     QStringLiteral("--agent"), kAnswer},
                    &error)) {
        std::fprintf(stderr, "bench_eval: %s\n", qPrintable(error));
        return 1;
    }
    const double loadBefore = loadAverage();
    int round = 0;
    const auto scratch = [&tmp, &round] {
        return tmp.filePath(QStringLiteral("scratch-%1").arg(round++));
    };
    runOnce(mock.openaiBaseUrl(), 8, tasks, scratch()); // warm-up: network stack, SQLite, prompts

    std::printf("bench_eval: %d two-turn tasks (sql, then submit_answer), latency %d ms, "
                "median of %d rounds\n",
                taskCount, latency, repeats);
    std::printf("machine: %s\n", qPrintable(machine()));
    std::printf("mock: mock-llm-server --agent in a child process (its CPU is not counted)\n");
    std::printf("CPU ms/call: this process, all threads, over the 2N calls; \"HTTP thr\": the "
                "part on Qt's HTTP threads\n\n");
    std::printf("%4s %5s %6s %8s %10s %10s %12s %9s  %s\n", "C", "tasks", "L ms", "ideal s",
                "measured s", "efficiency", "CPU ms/call", "HTTP thr", "targets");
    bool allMet = true;
    for (const int c : levels) {
        std::vector<double> wall, cpu, http;
        for (int r = 0; r < repeats; ++r) {
            const Sample s = runOnce(mock.openaiBaseUrl(), c, tasks, scratch());
            wall.push_back(s.wallSeconds);
            cpu.push_back(s.cpuMsPerCall);
            http.push_back(s.httpMsPerCall);
        }
        const double ideal = std::ceil(double(taskCount) / c) * 2 * latency / 1000.0;
        const double measured = median(wall);
        const double efficiency = ideal / measured;
        const double cpuPerCall = median(cpu);
        // 0.9 at C = 16 (the eval target); DESIGN.md's 0.8 at C = 64 beyond that.
        const double target = c >= 64 ? 0.8 : 0.9;
        const bool met = efficiency >= target && cpuPerCall <= 1.0;
        allMet = allMet && met;
        std::printf(
            "%4d %5d %6d %8.2f %10.3f %10.3f %12.3f %9.3f  efficiency >= %.1f %s; CPU <= 1 ms %s\n",
            c, taskCount, latency, ideal, measured, efficiency, cpuPerCall, median(http), target,
            efficiency >= target ? "met" : "MISSED", cpuPerCall <= 1.0 ? "met" : "MISSED");
        QStringList rounds;
        for (std::size_t i = 0; i < wall.size(); ++i)
            rounds << QStringLiteral("%1 s / %2 ms").arg(wall[i], 0, 'f', 3).arg(cpu[i], 0, 'f', 3);
        std::printf("     rounds (wall / CPU a call): %s\n",
                    qPrintable(rounds.join(QStringLiteral(", "))));
        std::fflush(stdout);
    }
    std::printf("\nload average (1 min): %.2f before, %.2f after\n", loadBefore, loadAverage());
    return allMet ? 0 : 2;
}
