#include "TestSupport.h"

#include "agent/Evaluation.h"
#include "agent/PromptLibrary.h"
#include "agent/SimExecutor.h"
#include "llm/LlmClient.h"
#include "llm/Scheduler.h"
#include "llm/SimProvider.h"
#include "optim/CapChecker.h"
#include "optim/Diagnoser.h"
#include "optim/Diagnosis.h"
#include "optim/PatchTools.h"
#include "optim/PatternRecord.h"
#include "optim/SimGuidance.h"
#include "optim/SimOptimizerRoles.h"
#include "optim/StructuredAnswer.h"
#include "optim/TaskLeakFinder.h"
#include "skill/SkillValidator.h"
#include "tasks/TaskSource.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

// The sim with every role, behind the real scheduler and client.
struct Sim
{
    SimProvider provider{1};
    Scheduler scheduler;
    LlmClient client{scheduler};

    explicit Sim(const TaskSet* tasks = nullptr)
    {
        provider.setRole(QStringLiteral("executor"), std::make_shared<SimExecutor>());
        SimOptimizerRoles::registerAll(provider);
        if (tasks)
            provider.setGold([tasks](const QString& id) { return tasks->find(id)->answers; });
        SchedulerLimits limits;
        limits.concurrency = 32;
        scheduler.addProvider(QStringLiteral("sim"), &provider, limits);
        client.setDefaultLane(QStringLiteral("sim"));
    }

    Result<LlmResponse> send(const LlmRequest& request)
    {
        std::optional<Result<LlmResponse>> out;
        client.send(request, [&out](Result<LlmResponse> r) { out = std::move(r); });
        if (!QTest::qWaitFor([&out] { return out.has_value(); }, 10000))
            return Error{QStringLiteral("no answer"), {}, {}, QStringLiteral("test")};
        return std::move(*out);
    }
};

QString render(const QString& name, const QMap<QString, QString>& values = {})
{
    auto text = PromptLibrary().render(name, values);
    if (!text)
        qFatal("cannot render %s: %s", qPrintable(name), qPrintable(text.error().text()));
    return text.value();
}

LlmRequest request(const QString& role, const QString& system, const QString& user, int iteration, const QString& taskId = {})
{
    LlmRequest r;
    r.role = role;
    r.model = QStringLiteral("sim");
    r.messages = {LlmMessage::system(system), LlmMessage::user(user)};
    r.context = {taskId, role, iteration};
    return r;
}

// As Diagnoser::diagnose renders them.
LlmRequest failureRequest(const Task& task, const Trajectory& t, int iteration = 1)
{
    return request(QStringLiteral("failure-diagnoser"), render(QStringLiteral("failure-diagnoser-system.md")),
                   render(QStringLiteral("failure-diagnoser-task.md"), {{QStringLiteral("task"), Diagnoser::renderTask(task)},
                                                                        {QStringLiteral("evidence"), t.outcome.evidence},
                                                                        {QStringLiteral("trajectory"), Diagnoser::renderTrajectory(t)}}),
                   iteration, task.id);
}

LlmRequest contrastiveRequest(const Task& task, const Trajectory& failed, const Trajectory& passed, int iteration = 2)
{
    return request(QStringLiteral("contrastive-diagnoser"), render(QStringLiteral("contrastive-diagnoser-system.md")),
                   render(QStringLiteral("contrastive-diagnoser-task.md"),
                          {{QStringLiteral("task"), Diagnoser::renderTask(task)},
                           {QStringLiteral("failed_evidence"), failed.outcome.evidence},
                           {QStringLiteral("failed_trajectory"), Diagnoser::renderTrajectory(failed)},
                           {QStringLiteral("passed_trajectory"), Diagnoser::renderTrajectory(passed)}}),
                   iteration, task.id);
}

// As MomentumWriter::update renders it.
LlmRequest momentumRequest(const PatternRecord& record, const std::vector<Diagnosis>& diagnoses, int iteration, const nlohmann::json& patch = {})
{
    const QString note = patch.is_object() && patch.contains("patch")
                             ? QStringLiteral("The patch of iteration %1 (record it in the remedy log of the patterns it addressed):\n```json\n%2\n```")
                                   .arg(patch["patch"].value("iteration", 0))
                                   .arg(QString::fromStdString(patch.dump(2)))
                             : QStringLiteral("No patch has been applied since the last update.");
    return request(QStringLiteral("momentum"), render(QStringLiteral("momentum-system.md")),
                   render(QStringLiteral("momentum-task.md"), {{QStringLiteral("iteration"), QString::number(iteration)},
                                                               {QStringLiteral("pattern_record"), QString::fromStdString(record.toJson().dump(2))},
                                                               {QStringLiteral("diagnoses"), QString::fromStdString(Diagnosis::listJson(diagnoses).dump(2))},
                                                               {QStringLiteral("patch_note"), note}}),
                   iteration);
}

