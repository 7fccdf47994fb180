#include "AdderScript.h"
#include "MockLlmServer.h"
#include "TestSupport.h"

#include "optim/MomentumWriter.h"
#include "optim/Optimizer.h"
#include "run/EventLog.h"
#include "run/LlmSession.h"
#include "run/RunStore.h"
#include "workspace/Workspace.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace sg;
using namespace sg::test;

namespace {

QString git(const QString& dir, const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-C"), dir} + args);
    p.waitForFinished(30000);
    return QString::fromUtf8(p.readAllStandardOutput());
}

nlohmann::json readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return nullptr;
    return nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
}

struct Rig
{
    QTemporaryDir tmp;
    MockLlmServer server;
    std::optional<Workspace> ws;
    std::optional<TaskStore> tasks;
    std::unique_ptr<LlmSession> session;
    std::optional<RunStore> store;
    AdderScript script;

    Rig()
    {
        server.listen();
        writeFile(tmp.path(), QStringLiteral("in/tasks.jsonl"), adderTasks(12));
        Workspace::CreateOptions create;
        create.skillPath = makeSkill(tmp.filePath(QStringLiteral("in")), QStringLiteral("adder"),
                                     "---\nname: adder\ndescription: Adds numbers.\n---\n# Steps\nAdd them.\n");
        create.taskKind = QStringLiteral("jsonl");
        create.tasksPath = tmp.filePath(QStringLiteral("in/tasks.jsonl"));
        auto made = Workspace::create(tmp.filePath(QStringLiteral("ws")), create);
        if (!made)
            qFatal("%s", qPrintable(made.error().text()));
        ws.emplace(std::move(made.value()));
        auto loaded = ws->tasks();
        tasks.emplace(std::move(loaded.value()));
        script.valIds = tasks->splits().val;
        LlmSession::Options options;
        for (const QString& role : {QStringLiteral("executor"), QStringLiteral("failure-diagnoser"), QStringLiteral("contrastive-diagnoser"),
                                    QStringLiteral("momentum"), QStringLiteral("patcher")}) {
            ProviderFactory::Options p;
            p.kind = QStringLiteral("openai");
            p.baseUrl = server.openaiBaseUrl();
            options.roles[role] = {p, QStringLiteral("mock-") + role, 1};
        }
        session = std::move(LlmSession::create(options).value());
        store.emplace(std::move(RunStore::create(ws->runsDir(), QStringLiteral("optimize"), nlohmann::json::object()).value()));
    }

    RunSummary run(OptimizerOptions options = {}, Reviewer reviewer = {})
    {
        server.setHandler(script);
        options.evaluateTest = false;
        Optimizer optimizer(*ws, *session, *store, *tasks, options);
        optimizer.setReviewer(reviewer);
        QSignalSpy done(&optimizer, &Optimizer::finished);
        optimizer.start();
        done.wait(60000);
        return optimizer.summary();
    }

    QString iter(int n, const QString& file) const { return store->path(QStringLiteral("iter-%1/%2").arg(n, 4, 10, QLatin1Char('0')).arg(file)); }
    QString head() const { return ws->repo().version(QStringLiteral("main"))->sha; }
};

} // namespace

