#include "MockLlmServer.h"
#include "TestSupport.h"

#include "agent/Evaluation.h"
#include "agent/SimExecutor.h"
#include "llm/LlmClient.h"
#include "llm/OpenAiProvider.h"
#include "llm/Scheduler.h"
#include "llm/SimProvider.h"
#include "sandbox/Sandbox.h"
#include "tasks/TaskSource.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

// The tool calls the conversation in a request already holds, by name.
QStringList toolsUsed(const nlohmann::json& body)
{
    QStringList names;
    for (const auto& m : body["messages"]) {
        if (m.contains("tool_calls"))
            for (const auto& c : m["tool_calls"])
                names << QString::fromStdString(c["function"]["name"].get<std::string>());
    }
    return names;
}

QString question(const nlohmann::json& body)
{
    for (const auto& m : body["messages"]) {
        if (m["role"] == "user")
            return QString::fromStdString(m["content"].get<std::string>()).section(QLatin1Char('\n'), 0, 0).mid(QStringLiteral("Task: ").size());
    }
    return {};
}

// A jsonl task set: "what is N plus N?" → 2N, with a table.
QString makeTasks(const QString& dir, int n)
{
    QByteArray lines;
    for (int i = 0; i < n; ++i)
        lines += QStringLiteral("{\"id\": \"q%1\", \"prompt\": \"what is %1 plus %1?\", \"answer\": \"%2\", \"files\": [\"numbers.csv\"]}\n")
                     .arg(i)
                     .arg(2 * i)
                     .toUtf8();
    writeFile(dir, QStringLiteral("tasks.jsonl"), lines);
    writeFile(dir, QStringLiteral("numbers.csv"), "\"n\"\n\"1\"\n\"2\"\n");
    return dir + QStringLiteral("/tasks.jsonl");
}

SkillPackage skill()
{
    SkillFiles files;
    files.rootName = QStringLiteral("adder");
    files.files = {{QStringLiteral("SKILL.md"), "---\nname: adder\ndescription: Adds numbers.\n---\n# Steps\nAdd them.\n", false}};
    return SkillPackage::fromFiles(files);
}

struct Rig
{
    QTemporaryDir tmp;
    MockLlmServer server;
    std::unique_ptr<Provider> provider;
    Scheduler scheduler;
    std::unique_ptr<LlmClient> client;
    TaskSet tasks;

    explicit Rig(int taskCount, int concurrency = 8)
    {
        server.listen();
        ProviderSettings settings;
        settings.kind = QStringLiteral("openai");
        settings.baseUrl = server.openaiBaseUrl();
        settings.concurrency = concurrency;
        provider = std::make_unique<OpenAiProvider>(settings);
        SchedulerLimits limits;
        limits.concurrency = concurrency;
        scheduler.addProvider(QStringLiteral("p"), provider.get(), limits);
        client = std::make_unique<LlmClient>(scheduler);
        client->setDefaultLane(QStringLiteral("p"));
        auto loaded = TaskSource::load(QStringLiteral("jsonl"), makeTasks(tmp.filePath(QStringLiteral("tasks")), taskCount));
        if (!loaded)
            qFatal("%s", qPrintable(loaded.error().text()));
        tasks = std::move(loaded.value());
    }

    Evaluation::Setup setup(int turnLimit = 30)
    {
        Evaluation::Setup s;
        for (const Task& t : tasks.tasks)
            s.tasks.push_back(&t);
        s.tasksRoot = tasks.root;
        s.skill = skill();
        s.model = QStringLiteral("mock-model");
        s.client = client.get();
        s.turnLimit = turnLimit;
        s.scratchRoot = tmp.filePath(QStringLiteral("scratch"));
        s.sandbox.wallMs = 20000;
        return s;
    }

    void run(Evaluation& evaluation, int timeoutMs = 30000)
    {
        QSignalSpy done(&evaluation, &Evaluation::finished);
        evaluation.start();
        QVERIFY(done.wait(timeoutMs) || evaluation.isFinished());
    }
};

// An agent that does it right: activate, look at the table, submit 2N.
MockReply goodAgent(const MockRequest& request)
{
    const QStringList used = toolsUsed(request.json);
    if (!used.contains(QStringLiteral("activate_skill")))
        return MockReply::toolCall(QStringLiteral("activate_skill"), nlohmann::json::object());
    if (!used.contains(QStringLiteral("sql")))
        return MockReply::toolCall(QStringLiteral("sql"), {{"query", "SELECT COUNT(*) FROM t"}});
    const int n = question(request.json).section(QLatin1Char(' '), 2, 2).toInt();
    return MockReply::toolCall(QStringLiteral("submit_answer"), {{"values", {std::to_string(2 * n)}}});
}

} // namespace