nlohmann::json patchNote(int iteration, const QString& rationale, const QStringList& ids)
{
    nlohmann::json list = nlohmann::json::array();
    for (const QString& id : ids)
        list.push_back(id.toStdString());
    return {{"patch", {{"iteration", iteration}, {"rationale", rationale.toStdString()}, {"patterns_addressed", list}, {"accepted", true}}}};
}

Diagnosis diag(const QString& task, const QString& kind, const QString& label, int iteration)
{
    return {task, kind, label, QStringLiteral("prose about %1").arg(label.toLower()), iteration};
}

nlohmann::json structured(const Result<LlmResponse>& reply)
{
    if (!reply)
        return nlohmann::json();
    auto j = StructuredAnswer::extract(reply->content);
    return j ? j.value() : nlohmann::json();
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// SKILL.md up to and including its closing "---" line.
QByteArray frontMatterOf(const QByteArray& skillMd)
{
    const qsizetype close = skillMd.indexOf("\n---", 3);
    return close < 0 ? QByteArray() : skillMd.left(skillMd.indexOf('\n', close + 1) + 1);
}

QString bodyOf(const QString& dir)
{
    auto package = SkillPackage::load(dir);
    return package ? package->body() : QString();
}

// The executor over `tasks` with the skill in `dir`: every trajectory, by task id.
std::map<QString, Trajectory> runExecutor(const TaskSet& tasks, const QString& dir)
{
    Sim sim(&tasks);
    auto skill = SkillPackage::load(dir);
    if (!skill)
        return {};
    QTemporaryDir scratch;
    Evaluation::Setup s;
    for (const Task& t : tasks.tasks)
        s.tasks.push_back(&t);
    s.tasksRoot = tasks.root;
    s.skill = skill.value();
    s.model = QStringLiteral("sim");
    s.client = &sim.client;
    s.scratchRoot = scratch.path();
    Evaluation evaluation(s);
    std::map<QString, Trajectory> out;
    QObject::connect(&evaluation, &Evaluation::taskFinished, [&out](const Trajectory& t, const TaskResult&) { out[t.taskId] = t; });
    QSignalSpy done(&evaluation, &Evaluation::finished);
    evaluation.start();
    done.wait(60000);
    return out;
}

// The patcher's tool loop, driven as Patcher does it, against real PatchTools on `dir`.
struct PatchRun
{
    QString summary;
    int turns = 0;
    int edits = 0;
    std::vector<LlmMessage> messages;
    QString error;
};

PatchRun runPatcher(Sim& sim, const QString& dir, const nlohmann::json& work, int iteration)
{
    PatchRun run;
    PatchTools tools(dir);
    run.messages = {LlmMessage::system(render(QStringLiteral("patcher-system.md"), {{QStringLiteral("description_words"), QStringLiteral("50")},
                                                                                     {QStringLiteral("changed_lines"), QStringLiteral("40")}})),
                    LlmMessage::user(render(QStringLiteral("patcher-task.md"), {{QStringLiteral("iteration"), QString::number(iteration)},
                                                                                 {QStringLiteral("skill_name"), QStringLiteral("table-qa")},
                                                                                 {QStringLiteral("work"), QString::fromStdString(work.dump(2))}}))};
    while (!tools.finished() && run.turns < 10) {
        ++run.turns;
        LlmRequest r;
        r.role = QStringLiteral("patcher");
        r.model = QStringLiteral("sim");
        r.messages = run.messages;
        r.tools = PatchTools::definitions();
        r.context = {QString(), QStringLiteral("patcher"), iteration};
        auto reply = sim.send(r);
        if (!reply) {
            run.error = reply.error().text();
            return run;
        }
        run.messages.push_back(LlmMessage::assistant(reply->content, reply->toolCalls));
        if (reply->toolCalls.empty()) {
            run.error = QStringLiteral("a turn without tool calls");
            return run;
        }
        for (const ToolCall& call : reply->toolCalls) {
            const ToolOutput out = tools.run(call);
            run.messages.push_back(LlmMessage::toolResult(call, out.text, !out.ok));
        }
    }
    run.summary = tools.summary();
    run.edits = tools.edits();
    if (!tools.finished())
        run.error = QStringLiteral("no finish after %1 turns").arg(run.turns);
    return run;
}

QStringList addressed(const QString& summary)
{
    QStringList ids;
    auto j = StructuredAnswer::extract(summary);
    if (j && j->contains("patterns_addressed"))
        for (const auto& id : j->at("patterns_addressed"))
            ids << QString::fromStdString(id.get<std::string>());
    return ids;
}

const SimExecutor::Category& category(const QString& name)
{
    return *SimGuidance::byName(name);
}

bool hasProblem(const SkillProblems& problems, const QString& rule)
{
    return std::any_of(problems.begin(), problems.end(), [&rule](const SkillProblem& p) { return p.rule == rule; });
}

} // namespace