class tst_Optimizer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchesAreSeededAndCoverTheSet()
    {
        const QStringList training{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d"), QStringLiteral("e")};
        const auto one = Optimizer::batches(training, 2, 2, 7);
        QCOMPARE(one.size(), std::size_t(6)); // 3 per epoch
        QVERIFY(one == Optimizer::batches(training, 2, 2, 7));
        QVERIFY(one != Optimizer::batches(training, 2, 2, 8));
        QStringList firstEpoch;
        for (int i = 0; i < 3; ++i)
            for (const QString& id : one[std::size_t(i)])
                firstEpoch << id;
        firstEpoch.sort();
        QCOMPARE(firstEpoch, training);
    }

    void momentumMergeKeepsHistory()
    {
        PatternRecord previous;
        Pattern p;
        p.id = QStringLiteral("p-a");
        p.summary = QStringLiteral("A");
        p.appearedIn = {1, 2};
        p.remedyLog = {{1, QStringLiteral("d"), QStringLiteral("patch 1")}};
        previous.patterns = {p, Pattern{QStringLiteral("p-b"), QStringLiteral("operation"), QStringLiteral("B"), {}, {1}, {}, {}, {}}};
        PatternRecord proposed;
        Pattern q = p;
        q.appearedIn = {3, 9}; // 9 lies in the future: dropped
        q.remedyLog = {{2, QStringLiteral("d"), QStringLiteral("patch 2")}};
        proposed.patterns = {q};
        const PatternRecord merged = MomentumWriter::merge(previous, proposed, 3);
        QCOMPARE(merged.patterns.size(), std::size_t(2)); // p-b was left out by the model: kept
        QCOMPARE(merged.find(QStringLiteral("p-a"))->appearedIn, (std::vector<int>{1, 2, 3}));
        QCOMPARE(merged.find(QStringLiteral("p-a"))->remedyLog.size(), std::size_t(2));
        QVERIFY(merged.find(QStringLiteral("p-a"))->needsEscalation());
        QVERIFY(!merged.find(QStringLiteral("p-b"))->needsEscalation());
    }

    void aFullIterationLeavesEveryArtifactAndCommit()
    {
        Rig rig;
        const QString seed = rig.head();
        OptimizerOptions options;
        options.batch = 4;
        const RunSummary summary = rig.run(options);
        QCOMPARE(summary.status, QStringLiteral("completed"));
        QCOMPARE(summary.trainingTasks, 8);
        QCOMPARE(summary.initialVal, 0.0);
        QCOMPARE(summary.finalVal, 1.0);
        QVERIFY(summary.iterations.size() >= 2);
        const IterationSummary& first = summary.iterations.front();
        QCOMPARE(first.decision, QStringLiteral("accepted"));
        QCOMPARE(first.passed, 0);
        for (const char* file : {"batch.json", "outcomes.json", "diagnoses.json", "pattern_record.json", "overlay.json", "proposal.json",
                                 "proposal.diff", "decision.json"})
            QVERIFY2(QFile::exists(rig.iter(1, QString::fromLatin1(file))), file);
        QVERIFY(QFile::exists(rig.iter(0, QStringLiteral("outcomes.json"))));
        QCOMPARE(readJson(rig.iter(1, QStringLiteral("diagnoses.json")))["diagnoses"].size(), std::size_t(4));
        QCOMPARE(readJson(rig.iter(1, QStringLiteral("overlay.json")))["themes"].size(), std::size_t(3)); // at most 3
        QVERIFY(QFile(rig.iter(1, QStringLiteral("proposal.diff"))).size() > 0);

        // Git: the proposal ref, then an accepted main commit with the decision trailers.
        const QString skill = rig.ws->skillDir();
        const QString ref = QStringLiteral("refs/skillgrad/proposals/%1/0001").arg(rig.store->id());
        QVERIFY(!git(skill, {QStringLiteral("show-ref"), ref}).isEmpty());
        const QString message = git(skill, {QStringLiteral("log"), QStringLiteral("-1"), QStringLiteral("--format=%B"), first.commit});
        QVERIFY2(message.startsWith(QStringLiteral("Iteration 1: Add a careful-addition rule")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("SkillGrad-Decision: accepted")));
        QVERIFY(message.contains(QStringLiteral("SkillGrad-Val-Score: 1.000")));
        QVERIFY(message.contains(QStringLiteral("SkillGrad-Proposal: ") + first.proposal));
        QVERIFY(rig.head() != seed);
        QVERIFY(rig.ws->loadSkill()->body().contains(QStringLiteral("ADD CAREFULLY")));

        // Events: one per step, numbered, readable.
        QStringList types;
        for (const auto& e : EventLog::read(rig.store->path(QStringLiteral("events.jsonl"))))
            types << QString::fromStdString(e["type"].get<std::string>());
        for (const char* type : {"run_started", "selection_finished", "eval_finished", "iteration_started", "task_finished", "diagnosis",
                                 "proposal_ready", "momentum_updated", "decision", "commit", "scores", "usage", "run_finished"})
            QVERIFY2(types.contains(QString::fromLatin1(type)), type);

        // Iteration 2: the tasks that failed in the selection pass now pass: contrastive signals.
        const auto second = readJson(rig.iter(2, QStringLiteral("diagnoses.json")))["diagnoses"];
        QVERIFY(!second.empty());
        for (const auto& d : second)
            QCOMPARE(d["kind"].get<std::string>(), std::string("contrastive"));
        QCOMPARE(summary.iterations[1].passed, 4);
    }

    void aCapViolationGetsOneRepairThenIsRejected()
    {
        Rig rig;
        // Copies four words of every batch question: task-specific (DESIGN.md 4.6).
        rig.script.patchLine = QStringLiteral("ADD CAREFULLY. Please add these two numbers.");
        const QString seed = rig.head();
        OptimizerOptions options;
        options.maxIterations = 1;
        const RunSummary summary = rig.run(options);
        QCOMPARE(summary.iterations.front().decision, QStringLiteral("rejected"));
        const auto decision = readJson(rig.iter(1, QStringLiteral("decision.json")));
        QCOMPARE(decision["by"].get<std::string>(), std::string("caps"));
        QVERIFY(QString::fromStdString(decision["reason"].get<std::string>()).contains(QStringLiteral("task-specific")));
        // The repair request reached the patcher, with the violation.
        bool repairSeen = false;
        for (const MockRequest& r : rig.server.requests())
            repairSeen = repairSeen || QString::fromStdString(r.json.dump()).contains(QStringLiteral("break these rules"));
        QVERIFY(repairSeen);
        QCOMPARE(rig.head(), seed);                               // main untouched
        QVERIFY(!readJson(rig.iter(1, QStringLiteral("proposal.json")))["caps"]["ok"].get<bool>());
        QVERIFY(git(rig.ws->skillDir(), {QStringLiteral("show-ref")}).contains(QStringLiteral("proposals"))); // kept for review
    }

    void theValidateGateRejectsAWorsePatch()
    {
        Rig rig;
        rig.script.patchLine = QStringLiteral("BAD ADVICE: ADD CAREFULLY but guess.");
        const QString seed = rig.head();
        OptimizerOptions options;
        options.gate = QStringLiteral("validate");
        options.maxIterations = 1;
        // The seed passes val here; the patch would break it.
        rig.script.valPassesWithoutCare = true;
        const RunSummary summary = rig.run(options);
        QCOMPARE(summary.iterations.front().decision, QStringLiteral("rejected"));
        const auto decision = readJson(rig.iter(1, QStringLiteral("decision.json")));
        QCOMPARE(decision["by"].get<std::string>(), std::string("gate"));
        QCOMPARE(rig.head(), seed);
    }

    void reviewAcceptsRejectsAndEdits_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::newRow("accept") << "accept";
        QTest::newRow("reject") << "reject";
        QTest::newRow("edit") << "edit";
        QTest::newRow("edit over the caps, then accept") << "edit-bad";
    }

    void reviewAcceptsRejectsAndEdits()
    {
        QFETCH(QString, answer);
        Rig rig;
        const QString seed = rig.head();
        OptimizerOptions options;
        options.gate = QStringLiteral("review");
        options.maxIterations = 1;
        std::vector<ReviewRequest> asked;
        // The reviewer answers later, from the event loop, as a person would.
        const Reviewer reviewer = [&asked, answer](const ReviewRequest& request, std::function<void(Decision)> decide) {
            asked.push_back(request);
            Decision d;
            if (answer == QLatin1String("accept") || (answer == QLatin1String("edit-bad") && asked.size() == 2)) {
                d.kind = Decision::Kind::Accept;
            } else if (answer == QLatin1String("reject")) {
                d.kind = Decision::Kind::Reject;
                d.note = QStringLiteral("not yet");
            } else {
                d.kind = Decision::Kind::Edit;
                const QString extra = answer == QLatin1String("edit") ? QStringLiteral("Write the sum as digits.\n")
                                                                      : QStringLiteral("The answer to q0 is 0, and what is 1 plus 1? Please add these two numbers.\n");
                for (const TreeFile& f : request.candidate)
                    if (f.path == QLatin1String("SKILL.md"))
                        d.files[f.path] = f.data + extra.toUtf8();
            }
            QTimer::singleShot(10, [decide, d] { decide(d); });
        };
        const RunSummary summary = rig.run(options, reviewer);
        QVERIFY(!asked.empty());
        QCOMPARE(asked.front().changedFiles, QStringList{QStringLiteral("SKILL.md")});
        QVERIFY(asked.front().diff.contains(QStringLiteral("+ADD CAREFULLY")));
        QVERIFY(asked.front().valAfter.has_value()); // scored on val before the person decides
        const auto decision = readJson(rig.iter(1, QStringLiteral("decision.json")));
        QCOMPARE(decision["by"].get<std::string>(), std::string("user"));
        const QString body = QString::fromUtf8(rig.ws->loadSkill()->files().front().data);
        if (answer == QLatin1String("reject")) {
            QCOMPARE(summary.iterations.front().decision, QStringLiteral("rejected"));
            QCOMPARE(rig.head(), seed);
            QVERIFY(QString::fromStdString(decision["reason"].get<std::string>()).contains(QStringLiteral("not yet")));
            return;
        }
        QVERIFY(rig.head() != seed);
        const QString message = git(rig.ws->skillDir(), {QStringLiteral("log"), QStringLiteral("-1"), QStringLiteral("--format=%B")});
        if (answer == QLatin1String("accept")) {
            QCOMPARE(summary.iterations.front().decision, QStringLiteral("accepted"));
            QVERIFY(message.contains(QStringLiteral("SkillGrad-Decision: accepted")));
            QVERIFY(!body.contains(QStringLiteral("digits")));
            return;
        }
        QCOMPARE(summary.iterations.front().decision, QStringLiteral("edited"));
        QVERIFY2(message.contains(QStringLiteral("SkillGrad-Decision: edited")), qPrintable(message));
        QVERIFY(!message.contains(QStringLiteral("SkillGrad-Val-Score"))); // an edit is not scored
        QCOMPARE(decision["kind"].get<std::string>(), std::string("edited"));
        if (answer == QLatin1String("edit")) {
            QCOMPARE(asked.size(), std::size_t(1));
            QVERIFY(body.contains(QStringLiteral("Write the sum as digits.")));
        } else {
            // The edit broke a cap: the person saw the violation before it was committed.
            QCOMPARE(asked.size(), std::size_t(2));
            QVERIFY(asked[1].edited);
            QVERIFY(!asked[1].caps.ok());
            QVERIFY(asked[1].caps.text().contains(QStringLiteral("task-specific")));
            QVERIFY(body.contains(QStringLiteral("Please add these two numbers")));
        }
    }

    void reviewWithoutAReviewerFailsCleanly()
    {
        Rig rig;
        const QString seed = rig.head();
        OptimizerOptions options;
        options.gate = QStringLiteral("review");
        options.maxIterations = 1;
        const RunSummary summary = rig.run(options);
        QCOMPARE(summary.iterations.front().decision, QStringLiteral("failed"));
        QCOMPARE(rig.head(), seed);
    }

    void garbageFromARoleLeavesTheSkillUntouched_data()
    {
        QTest::addColumn<QString>("role");
        QTest::newRow("failure diagnoser") << "diagnoser";
        QTest::newRow("momentum writer") << "momentum";
        QTest::newRow("patcher") << "patcher";
    }

    void garbageFromARoleLeavesTheSkillUntouched()
    {
        QFETCH(QString, role);
        Rig rig;
        rig.script.garbageDiagnoser = role == QLatin1String("diagnoser");
        rig.script.garbageMomentum = role == QLatin1String("momentum");
        rig.script.garbagePatcher = role == QLatin1String("patcher");
        const QString seed = rig.head();
        OptimizerOptions options;
        options.maxIterations = 2;
        const RunSummary summary = rig.run(options);
        QCOMPARE(summary.status, QStringLiteral("completed")); // the run itself ended cleanly
        QCOMPARE(summary.iterations.size(), std::size_t(2));
        for (const IterationSummary& s : summary.iterations) {
            QCOMPARE(s.decision, QStringLiteral("failed"));
            QVERIFY2(s.reason.contains(QStringLiteral("could not be read")) || s.reason.contains(QStringLiteral("stopped without")), qPrintable(s.reason));
        }
        QCOMPARE(rig.head(), seed);
        QCOMPARE(readJson(rig.iter(1, QStringLiteral("decision.json")))["kind"].get<std::string>(), std::string("failed"));
        QCOMPARE(git(rig.ws->skillDir(), {QStringLiteral("status"), QStringLiteral("--porcelain")}), QString());
        // The failing role got one repair request (a patcher that stops talking, one nudge).
        int repairs = 0;
        for (const MockRequest& r : rig.server.requests()) {
            const QString last = QString::fromStdString(r.json["messages"].back().dump());
            repairs += last.contains(QStringLiteral("could not be read")) || last.contains(QStringLiteral("call finish when you are done"));
        }
        QVERIFY(repairs >= 1);
    }

    void aDeadEndpointFailsTheRun()
    {
        Rig rig;
        rig.server.closeAllConnections();
        rig.server.setHandler([](const MockRequest&) { return MockReply::fault(MockReply::Kind::Reset); });
        OptimizerOptions options;
        options.evaluateTest = false;
        Optimizer optimizer(*rig.ws, *rig.session, *rig.store, *rig.tasks, options);
        QSignalSpy done(&optimizer, &Optimizer::finished);
        optimizer.start();
        QVERIFY(done.wait(60000));
        QCOMPARE(optimizer.summary().status, QStringLiteral("failed"));
        QVERIFY(!optimizer.summary().error.isEmpty());
        QCOMPARE(readJson(rig.store->path(QStringLiteral("run.json")))["status"].get<std::string>(), std::string("failed"));
    }
};

QTEST_GUILESS_MAIN(tst_Optimizer)
#include "tst_Optimizer.moc"