class tst_Evaluation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aFullTrajectoryIsGradedRight()
    {
        Rig rig(1);
        rig.server.setHandler(goodAgent);
        Evaluation evaluation(rig.setup());
        std::vector<Trajectory> trajectories;
        connect(&evaluation, &Evaluation::taskFinished, this, [&](const Trajectory& t, const TaskResult&) { trajectories.push_back(t); });
        rig.run(evaluation);
        QCOMPARE(evaluation.passed(), 1);
        QCOMPARE(trajectories.size(), std::size_t(1));
        const Trajectory& t = trajectories.front();
        QCOMPARE(t.end, Trajectory::End::Submitted);
        QVERIFY(t.activated);
        QCOMPARE(t.answer, QStringList{QStringLiteral("0")});
        QVERIFY(t.outcome.passed);
        QCOMPARE(t.turns.size(), std::size_t(3));
        QCOMPARE(t.turns[1].tools.front().name, QStringLiteral("sql"));
        QVERIFY(t.turns[1].tools.front().result.contains(QStringLiteral("(1 rows)")));
        QCOMPARE(t.inputTokens(), 36); // three answers of 12 input tokens each
        // The saved form holds the conversation, tool results and the outcome.
        const nlohmann::json j = t.toJson();
        QCOMPARE(j["end"].get<std::string>(), std::string("submitted"));
        QCOMPARE(j["messages"].size(), std::size_t(8)); // system, user, 3 × (assistant, tool)
        QVERIFY(j["outcome"]["passed"].get<bool>());
        // The prompt named no host path.
        QVERIFY(!QString::fromStdString(j.dump()).contains(rig.tmp.path()));
        // The tools were offered to the model with JSON Schemas.
        const nlohmann::json tools = rig.server.requests().front().json["tools"];
        QCOMPARE(tools.size(), std::size_t(7));
        QCOMPARE(tools[6]["function"]["parameters"]["properties"]["values"]["type"].get<std::string>(), std::string("array"));
    }

    void theTurnLimitEndsATaskAsFailed()
    {
        Rig rig(1);
        rig.server.setDefault(MockReply::toolCall(QStringLiteral("sql"), {{"query", "SELECT 1"}}));
        Evaluation evaluation(rig.setup(4));
        rig.run(evaluation);
        const TaskResult& r = evaluation.results().front();
        QVERIFY(!r.passed);
        QCOMPARE(r.end, QStringLiteral("turn-limit"));
        QCOMPARE(r.turns, 4);
        QVERIFY(r.error.isEmpty()); // a failed outcome, not an error of the run
        QVERIFY(r.evidence.contains(QStringLiteral("4 turns")));
        QCOMPARE(rig.server.requestCount(), 4);
    }

    void malformedArgumentsAreShownToTheModel()
    {
        Rig rig(1);
        MockReply broken = MockReply::toolCall(QStringLiteral("sql"), nlohmann::json::object());
        broken.toolCalls[0].rawArguments = QStringLiteral("{\"query\": SELECT 1");
        rig.server.enqueue(broken);
        rig.server.enqueue(MockReply::toolCall(QStringLiteral("submit_answer"), {{"values", {"0"}}}));
        Evaluation evaluation(rig.setup());
        std::optional<Trajectory> trajectory;
        connect(&evaluation, &Evaluation::taskFinished, this, [&](const Trajectory& t, const TaskResult&) { trajectory = t; });
        rig.run(evaluation);
        QVERIFY(trajectory);
        QVERIFY(trajectory->outcome.passed);
        const auto& step = trajectory->turns.front().tools.front();
        QVERIFY(!step.ok);
        QVERIFY(step.result.contains(QStringLiteral("not valid JSON")));
        // The second request carried the error back to the model as a tool result.
        const nlohmann::json messages = rig.server.requests()[1].json["messages"];
        QCOMPARE(messages.back()["role"].get<std::string>(), std::string("tool"));
        QVERIFY(QString::fromStdString(messages.back()["content"].get<std::string>()).contains(QStringLiteral("not valid JSON")));
    }

    void proseAnswersGetOneReminder()
    {
        Rig rig(1);
        rig.server.setDefault(MockReply::completion(QStringLiteral("The answer is 0.")));
        Evaluation evaluation(rig.setup());
        rig.run(evaluation);
        QCOMPARE(evaluation.results().front().end, QStringLiteral("no-answer"));
        QCOMPARE(rig.server.requestCount(), 2);
    }

    void pythonRunsInTheSandbox()
    {
        if (!Sandbox::willSandbox(SandboxLimits{}))
            QSKIP("bubblewrap cannot build a sandbox here");
        Rig rig(1);
        rig.server.enqueue(MockReply::toolCall(QStringLiteral("python"), {{"code", "print(sum(int(x.strip('\"')) for x in open('/task/numbers.csv').read().split() if x.strip('\"').isdigit()))"}}));
        rig.server.enqueue(MockReply::toolCall(QStringLiteral("submit_answer"), {{"values", {"0"}}}));
        Evaluation evaluation(rig.setup());
        std::optional<Trajectory> trajectory;
        connect(&evaluation, &Evaluation::taskFinished, this, [&](const Trajectory& t, const TaskResult&) { trajectory = t; });
        rig.run(evaluation);
        QVERIFY(trajectory);
        const auto& step = trajectory->turns.front().tools.front();
        QCOMPARE(step.name, QStringLiteral("python"));
        QVERIFY2(step.ok && step.result.contains(QStringLiteral("stdout:\n3")), qPrintable(step.result));
    }

    void sixtyFourTasksInFlight()
    {
        Rig rig(64, 64);
        rig.server.setHandler([](const MockRequest& r) {
            MockReply reply = goodAgent(r);
            reply.latencyMs = 150;
            return reply;
        });
        Evaluation::Setup setup = rig.setup();
        setup.maxAgents = 64;
        Evaluation evaluation(setup);
        int finished = 0;
        connect(&evaluation, &Evaluation::taskFinished, this, [&](const Trajectory&, const TaskResult&) { ++finished; });
        rig.run(evaluation, 60000);
        QCOMPARE(finished, 64);
        QCOMPARE(evaluation.passed(), 64);
        QCOMPARE(rig.server.requestCount(), 3 * 64);
        QVERIFY2(rig.server.peakInFlight() >= 48, qPrintable(QString::number(rig.server.peakInFlight())));
        for (const TaskResult& r : evaluation.results())
            QVERIFY(r.passed);
    }

    void cancellingEndsEveryTask()
    {
        Rig rig(10);
        rig.server.setDefault(MockReply::completion(QStringLiteral("slow"), 20000));
        Evaluation evaluation(rig.setup());
        QSignalSpy done(&evaluation, &Evaluation::finished);
        evaluation.start();
        QTRY_VERIFY(rig.server.inFlight() > 0);
        evaluation.cancel();
        rig.scheduler.cancelAll();
        QVERIFY(done.wait(2000) || evaluation.isFinished());
        QCOMPARE(evaluation.done(), 10);
        for (const TaskResult& r : evaluation.results())
            QCOMPARE(r.end, QStringLiteral("cancelled"));
    }

    void simIsDeterministic()
    {
        QTemporaryDir tmp;
        auto loaded = TaskSource::load(QStringLiteral("wtq"), sourceDir() + QStringLiteral("/resources/examples/tasks/wtq-mini/tasks.jsonl"));
        QVERIFY(loaded);
        auto package = SkillPackage::load(sourceDir() + QStringLiteral("/resources/examples/table-qa"));
        QVERIFY(package);
        const auto runOnce = [&](int concurrency) {
            SimProvider sim(3);
            sim.setRole(QStringLiteral("executor"), std::make_shared<SimExecutor>());
            sim.setGold([&loaded](const QString& id) { return loaded->find(id)->answers; });
            Scheduler scheduler;
            SchedulerLimits limits;
            limits.concurrency = concurrency;
            scheduler.addProvider(QStringLiteral("sim"), &sim, limits);
            LlmClient client(scheduler);
            client.setDefaultLane(QStringLiteral("sim"));
            Evaluation::Setup s;
            for (const Task& t : loaded->tasks)
                s.tasks.push_back(&t);
            s.tasksRoot = loaded->root;
            s.skill = package.value();
            s.model = QStringLiteral("sim");
            s.client = &client;
            s.scratchRoot = tmp.filePath(QStringLiteral("scratch-%1").arg(concurrency));
            Evaluation evaluation(s);
            std::map<QString, std::string> trajectories;
            connect(&evaluation, &Evaluation::taskFinished, this, [&](const Trajectory& t, const TaskResult&) {
                nlohmann::json j = t.toJson();
                j.erase("wall_ms");
                j.erase("turns"); // timings
                trajectories[t.taskId] = j.dump();
            });
            QSignalSpy done(&evaluation, &Evaluation::finished);
            evaluation.start();
            done.wait(60000);
            return std::make_pair(evaluation.passed(), trajectories);
        };
        const auto a = runOnce(4);
        const auto b = runOnce(64);
        QCOMPARE(a.second.size(), std::size_t(100));
        QCOMPARE(a.first, b.first);
        QVERIFY(a.second == b.second); // concurrency changes nothing
        QVERIFY(a.first > 10 && a.first < 90);
    }
};

QTEST_GUILESS_MAIN(tst_Evaluation)
#include "tst_Evaluation.moc"