class tst_SimOptimizerRoles : public QObject
{
    Q_OBJECT
private:
    TaskSet m_tasks;
    std::vector<const Task*> m_all;

private Q_SLOTS:
    void initTestCase()
    {
        auto loaded = TaskSource::load(QStringLiteral("wtq"), sourceDir() + QStringLiteral("/resources/examples/tasks/wtq-mini/tasks.jsonl"));
        QVERIFY(loaded);
        m_tasks = std::move(loaded.value());
        for (const Task& t : m_tasks.tasks)
            m_all.push_back(&t);
    }

    void installsEveryOptimizerRole()
    {
        QStringList seen;
        SimOptimizerRoles::install([&seen](const QString& role, std::shared_ptr<SimRole> player) {
            QVERIFY(player);
            seen << role;
        });
        QCOMPARE(seen, SimOptimizerRoles::roles());
        QCOMPARE(seen, (QStringList{QStringLiteral("failure-diagnoser"), QStringLiteral("contrastive-diagnoser"), QStringLiteral("momentum"),
                                    QStringLiteral("patcher")}));
    }

    void cannedGuidanceIsGeneral()
    {
        // No gold answer, task id or 4 words of any bundled question; 3–8 bullets each.
        const TaskLeakFinder leaks(m_all);
        const QString docs = QString::fromUtf8(readAll(sourceDir() + QStringLiteral("/docs/sim.md")));
        for (const auto& c : SimExecutor::categories()) {
            const QStringList lines = SimGuidance::guidance(c);
            // docs/sim.md quotes the guidance verbatim.
            QVERIFY2(docs.contains(QLatin1Char('`') + SimGuidance::heading(c) + QStringLiteral("`\n") + lines.join(QLatin1Char('\n')) + QLatin1Char('\n')),
                     qPrintable(c.name));
            QVERIFY(docs.contains(SimGuidance::summary(c)));
            QVERIFY(lines.size() >= 3 && lines.size() <= 8);
            for (const QString& line : lines + QStringList{SimGuidance::heading(c), SimGuidance::pointerLine(c), SimGuidance::summary(c)}) {
                QVERIFY2(leaks.find(line).empty(), qPrintable(line));
                QVERIFY2(!line.contains(QRegularExpression(QStringLiteral("\\d"))), qPrintable(line));
            }
            QVERIFY(SimExecutor::guidedInBody(c, SimGuidance::heading(c)));
            QCOMPARE(SimExecutor::pointerFor(c, SimGuidance::pointerLine(c)), SimGuidance::referencePath(c));
            QCOMPARE(SimGuidance::named(SimGuidance::summary(c)), &c);
            QCOMPARE(SimGuidance::named(SimGuidance::patternId(c)), &c);
            // Another category's heading or pointer never counts as this one's guidance.
            for (const auto& other : SimExecutor::categories()) {
                if (&other != &c) {
                    QVERIFY2(!SimGuidance::guided(other, SimGuidance::heading(c) + QLatin1Char('\n') + SimGuidance::pointerLine(c)),
                             qPrintable(other.name + QStringLiteral(" in ") + c.name));
                }
            }
        }
    }

    void failureDiagnosesNameTheCategory()
    {
        const auto seed = runExecutor(m_tasks, sourceDir() + QStringLiteral("/resources/examples/table-qa"));
        QCOMPARE(seed.size(), std::size_t(100));
        Sim sim(&m_tasks);
        const TaskLeakFinder leaks(m_all);
        int failures = 0;
        for (const Task& task : m_tasks.tasks) {
            const Trajectory& t = seed.at(task.id);
            if (t.outcome.passed)
                continue;
            ++failures;
            const auto reply = sim.send(failureRequest(task, t));
            QVERIFY(reply);
            QVERIFY2(reply->content.trimmed().endsWith(QStringLiteral("```")), qPrintable(reply->content));
            const nlohmann::json j = structured(reply);
            QCOMPARE(QString::fromStdString(j.value("kind", std::string())), QStringLiteral("failure"));
            const QString label = QString::fromStdString(j.value("label", std::string()));
            const QString prose = QString::fromStdString(j.value("prose", std::string()));
            const auto& c = SimExecutor::categorize(task.prompt);
            // The seed skill guides nothing: every failure lacks guidance.
            QCOMPARE(label, SimGuidance::title(c) + QStringLiteral(" questions lack guidance"));
            const int words = int(label.split(QLatin1Char(' ')).size());
            QVERIFY(words >= 3 && words <= 6);
            QVERIFY(prose.contains(c.name));
            // Never a word of the question in the label; nothing task-specific anywhere.
            for (const QString& w : TaskLeakFinder::words(label))
                QVERIFY2(!TaskLeakFinder::words(task.prompt).contains(w), qPrintable(task.id + QStringLiteral(": ") + w));
            QVERIFY2(leaks.find(label).empty() && leaks.find(prose).empty(), qPrintable(task.id + QStringLiteral(": ") + prose));
        }
        QVERIFY(failures >= 30);
    }

