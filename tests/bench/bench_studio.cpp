// The Studio's responsiveness (DESIGN.md 11). Not a test: run by hand,
// `QT_QPA_PLATFORM=offscreen build/tests/bench/bench_studio [--calls C] [--latency-ms L] [--repeats R]`,
// and record the figures in docs/BENCHMARKS.md.
//
// 1. Event-loop stall: the real MainWindow runs one optimizer iteration of a jsonl workspace on
//    its worker thread, every role on the openai provider at concurrency C, against an
//    in-process MockLlmServer on a thread of its own (AdderScript answers, L ms each); a batch of
//    C tasks keeps C calls in flight. A 5 ms heartbeat timer on the UI thread records the largest
//    gap between its ticks beyond its interval: the longest the window could not react.
// 2. History: the time from HistoryView::setWorkspace to its loaded() signal for a skill with
//    1,000 versions (and 500 proposals), median of R.

#include "AdderScript.h"
#include "BenchSupport.h"
#include "MainWindow.h"
#include "MockLlmServer.h"
#include "TestSupport.h"
#include "run/OptimizerController.h"
#include "views/HistoryView.h"

#include "workspace/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cstdio>

using namespace sg;
using namespace sg::bench;
using namespace sg::test;

namespace {

constexpr int kHeartbeatMs = 5;

QString makeWorkspace(const QString& parent, int tasks, const QString& baseUrl, int concurrency, AdderScript& script)
{
    const QString in = QDir(parent).filePath(QStringLiteral("in"));
    writeFile(in, QStringLiteral("tasks.jsonl"), adderTasks(tasks));
    makeSkill(in, QStringLiteral("adder"), "---\nname: adder\ndescription: Adds numbers.\n---\n# Steps\nAdd them.\n");
    Workspace::CreateOptions create;
    create.skillPath = in + QStringLiteral("/adder");
    create.taskKind = QStringLiteral("jsonl");
    create.tasksPath = in + QStringLiteral("/tasks.jsonl");
    const QString dir = QDir(parent).filePath(QStringLiteral("ws"));
    auto ws = Workspace::create(dir, create);
    if (!ws)
        qFatal("%s", qPrintable(ws.error().text()));
    script.valIds = ws->tasks()->splits().val;
    WorkspaceConfig config = ws->config();
    for (const QString& role : WorkspaceConfig::roleNames()) {
        RoleConfig r;
        r.provider = QStringLiteral("openai");
        r.model = QStringLiteral("mock");
        r.baseUrl = baseUrl;
        r.concurrency = concurrency;
        config.roles[role] = r;
    }
    config.batch = concurrency;
    if (auto saved = ws->saveConfig(config); !saved)
        qFatal("%s", qPrintable(saved.error().text()));
    return dir;
}

// The largest heartbeat gap (beyond its interval) while one iteration runs in the window.
double stallDuringRun(int calls, int latencyMs, int* peakInFlight)
{
    QThread serverThread;
    serverThread.setObjectName(QStringLiteral("bench-mock"));
    auto* server = new MockLlmServer;
    AdderScript script;
    if (!server->listen())
        qFatal("the mock server cannot listen");
    QTemporaryDir tmp;
    const QString ws = makeWorkspace(tmp.path(), calls * 3, server->openaiBaseUrl(), calls, script);
    server->setHandler([script, latencyMs](const MockRequest& r) {
        MockReply reply = script(r);
        reply.latencyMs = latencyMs;
        return reply;
    });
    server->moveToThread(&serverThread);
    serverThread.start();

    double worst = 0;
    {
        MainWindow window;
        window.openWorkspace(ws);
        window.setMaxIterations(1);
        window.show();
        QElapsedTimer clock;
        qint64 last = -1;
        QTimer heartbeat;
        heartbeat.setTimerType(Qt::PreciseTimer);
        heartbeat.setInterval(kHeartbeatMs);
        QObject::connect(&heartbeat, &QTimer::timeout, &window, [&] {
            const qint64 now = clock.nsecsElapsed();
            if (last >= 0)
                worst = std::max(worst, double(now - last) / 1e6 - kHeartbeatMs);
            last = now;
        });
        QEventLoop loop;
        QObject::connect(window.controller(), &OptimizerController::finished, &loop, &QEventLoop::quit);
        QObject::connect(window.controller(), &OptimizerController::failedToStart, &loop, [&loop](const QString& m) {
            std::fprintf(stderr, "cannot start: %s\n", qPrintable(m));
            loop.quit();
        });
        QTimer::singleShot(600000, &loop, &QEventLoop::quit);
        clock.start();
        heartbeat.start();
        window.startRun();
        loop.exec();
        heartbeat.stop();
        *peakInFlight = server->peakInFlight();
    }
    QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return worst;
}

double historyLoadMs()
{
    QTemporaryDir tmp;
    const QString ws = tmp.filePath(QStringLiteral("ws"));
    Workspace::CreateOptions create;
    create.skillPath = makeSkill(tmp.path(), QStringLiteral("s"));
    if (!Workspace::create(ws, create))
        qFatal("cannot make a workspace");
    // Replace its history with 1,000 versions.
    QProcess git;
    git.setWorkingDirectory(ws + QStringLiteral("/skill"));
    git.start(QStringLiteral("git"), {QStringLiteral("fast-import"), QStringLiteral("--quiet"), QStringLiteral("--force")});
    git.write(fastImportHistory(1000));
    git.closeWriteChannel();
    if (!git.waitForFinished(60000) || git.exitCode() != 0)
        qFatal("git fast-import failed: %s", git.readAllStandardError().constData());
    HistoryView view;
    QEventLoop loop;
    QObject::connect(&view, &HistoryView::loaded, &loop, &QEventLoop::quit);
    QElapsedTimer timer;
    timer.start();
    view.setWorkspace(ws);
    loop.exec();
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("calls"), QStringLiteral("Calls in flight (the batch and the concurrency)"), QStringLiteral("C"), QStringLiteral("64")});
    parser.addOption({QStringLiteral("latency-ms"), QStringLiteral("The mock's latency per call"), QStringLiteral("L"), QStringLiteral("300")});
    parser.addOption({QStringLiteral("repeats"), QStringLiteral("Rounds per figure"), QStringLiteral("R"), QStringLiteral("3")});
    parser.process(app);
    const int calls = intOption("bench_studio", parser, QStringLiteral("calls"), 1);
    const int latency = intOption("bench_studio", parser, QStringLiteral("latency-ms"), 0);
    const int repeats = intOption("bench_studio", parser, QStringLiteral("repeats"), 1);

    std::printf("%s; load %.2f\n", qPrintable(machine()), loadAverage());
    std::vector<double> stalls;
    for (int i = 0; i < repeats; ++i) {
        int peak = 0;
        stalls.push_back(stallDuringRun(calls, latency, &peak));
        std::printf("  run %d: largest event-loop stall %.1f ms (peak %d calls in flight)\n", i + 1, stalls.back(), peak);
    }
    std::vector<double> loads;
    for (int i = 0; i < repeats; ++i)
        loads.push_back(historyLoadMs());
    std::printf("event-loop stall during a run, C=%d, L=%d ms: median %.1f ms, worst %.1f ms (target <= 50)\n", calls, latency,
                median(stalls), *std::max_element(stalls.begin(), stalls.end()));
    std::printf("history of 1,000 versions + 500 proposals, setWorkspace -> loaded: median %.1f ms (target <= 300)\n", median(loads));
    return 0;
}
