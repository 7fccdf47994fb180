// Scheduler throughput (DESIGN.md 11: concurrency efficiency >= 0.9 at C = 8 and >= 0.8 at
// C = 64; orchestrator CPU <= 1 ms per LLM call). Not a test: run by hand,
// `build/tests/bench/bench_scheduler [--requests N] [--latency-ms L] [--jitter-ms J]`, and record
// the figures in docs/BENCHMARKS.md.
//
// N independent requests go through one Scheduler + OpenAiProvider (C both the scheduler's limit
// and the provider's, so the manager pool is ceil(C/6)) to mock-llm-server, which runs in a child
// process so that its CPU is not counted. Wall time runs from the first submit to the last
// answer; the ideal is ceil(N/C) rounds of the injected latency. CPU is this process's
// user + system time over the same span, divided by N.

#include "BenchSupport.h"

#include "llm/OpenAiProvider.h"
#include "llm/Scheduler.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <cmath>
#include <cstdio>
#include <vector>

using namespace sg;
using namespace sg::bench;

namespace {

struct Sample
{
    double wallSeconds = 0;
    double cpuMsPerCall = 0;
    double httpMsPerCall = 0; // the part spent on Qt's HTTP threads (one per network manager)
    int attempts = 0;
};

// A request of a realistic size: a 1.5 KB system prompt, a question and two tools.
LlmRequest makeRequest(int index)
{
    LlmRequest request;
    request.role = QStringLiteral("executor");
    request.model = QStringLiteral("mock-model");
    request.messages.push_back(LlmMessage::system(
        QStringLiteral("You answer questions about tables. Think, then call a tool. ")
            .repeated(25)));
    request.messages.push_back(
        LlmMessage::user(QStringLiteral("Task: what is %1 plus %1?").arg(index)));
    const nlohmann::json query{{"type", "object"},
                               {"properties", {{"query", {{"type", "string"}}}}},
                               {"required", {"query"}}};
    request.tools.push_back(
        {QStringLiteral("sql"), QStringLiteral("Runs one SQLite query."), query});
    request.tools.push_back(
        {QStringLiteral("submit_answer"),
         QStringLiteral("Submits the answer."),
         {{"type", "object"},
          {"properties", {{"values", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}});
    return request;
}

// One round: N requests submitted at once, each answered; exits on any failure.
Sample runOnce(const QString& baseUrl, int concurrency, int requests)
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

    std::vector<LlmRequest> prepared;
    prepared.reserve(std::size_t(requests));
    for (int i = 0; i < requests; ++i)
        prepared.push_back(makeRequest(i));

    QEventLoop loop;
    int answered = 0;
    QString failure;
    const double cpuBefore = cpuSeconds();
    const double httpBefore = threadCpuSeconds("QNetworkAccessM");
    QElapsedTimer wall;
    wall.start();
    for (int i = 0; i < requests; ++i) {
        scheduler.submit(QStringLiteral("mock"), std::move(prepared[std::size_t(i)]),
                         [&](Result<LlmResponse> result) {
                             if (!result && failure.isEmpty())
                                 failure = result.error().text();
                             if (++answered == requests)
                                 loop.quit();
                         });
    }
    loop.exec();
    Sample sample;
    sample.wallSeconds = double(wall.nsecsElapsed()) / 1e9;
    sample.cpuMsPerCall = (cpuSeconds() - cpuBefore) * 1000.0 / requests;
    sample.httpMsPerCall = (threadCpuSeconds("QNetworkAccessM") - httpBefore) * 1000.0 / requests;
    sample.attempts = int(scheduler.attempts().size());
    if (!failure.isEmpty()) {
        std::fprintf(stderr, "bench_scheduler: a call failed: %s\n", qPrintable(failure));
        std::exit(1);
    }
    return sample;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Scheduler + OpenAiProvider throughput against mock-llm-server."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("requests"), QStringLiteral("Requests per round (default 256)."),
         QStringLiteral("N"), QStringLiteral("256")},
        {QStringLiteral("latency-ms"), QStringLiteral("The mock's latency (default 300)."),
         QStringLiteral("L"), QStringLiteral("300")},
        {QStringLiteral("jitter-ms"), QStringLiteral("Plus uniform jitter in [0, J] (default 0)."),
         QStringLiteral("J"), QStringLiteral("0")},
        {QStringLiteral("repeats"), QStringLiteral("Rounds per concurrency (default 3)."),
         QStringLiteral("R"), QStringLiteral("3")},
        {QStringLiteral("concurrency"),
         QStringLiteral("Comma-separated concurrencies (default 1,8,64)."), QStringLiteral("LIST"),
         QStringLiteral("1,8,64")},
        {QStringLiteral("mock-url"),
         QStringLiteral("Use a mock-llm-server already running at this OpenAI base URL (for "
                        "profiling the client alone); --latency-ms must match its own."),
         QStringLiteral("URL")},
    });
    parser.process(app);
    const int requests = intOption("bench_scheduler", parser, QStringLiteral("requests"), 1);
    const int latency = intOption("bench_scheduler", parser, QStringLiteral("latency-ms"), 0);
    const int jitter = intOption("bench_scheduler", parser, QStringLiteral("jitter-ms"), 0);
    const int repeats = intOption("bench_scheduler", parser, QStringLiteral("repeats"), 1);
    const std::vector<int> levels = concurrencyOption("bench_scheduler", parser, QStringLiteral("concurrency"));