    void contrastiveDiagnosesSayTheGuidanceWasFollowed()
    {
        QTemporaryDir tmp;
        const QString seedDir = sourceDir() + QStringLiteral("/resources/examples/table-qa");
        // Guidance for everything, superlatives through a reference the agent must read.
        const QString guided = tmp.filePath(QStringLiteral("guided"));
        writeFile(guided, QStringLiteral("SKILL.md"),
                  readAll(seedDir + QStringLiteral("/SKILL.md")) +
                      "\n## Counting questions\n- Count.\n## Comparison questions\n- Compare.\n## Aggregation questions\n- Sum.\n"
                      "## Lookup questions\n- Find the row.\n- Read references/superlative.md when answering superlative questions.\n");
        writeFile(guided, QStringLiteral("references/superlative.md"), "# Superlative questions\n- Sort.\n");
        writeFile(guided, QStringLiteral("references/reading-tables.md"), readAll(seedDir + QStringLiteral("/references/reading-tables.md")));
        const auto before = runExecutor(m_tasks, seedDir);
        const auto after = runExecutor(m_tasks, guided);
        Sim sim(&m_tasks);
        int compared = 0;
        bool sawReference = false;
        for (const Task& task : m_tasks.tasks) {
            if (before.at(task.id).outcome.passed || !after.at(task.id).outcome.passed)
                continue;
            ++compared;
            const auto reply = sim.send(contrastiveRequest(task, before.at(task.id), after.at(task.id)));
            const nlohmann::json j = structured(reply);
            const auto& c = SimExecutor::categorize(task.prompt);
            QCOMPARE(QString::fromStdString(j.value("kind", std::string())), QStringLiteral("contrastive"));
            QCOMPARE(QString::fromStdString(j.value("label", std::string())), SimGuidance::title(c) + QStringLiteral(" guidance was followed"));
            const QString prose = QString::fromStdString(j.value("prose", std::string()));
            QVERIFY(prose.contains(QStringLiteral("robust")));
            if (c.name == QLatin1String("superlative")) {
                QVERIFY2(prose.contains(QStringLiteral("reference notes")), qPrintable(prose));
                sawReference = true;
            }
        }
        QVERIFY(compared >= 10);
        QVERIFY(sawReference);
    }

    void aFailureWithGuidanceSaysSo()
    {
        // A guided task that still fails (its draw is above the guided rate): "despite guidance".
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("skill"));
        writeFile(dir, QStringLiteral("SKILL.md"),
                  "---\nname: skill\ndescription: Tables.\n---\n# Steps\n- Read references/counting.md when answering counting questions.\n");
        writeFile(dir, QStringLiteral("references/counting.md"), "# Counting questions\n- Count.\n");
        const auto runs = runExecutor(m_tasks, dir);
        Sim sim(&m_tasks);
        int checked = 0;
        for (const Task& task : m_tasks.tasks) {
            const Trajectory& t = runs.at(task.id);
            if (t.outcome.passed || SimExecutor::categorize(task.prompt).name != QLatin1String("counting"))
                continue;
            QVERIFY(t.referencesRead.contains(QStringLiteral("references/counting.md")));
            const nlohmann::json j = structured(sim.send(failureRequest(task, t)));
            QCOMPARE(QString::fromStdString(j.value("label", std::string())), QStringLiteral("Counting answer wrong despite guidance"));
            ++checked;
        }
        QVERIFY(checked >= 1);
    }

    void momentumMergesByCategoryAcrossIterations()
    {
        Sim sim;
        const QString counting = QStringLiteral("Counting questions lack guidance");
        const QString superlative = QStringLiteral("Superlative questions lack guidance");
        const QString lookup = QStringLiteral("Lookup questions lack guidance");

        // Iteration 1 (bootstrap): the momentum writer runs after the patch.
        const std::vector<Diagnosis> d1 = {diag(QStringLiteral("nt-1"), QStringLiteral("failure"), counting, 1),
                                           diag(QStringLiteral("nt-2"), QStringLiteral("failure"), counting, 1),
                                           diag(QStringLiteral("nt-3"), QStringLiteral("failure"), superlative, 1)};
        const nlohmann::json patch1 = patchNote(1, QStringLiteral("Added a counting section."), {QStringLiteral("p-counting")});
        const auto reply1 = sim.send(momentumRequest({}, d1, 1, patch1));
        QVERIFY(reply1);
        QVERIFY(reply1->content.trimmed().endsWith(QStringLiteral("```")));
        const nlohmann::json j1 = structured(reply1);
        QVERIFY(j1.contains("patterns") && j1.contains("overlay") && j1.contains("themes"));
        const PatternRecord r1 = PatternRecord::fromJson(j1);
        QCOMPARE(r1.patterns.size(), std::size_t(2));
        QCOMPARE(r1.patterns[0].id, QStringLiteral("p-counting"));
        QCOMPARE(r1.patterns[1].id, QStringLiteral("p-superlative"));
        const Pattern& c1 = r1.patterns[0];
        QCOMPARE(c1.kind, QStringLiteral("operation"));
        QCOMPARE(c1.summary, QStringLiteral("Counting questions answered without a counting method"));
        QCOMPARE(c1.anchor, QStringLiteral("counting-questions"));
        QCOMPARE(c1.appearedIn, (std::vector<int>{1}));
        QVERIFY2(c1.description.contains(QStringLiteral("2 failures")), qPrintable(c1.description));
        QCOMPARE(c1.remedyLog.size(), std::size_t(1));
        QCOMPARE(c1.remedyLog[0].iteration, 1);
        QCOMPARE(c1.remedyLog[0].diagnosis, c1.summary);
        QCOMPARE(c1.remedyLog[0].patch, QStringLiteral("Added a counting section."));
        QVERIFY(r1.patterns[1].remedyLog.empty());
        const Overlay o1 = Overlay::fromJson(j1, 1);
        QCOMPARE(o1.entries.size(), d1.size());
        QCOMPARE(o1.entries[0].task, QStringLiteral("nt-1"));
        QCOMPARE(o1.entries[0].signal, QStringLiteral("failure"));
        QCOMPARE(o1.entries[0].pattern, QStringLiteral("p-counting"));
        QCOMPARE(o1.entries[2].pattern, QStringLiteral("p-superlative"));
        QCOMPARE(o1.entries[2].anchor, QStringLiteral("superlative-questions"));
        QVERIFY(!o1.entries[0].gap.isEmpty() && !o1.entries[0].proposedChange.isEmpty());
        QVERIFY(j1["themes"].size() >= 1 && j1["themes"].size() <= 3);

        // Iteration 2: no patch note yet (the patch comes after); superlative and lookup fail.
        const std::vector<Diagnosis> d2 = {diag(QStringLiteral("nt-3"), QStringLiteral("failure"), superlative, 2),
                                           diag(QStringLiteral("nt-4"), QStringLiteral("failure"), lookup, 2)};
        const nlohmann::json j2 = structured(sim.send(momentumRequest(r1, d2, 2)));
        const PatternRecord r2 = PatternRecord::fromJson(j2);
        QCOMPARE(r2.patterns.size(), std::size_t(3));
        // Most frequent first, then most recent.
        QCOMPARE(r2.patterns[0].id, QStringLiteral("p-superlative"));
        QCOMPARE(r2.patterns[1].id, QStringLiteral("p-lookup"));
        QCOMPARE(r2.patterns[2].id, QStringLiteral("p-counting"));
        QCOMPARE(r2.patterns[0].appearedIn, (std::vector<int>{1, 2}));
        QCOMPARE(r2.find(QStringLiteral("p-counting"))->appearedIn, (std::vector<int>{1}));
        QCOMPARE(r2.find(QStringLiteral("p-counting"))->remedyLog.size(), std::size_t(1)); // never lost
        QCOMPARE(Overlay::fromJson(j2, 2).entries.size(), d2.size());

        // Iteration 3: the patch of iteration 2, a contrastive success and a failure on counting.
        const std::vector<Diagnosis> d3 = {diag(QStringLiteral("nt-1"), QStringLiteral("contrastive"), QStringLiteral("Counting guidance was followed"), 3),
                                           diag(QStringLiteral("nt-2"), QStringLiteral("failure"), QStringLiteral("Counting answer wrong despite guidance"), 3)};
        const nlohmann::json patch2 =
            patchNote(2, QStringLiteral("Added superlative and lookup sections."), {QStringLiteral("p-superlative"), QStringLiteral("p-lookup")});
        const auto reply3 = sim.send(momentumRequest(r2, d3, 3, patch2));
        const nlohmann::json j3 = structured(reply3);
        const PatternRecord r3 = PatternRecord::fromJson(j3);
        const Pattern* c3 = r3.find(QStringLiteral("p-counting"));
        QVERIFY(c3);
        QCOMPARE(c3->appearedIn, (std::vector<int>{1, 3})); // successes count as appearances too
        QCOMPARE(c3->remedyLog.size(), std::size_t(1));
        QVERIFY(c3->description.contains(QStringLiteral("1 failure")) && c3->description.contains(QStringLiteral("1 success")));
        QCOMPARE(r3.find(QStringLiteral("p-superlative"))->remedyLog.size(), std::size_t(1));
        QCOMPARE(r3.find(QStringLiteral("p-superlative"))->remedyLog[0].iteration, 2);
        QCOMPARE(r3.find(QStringLiteral("p-lookup"))->remedyLog[0].patch, QStringLiteral("Added superlative and lookup sections."));
        const Overlay o3 = Overlay::fromJson(j3, 3);
        QCOMPARE(o3.entries.size(), std::size_t(2));
        QCOMPARE(o3.entries[0].signal, QStringLiteral("success"));
        QCOMPARE(o3.entries[1].signal, QStringLiteral("failure"));
        QVERIFY(j3["themes"].size() <= 3);
        QVERIFY(!c3->needsEscalation()); // seen twice only

        // The same patch note again adds nothing; the same request gives the same answer.
        const auto again = sim.send(momentumRequest(r2, d3, 3, patch2));
        QCOMPARE(again->toJson().dump(), reply3->toJson().dump());

        // Iteration 4: counting comes back after its in-place remedy: escalation is due.
        const std::vector<Diagnosis> d4 = {diag(QStringLiteral("nt-2"), QStringLiteral("failure"), QStringLiteral("Counting answer wrong despite guidance"), 4)};
        const nlohmann::json j4 = structured(sim.send(momentumRequest(r3, d4, 4)));
        const PatternRecord r4 = PatternRecord::fromJson(j4);
        QCOMPARE(r4.patterns[0].id, QStringLiteral("p-counting"));
        QCOMPARE(r4.patterns[0].appearedIn, (std::vector<int>{1, 3, 4}));
        QVERIFY(r4.patterns[0].needsEscalation());
        QVERIFY(Overlay::fromJson(j4, 4).entries[0].proposedChange.contains(QStringLiteral("references/counting.md")));
        QCOMPARE(r4.patterns.size(), std::size_t(3)); // patterns not seen this time are kept
    }

    void momentumKeepsPatternsItDoesNotKnow()
    {
        Sim sim;
        PatternRecord record;
        Pattern other;
        other.id = QStringLiteral("checks-units");
        other.summary = QStringLiteral("Units are not checked");
        other.appearedIn = {1};
        other.remedyLog = {{1, QStringLiteral("Units are not checked"), QStringLiteral("Added a units note.")}};
        record.patterns.push_back(other);
        const nlohmann::json j = structured(
            sim.send(momentumRequest(record, {diag(QStringLiteral("nt-9"), QStringLiteral("failure"), QStringLiteral("Odd unclassified slip"), 2)}, 2)));
        const PatternRecord r = PatternRecord::fromJson(j);
        QCOMPARE(r.patterns.size(), std::size_t(1));
        QCOMPARE(r.patterns[0].remedyLog.size(), std::size_t(1));
        const Overlay o = Overlay::fromJson(j, 2);
        QCOMPARE(o.entries.size(), std::size_t(1));
        QCOMPARE(o.entries[0].pattern, QStringLiteral("none"));
    }

    void patcherWritesGuidanceThenLiftsItOnEscalation()
    {
        QTemporaryDir tmp;
        const QString seedDir = sourceDir() + QStringLiteral("/resources/examples/table-qa");
        const QString dir = tmp.filePath(QStringLiteral("table-qa"));
        for (const QString& f : {QStringLiteral("SKILL.md"), QStringLiteral("references/reading-tables.md")})
            writeFile(dir, f, readAll(seedDir + QLatin1Char('/') + f));
        const QByteArray seedMd = readAll(dir + QStringLiteral("/SKILL.md"));
        const auto seedPackage = SkillPackage::load(dir);
        QVERIFY(seedPackage);
        Sim sim;

        // Iteration 1: no patterns yet; the diagnoses are the input. Counting is the most
        // frequent, then superlative (first seen before lookup); at most two categories.
        nlohmann::json d = Diagnosis::listJson({diag(QStringLiteral("nt-5"), QStringLiteral("failure"), QStringLiteral("Superlative questions lack guidance"), 1),
                                                diag(QStringLiteral("nt-6"), QStringLiteral("failure"), QStringLiteral("Counting questions lack guidance"), 1),
                                                diag(QStringLiteral("nt-7"), QStringLiteral("failure"), QStringLiteral("Lookup questions lack guidance"), 1),
                                                diag(QStringLiteral("nt-8"), QStringLiteral("failure"), QStringLiteral("Counting questions lack guidance"), 1)});
        nlohmann::json work1 = {{"iteration", 1}, {"patterns_to_address", nlohmann::json::array()}, {"overlay", nlohmann::json::array()},
                                {"themes", nlohmann::json::array()}, {"diagnoses", d["diagnoses"]}};
        const PatchRun first = runPatcher(sim, dir, work1, 1);
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QCOMPARE(first.turns, 3); // read, edit, finish
        QCOMPARE(first.messages[2].toolCalls.front().name, QStringLiteral("read_file"));
        QCOMPARE(first.messages[2].toolCalls.front().id, QStringLiteral("call_sim_patch_1"));
        QCOMPARE(addressed(first.summary), (QStringList{QStringLiteral("p-counting"), QStringLiteral("p-superlative")}));
        QString body = bodyOf(dir);
        QVERIFY(body.contains(QStringLiteral("\n## Counting questions\n")));
        QVERIFY(SimExecutor::guidedInBody(category(QStringLiteral("counting")), body));
        QVERIFY(SimExecutor::guidedInBody(category(QStringLiteral("superlative")), body));
        QVERIFY(!SimGuidance::guided(category(QStringLiteral("lookup")), body));
        for (const QString& line : SimGuidance::guidance(category(QStringLiteral("counting"))))
            QVERIFY(body.contains(line));
        const QByteArray afterFirst = readAll(dir + QStringLiteral("/SKILL.md"));
        QCOMPARE(frontMatterOf(afterFirst), frontMatterOf(seedMd));
        QVERIFY(!frontMatterOf(seedMd).isEmpty());
        QVERIFY(afterFirst.startsWith(seedMd.trimmed())); // appended at the end, nothing else moved
        auto p1 = SkillPackage::load(dir);
        QVERIFY(p1);
        QVERIFY(!SkillValidator::hasErrors(SkillValidator::validate(p1.value())));
        CapContext caps;
        caps.skillName = QStringLiteral("table-qa");
        caps.batch = m_all;
        const CapReport report1 = CapChecker::check(seedPackage.value(), p1.value(), caps);
        QVERIFY2(report1.ok(), qPrintable(report1.text()));

        // A repair message after finish: finish again with the same summary.
        std::vector<LlmMessage> repair = first.messages;
        repair.push_back(LlmMessage::user(render(QStringLiteral("patcher-repair.md"), {{QStringLiteral("violations"), QStringLiteral("changed-lines: too many")}})));
        LlmRequest r;
        r.role = QStringLiteral("patcher");
        r.messages = repair;
        r.tools = PatchTools::definitions();
        r.context = {QString(), QStringLiteral("patcher"), 1};
        const auto again = sim.send(r);
        QVERIFY(again);
        QCOMPARE(again->toolCalls.size(), std::size_t(1));
        QCOMPARE(again->toolCalls[0].name, QStringLiteral("finish"));
        QCOMPARE(QString::fromStdString(again->toolCalls[0].arguments.value("summary", std::string())), first.summary);

        // Iteration 3: counting escalates and is lifted to L3; superlative is guided already,
        // so lookup is the second edit.
        const nlohmann::json work3 = {
            {"iteration", 3},
            {"patterns_to_address",
             {{{"id", "p-counting"}, {"summary", "Counting questions answered without a counting method"}, {"anchor", "counting-questions"},
               {"appeared_in", {1, 2, 3}}, {"escalate", true}},
              {{"id", "p-superlative"}, {"summary", "Superlative questions answered without sorting the column"}, {"appeared_in", {1, 3}}, {"escalate", false}},
              {{"id", "p-lookup"}, {"summary", "Lookup questions answered without matching the key row"}, {"appeared_in", {3}}, {"escalate", false}}}},
            {"overlay", nlohmann::json::array()},
            {"themes", nlohmann::json::array()},
            {"diagnoses", nlohmann::json::array()}};
        const PatchRun lift = runPatcher(sim, dir, work3, 3);
        QVERIFY2(lift.error.isEmpty(), qPrintable(lift.error));
        QCOMPARE(addressed(lift.summary), (QStringList{QStringLiteral("p-counting"), QStringLiteral("p-lookup")}));
        body = bodyOf(dir);
        const auto& counting = category(QStringLiteral("counting"));
        QVERIFY(!SimExecutor::guidedInBody(counting, body));
        QCOMPARE(SimExecutor::pointerFor(counting, body), QStringLiteral("references/counting.md"));
        QVERIFY(body.contains(SimGuidance::pointerLine(counting)));
        QVERIFY(SimExecutor::guidedInBody(category(QStringLiteral("lookup")), body));
        QVERIFY(SimExecutor::guidedInBody(category(QStringLiteral("superlative")), body));
        const QString reference = QString::fromUtf8(readAll(dir + QStringLiteral("/references/counting.md")));
        QVERIFY(reference.startsWith(QStringLiteral("# Counting questions\n\n")));
        for (const QString& line : SimGuidance::guidance(counting))
            QVERIFY(reference.contains(line));
        QCOMPARE(frontMatterOf(readAll(dir + QStringLiteral("/SKILL.md"))), frontMatterOf(seedMd));
        auto p3 = SkillPackage::load(dir);
        QVERIFY(p3);
        const SkillProblems problems = SkillValidator::validate(p3.value());
        QVERIFY(!SkillValidator::hasErrors(problems));
        QVERIFY(!hasProblem(problems, QStringLiteral("pointer-broken")));
        QVERIFY(!hasProblem(problems, QStringLiteral("reference-orphan")));
        caps.escalation = true;
        const CapReport report3 = CapChecker::check(p1.value(), p3.value(), caps);
        QVERIFY2(report3.ok(), qPrintable(report3.text()));

        // The executor now reads the lifted notes on counting questions.
        const auto runs = runExecutor(m_tasks, dir);
        bool read = false;
        for (const auto& [id, t] : runs)
            read = read || t.referencesRead.contains(QStringLiteral("references/counting.md"));
        QVERIFY(read);

        // Nothing left to do: the same patterns without escalation change nothing.
        nlohmann::json work4 = work3;
        work4["iteration"] = 4;
        work4["patterns_to_address"][0]["escalate"] = false;
        const QByteArray beforeIdle = readAll(dir + QStringLiteral("/SKILL.md"));
        const PatchRun idle = runPatcher(sim, dir, work4, 4);
        QVERIFY2(idle.error.isEmpty(), qPrintable(idle.error));
        QCOMPARE(idle.edits, 0);
        QCOMPARE(idle.turns, 2); // read, finish
        QVERIFY(addressed(idle.summary).isEmpty());
        QCOMPARE(readAll(dir + QStringLiteral("/SKILL.md")), beforeIdle);
    }

    void everyRoleIsDeterministic()
    {
        Sim sim;
        const Task& task = m_tasks.tasks.front();
        Trajectory t;
        t.taskId = task.id;
        t.outcome.evidence = QStringLiteral("expected one thing, got another");
        const nlohmann::json work = {{"iteration", 2},
                                     {"patterns_to_address", {{{"id", "p-counting"}, {"summary", "Counting"}, {"escalate", false}}}},
                                     {"diagnoses", nlohmann::json::array()}};
        std::vector<LlmRequest> requests = {
            failureRequest(task, t),
            contrastiveRequest(task, t, t),
            momentumRequest({}, {diag(QStringLiteral("nt-1"), QStringLiteral("failure"), QStringLiteral("Counting questions lack guidance"), 1)}, 1),
            request(QStringLiteral("patcher"), render(QStringLiteral("patcher-system.md"), {{QStringLiteral("description_words"), QStringLiteral("50")},
                                                                                              {QStringLiteral("changed_lines"), QStringLiteral("40")}}),
                    render(QStringLiteral("patcher-task.md"), {{QStringLiteral("iteration"), QStringLiteral("2")},
                                                               {QStringLiteral("skill_name"), QStringLiteral("table-qa")},
                                                               {QStringLiteral("work"), QString::fromStdString(work.dump(2))}}),
                    2)};
        for (const LlmRequest& r : requests) {
            const auto a = sim.send(r);
            const auto b = sim.send(r);
            QVERIFY2(a && b, qPrintable(r.role));
            QCOMPARE(a->toJson().dump(), b->toJson().dump());
            if (r.role != QLatin1String("patcher"))
                QVERIFY(StructuredAnswer::extract(a->content));
        }
    }
};

QTEST_GUILESS_MAIN(tst_SimOptimizerRoles)
#include "tst_SimOptimizerRoles.moc"