    MockServerProcess mock;
    QString error;
    QString baseUrl = parser.value(QStringLiteral("mock-url"));
    if (baseUrl.isEmpty() && !mock.start({QStringLiteral("--latency-ms"), QString::number(latency),
                                          QStringLiteral("--jitter-ms"), QString::number(jitter)},
                                         &error)) {
        std::fprintf(stderr, "bench_scheduler: %s\n", qPrintable(error));
        return 1;
    }
    if (baseUrl.isEmpty())
        baseUrl = mock.openaiBaseUrl();
    const double loadBefore = loadAverage();
    runOnce(baseUrl, 8, 16); // warm-up: first use of the network stack

    std::printf("bench_scheduler: %d requests a round, latency %d ms + jitter [0, %d] ms, "
                "median of %d rounds\n",
                requests, latency, jitter, repeats);
    std::printf("machine: %s\n", qPrintable(machine()));
    std::printf("mock: %s\n", parser.isSet(QStringLiteral("mock-url"))
                                  ? qPrintable(QStringLiteral("already running at ") + baseUrl)
                                  : "mock-llm-server in a child process (its CPU is not counted)");
    std::printf("CPU ms/call: this process, all threads; \"HTTP thr\": the part on Qt's HTTP "
                "threads\n\n");
    std::printf("%4s %5s %6s %8s %10s %10s %12s %9s  %s\n", "C", "N", "L ms", "ideal s",
                "measured s", "efficiency", "CPU ms/call", "HTTP thr", "targets");
    bool allMet = true;
    for (const int c : levels) {
        std::vector<double> wall, cpu, http;
        int attempts = 0;
        for (int r = 0; r < repeats; ++r) {
            const Sample s = runOnce(baseUrl, c, requests);
            wall.push_back(s.wallSeconds);
            cpu.push_back(s.cpuMsPerCall);
            http.push_back(s.httpMsPerCall);
            attempts = std::max(attempts, s.attempts);
        }
        // With jitter the mean latency is L + J/2.
        const double ideal = std::ceil(double(requests) / c) * (latency + jitter / 2.0) / 1000.0;
        const double measured = median(wall);
        const double efficiency = ideal / measured;
        const double cpuPerCall = median(cpu);
        const double target = c >= 64 ? 0.8 : c >= 8 ? 0.9 : 0;
        QString verdict;
        if (target > 0) {
            verdict +=
                QStringLiteral("efficiency >= %1 %2; ")
                    .arg(target, 0, 'f', 1)
                    .arg(efficiency >= target ? QStringLiteral("met") : QStringLiteral("MISSED"));
            allMet = allMet && efficiency >= target;
        }
        verdict += QStringLiteral("CPU <= 1 ms %1")
                       .arg(cpuPerCall <= 1.0 ? QStringLiteral("met") : QStringLiteral("MISSED"));
        allMet = allMet && cpuPerCall <= 1.0;
        std::printf("%4d %5d %6d %8.2f %10.3f %10.3f %12.3f %9.3f  %s\n", c, requests, latency,
                    ideal, measured, efficiency, cpuPerCall, median(http), qPrintable(verdict));
        QStringList rounds;
        for (std::size_t i = 0; i < wall.size(); ++i)
            rounds << QStringLiteral("%1 s / %2 ms").arg(wall[i], 0, 'f', 3).arg(cpu[i], 0, 'f', 3);
        std::printf("     rounds (wall / CPU a call): %s; attempts a round: %d\n",
                    qPrintable(rounds.join(QStringLiteral(", "))), attempts);
        std::fflush(stdout);
    }
    std::printf("\nload average (1 min): %.2f before, %.2f after\n", loadBefore, loadAverage());
    return allMet ? 0 : 2;
}
