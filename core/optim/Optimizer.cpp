#include "Optimizer.h"

#include "IterationRunner.h"
#include "agent/Evaluation.h"
#include "history/GitRepo.h"
#include "llm/LlmClient.h"
#include "llm/Scheduler.h"
#include "llm/UsageLedger.h"
#include "run/LlmSession.h"
#include "run/RunStore.h"
#include "workspace/TaskStore.h"
#include "workspace/Workspace.h"

#include <random>

namespace sg {

namespace {

// Our own Fisher-Yates: std::shuffle is implementation-defined, batches must not be.
void shuffle(QStringList& ids, quint64 seed)
{
    std::mt19937_64 rng(seed);
    for (qsizetype i = ids.size() - 1; i > 0; --i)
        ids.swapItemsAt(i, qsizetype(rng() % quint64(i + 1)));
}

nlohmann::json optionalJson(const std::optional<double>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json RunSummary::toJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const IterationSummary& i : iterations)
        list.push_back(i.toJson());
    return {{"run", run.toStdString()},
            {"status", status.toStdString()},
            {"stop_reason", stopReason.toStdString()},
            {"simulated", simulated},
            {"initial_val", initialVal},
            {"final_val", finalVal},
            {"initial_test", optionalJson(initialTest)},
            {"final_test", optionalJson(finalTest)},
            {"training_tasks", trainingTasks},
            {"error", error.isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(error.toStdString())},
            {"budget_stop", budgetStop.isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(budgetStop.toStdString())},
            {"iterations", list}};
}

std::vector<std::vector<QString>> Optimizer::batches(const QStringList& training, int size, int epochs, quint64 seed)
{
    std::vector<std::vector<QString>> out;
    size = std::max(1, size);
    for (int epoch = 0; epoch < epochs; ++epoch) {
        QStringList order = training;
        shuffle(order, seed * 1000003ULL + quint64(epoch));
        for (qsizetype i = 0; i < order.size(); i += size) {
            std::vector<QString> batch;
            for (qsizetype j = i; j < std::min<qsizetype>(order.size(), i + size); ++j)
                batch.push_back(order[j]);
            out.push_back(batch);
        }
    }
    return out;
}

Optimizer::Optimizer(Workspace& workspace, LlmSession& session, RunStore& store, const TaskStore& tasks, OptimizerOptions options, QObject* parent)
    : QObject(parent)
{
    m_ctx.workspace = &workspace;
    m_ctx.session = &session;
    m_ctx.store = &store;
    m_ctx.tasks = &tasks;
    m_ctx.prompts = PromptLibrary(workspace.root());
    m_ctx.options = std::move(options);
    m_summary.run = store.id();
    m_summary.simulated = session.simulated();
}

Optimizer::~Optimizer() = default;

void Optimizer::event(const QString& type, const nlohmann::json& fields)
{
    (void)m_ctx.store->events().append(type, fields);
}

void Optimizer::start()
{
    GitRepo& repo = m_ctx.workspace->repo();
    const bool resumed = m_ctx.replay.active;
    // Every booking goes to calls.jsonl; a resumed run starts from what the journal holds.
    if (auto journal = m_ctx.store->journalUsage(m_ctx.session->ledger()); !journal) {
        m_summary.error = journal.error().text();
        end(QStringLiteral("failed"), QStringLiteral("cannot keep the usage journal"));
        return;
    }
    auto head = repo.version(resumed ? m_ctx.replay.startSha : QStringLiteral("main"));
    auto files = head ? repo.files(head->sha) : Result<std::vector<TreeFile>>(head.error());
    if (!head || !files) {
        m_summary.error = (!head ? head.error() : files.error()).text();
        end(QStringLiteral("failed"), QStringLiteral("cannot read the version the run starts from"));
        return;
    }
    if (resumed) {
        // Only this run's own commits may follow the version it started from: anything else
        // (a hand edit, a rollback) would be undone by carrying on.
        auto versions = repo.versions(QStringLiteral("main"));
        if (!versions) {
            m_summary.error = versions.error().text();
            end(QStringLiteral("failed"), QStringLiteral("cannot read the history"));
            return;
        }
        bool reached = false;
        for (const Version& v : versions.value()) {
            if (v.sha == m_ctx.replay.startSha) {
                reached = true;
                break;
            }
            if (v.trailer(QStringLiteral("SkillGrad-Run")) != m_ctx.runId()) {
                m_summary.error = QStringLiteral("main has moved since the run stopped: %1 \"%2\" is not one of its commits; to resume, roll back "
                                                 "to the run's last version (skillgrad rollback), or start a new run")
                                      .arg(v.shortSha(), v.summary);
                end(QStringLiteral("failed"), QStringLiteral("cannot resume"));
                return;
            }
        }
        if (!reached) {
            m_summary.error = QStringLiteral("the version the run started from, %1, is not on main any more").arg(m_ctx.replay.startSha.left(7));
            end(QStringLiteral("failed"), QStringLiteral("cannot resume"));
            return;
        }
    }
    SkillFiles skill;
    skill.rootName = m_ctx.workspace->config().skillName;
    for (const TreeFile& f : files.value())
        skill.files.push_back({f.path, f.data, f.executable});
    m_ctx.skill = SkillPackage::fromFiles(std::move(skill));
    m_ctx.skillSha = head->sha;
    if (resumed) {
        const Replay replay = m_ctx.replay;
        m_ctx.session->client().setAlreadyBooked([replay](int iteration) {
            return iteration == 0 ? replay.selectionDone && replay.seedValDone && replay.seedTestDone
                                  : iteration <= replay.completedThrough;
        });
        event(QStringLiteral("run_resumed"), {{"from_iteration", m_ctx.replay.completedThrough + 1}, {"options", m_ctx.options.toJson()}});
        (void)m_ctx.store->setStatus(QStringLiteral("running"));
    } else {
        event(QStringLiteral("run_started"), {{"skill", head->sha.toStdString()}, {"options", m_ctx.options.toJson()}, {"simulated", m_summary.simulated}});
        (void)m_ctx.store->setStatus(QStringLiteral("running"), {{"start_skill", head->sha.toStdString()}});
    }
    selectionPass();
}

void Optimizer::selectionPass()
{
    const auto pool = m_ctx.tasks->split(QStringLiteral("train"));
    Q_EMIT stage(QStringLiteral("selection pass: the seed skill on %1 train tasks").arg(pool.size()));
    auto failed = std::make_shared<QStringList>();
    auto outcomes = std::make_shared<nlohmann::json>(nlohmann::json::array());
    m_evaluation = m_ctx.evaluate(pool, m_ctx.skill, 0, RunContext::iterationDir(0), this, [this, failed, outcomes](const Trajectory& t, const TaskResult& r) {
        outcomes->push_back({{"task", r.id.toStdString()}, {"passed", r.passed}, {"score", r.score}, {"evidence", r.evidence.toStdString()}});
        if (!r.passed && r.error.isEmpty()) {
            *failed << r.id;
            m_ctx.lastFailure[r.id] = t; // the selection pass counts for contrastive diagnoses
        }
    });
    connect(m_evaluation, &Evaluation::finished, this, [this, failed, outcomes] {
        Evaluation* done = m_evaluation;
        m_evaluation = nullptr;
        done->deleteLater();
        if (m_cancelled) {
            end(QStringLiteral("cancelled"), QStringLiteral("cancelled during the selection pass"));
            return;
        }
        if (done->errors() > 0) {
            m_summary.error = QStringLiteral("%1 task(s) of the selection pass could not be judged: %2")
                                  .arg(done->errors())
                                  .arg(done->results().empty() ? QString() : [&] {
                                      for (const TaskResult& r : done->results())
                                          if (!r.error.isEmpty())
                                              return r.error;
                                      return QString();
                                  }());
            end(QStringLiteral("failed"), QStringLiteral("the executor could not reach its model"));
            return;
        }
        QStringList training;
        if (m_ctx.options.trainFrom == QLatin1String("pool")) {
            for (const Task* t : m_ctx.tasks->split(QStringLiteral("train")))
                training << t->id;
        } else {
            training = *failed;
        }
        std::sort(training.begin(), training.end(), TaskStore::naturalLess);
        if (m_ctx.options.trainSample > 0 && training.size() > m_ctx.options.trainSample) {
            shuffle(training, m_ctx.options.seed ^ 0x73616d706c65ULL);
            training = training.mid(0, m_ctx.options.trainSample);
            std::sort(training.begin(), training.end(), TaskStore::naturalLess);
        }
        m_summary.trainingTasks = int(training.size());
        nlohmann::json ids = nlohmann::json::array();
        for (const QString& id : training)
            ids.push_back(id.toStdString());
        (void)m_ctx.store->writeJson(RunContext::iterationDir(0) + QStringLiteral("/outcomes.json"),
                                     {{"iteration", 0}, {"passed", done->passed()}, {"total", done->total()}, {"outcomes", *outcomes}});
        (void)m_ctx.store->writeJson(RunContext::iterationDir(0) + QStringLiteral("/training.json"),
                                     {{"train_from", m_ctx.options.trainFrom.toStdString()}, {"tasks", ids}});
        if (!m_ctx.replay.selectionDone)
            event(QStringLiteral("selection_finished"), {{"passed", done->passed()}, {"total", done->total()}, {"training", ids}});
        m_batches = batches(training, m_ctx.options.batch, m_ctx.options.epochs, m_ctx.options.seed);
        if (m_ctx.options.maxIterations > 0 && int(m_batches.size()) > m_ctx.options.maxIterations)
            m_batches.resize(std::size_t(m_ctx.options.maxIterations));
        scoreSeed();
    });
    m_evaluation->start();
}

void Optimizer::scoreSeed()
{
    Q_EMIT stage(QStringLiteral("scoring the seed skill on val"));
    m_evaluation = m_ctx.evaluate(m_ctx.tasks->split(QStringLiteral("val")), m_ctx.skill, 0, QString(), this);
    connect(m_evaluation, &Evaluation::finished, this, [this] {
        Evaluation* done = m_evaluation;
        m_evaluation = nullptr;
        done->deleteLater();
        if (m_cancelled) {
            end(QStringLiteral("cancelled"), QStringLiteral("cancelled while scoring the seed"));
            return;
        }
        if (done->errors() > 0) {
            m_summary.error = QStringLiteral("%1 val task(s) could not be judged").arg(done->errors());
            end(QStringLiteral("failed"), QStringLiteral("the executor could not reach its model"));
            return;
        }
        m_ctx.currentVal = done->score();
        m_summary.initialVal = m_ctx.currentVal;
        m_summary.finalVal = m_ctx.currentVal;
        if (!m_ctx.replay.seedValDone)
            event(QStringLiteral("eval_finished"), {{"split", "val"}, {"version", m_ctx.skillSha.toStdString()}, {"score", m_ctx.currentVal}});
        scoreTest(false, [this](std::optional<double> score) {
            m_summary.initialTest = score;
            nextIteration();
        });
    });
    m_evaluation->start();
}

void Optimizer::scoreTest(bool atEnd, std::function<void(std::optional<double>)> then)
{
    const auto test = m_ctx.tasks->split(QStringLiteral("test"));
    if (!m_ctx.options.evaluateTest || test.empty()) {
        then(std::nullopt);
        return;
    }
    if (atEnd && !m_ctx.budgetExceeded().isEmpty()) {
        Q_EMIT stage(QStringLiteral("not scoring the final skill on test: %1 is reached").arg(m_ctx.budgetExceeded()));
        then(std::nullopt);
        return;
    }
    Q_EMIT stage(QStringLiteral("scoring the %1 skill on test").arg(atEnd ? QStringLiteral("final") : QStringLiteral("seed")));
    m_evaluation = m_ctx.evaluate(test, m_ctx.skill, atEnd ? int(m_summary.iterations.size()) + 1 : 0, QString(), this);
    connect(m_evaluation, &Evaluation::finished, this, [this, then, atEnd] {
        Evaluation* done = m_evaluation;
        m_evaluation = nullptr;
        done->deleteLater();
        const std::optional<double> score = done->errors() == 0 && !m_cancelled ? std::optional<double>(done->score()) : std::nullopt;
        if (atEnd || !m_ctx.replay.seedTestDone)
            event(QStringLiteral("eval_finished"), {{"split", "test"}, {"version", m_ctx.skillSha.toStdString()}, {"score", optionalJson(score)},
                                                    {"at", atEnd ? "end" : "start"}});
        then(score);
    });
    m_evaluation->start();
}

void Optimizer::nextIteration()
{
    if (m_cancelled) {
        end(QStringLiteral("cancelled"), QStringLiteral("cancelled"));
        return;
    }
    // Budgets are checked before each step; the steps a resumed run replays were paid for.
    if (m_ctx.budgetStop.isEmpty() && m_nextBatch < m_batches.size() && !m_ctx.replaying(int(m_nextBatch) + 1))
        m_ctx.budgetStop = m_ctx.budgetExceeded();
    if (!m_ctx.budgetStop.isEmpty()) {
        m_summary.budgetStop = m_ctx.budgetStop;
        end(QStringLiteral("stopped"), QStringLiteral("reached %1; resume with a larger budget: skillgrad optimize --resume %2").arg(m_ctx.budgetStop, m_ctx.runId()));
        return;
    }
    QString stop;
    if (m_ctx.stopRequested)
        stop = QStringLiteral("stopped on request");
    else if (m_summary.trainingTasks == 0)
        stop = QStringLiteral("the seed passed every training task: nothing to learn from");
    else if (m_nextBatch >= m_batches.size())
        stop = m_ctx.options.maxIterations > 0 && int(m_batches.size()) == m_ctx.options.maxIterations ? QStringLiteral("reached the iteration limit")
                                                                                                      : QStringLiteral("finished the epochs");
    else if (m_ctx.options.stopAfterPassingBatches > 0 && m_passingStreak >= m_ctx.options.stopAfterPassingBatches)
        stop = QStringLiteral("%1 batches in a row passed completely").arg(m_passingStreak);
    if (!stop.isEmpty()) {
        scoreTest(true, [this, stop](std::optional<double> score) {
            m_summary.finalTest = score;
            end(m_ctx.stopRequested ? QStringLiteral("stopped") : QStringLiteral("completed"), stop);
        });
        return;
    }
    const int iteration = int(m_nextBatch) + 1;
    if (m_pauseRequested && !m_ctx.replaying(iteration)) {
        if (m_steps > 0) {
            --m_steps;
        } else {
            m_held = true;
            Q_EMIT stage(QStringLiteral("paused before iteration %1").arg(iteration));
            Q_EMIT held(iteration);
            return;
        }
    }
    std::vector<const Task*> batch;
    for (const QString& id : m_batches[m_nextBatch])
        if (const Task* t = m_ctx.tasks->tasks().find(id))
            batch.push_back(t);
    ++m_nextBatch;
    m_current = new IterationRunner(m_ctx, iteration, batch, this);
    connect(m_current, &IterationRunner::stage, this, &Optimizer::stage);
    connect(m_current, &IterationRunner::finished, this, [this] {
        IterationRunner* done = m_current;
        m_current = nullptr;
        const IterationSummary s = done->summary();
        done->deleteLater();
        m_summary.iterations.push_back(s);
        m_summary.finalVal = m_ctx.currentVal;
        m_passingStreak = s.total > 0 && s.passed == s.total ? m_passingStreak + 1 : 0;
        Q_EMIT iterationFinished(s);
        if (s.fatal) {
            m_summary.error = s.reason;
            end(QStringLiteral("failed"), QStringLiteral("iteration %1 could not reach a model").arg(s.iteration));
            return;
        }
        // Each iteration runs from a fresh turn of the event loop.
        QMetaObject::invokeMethod(this, &Optimizer::nextIteration, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
    m_current->start();
}

void Optimizer::requestStop()
{
    m_ctx.stopRequested = true;
    if (m_held)
        resume();
}

void Optimizer::pause()
{
    m_pauseRequested = true;
    m_steps = 0;
}

void Optimizer::resume()
{
    m_pauseRequested = false;
    m_steps = 0;
    if (!m_held)
        return;
    m_held = false;
    Q_EMIT released();
    QMetaObject::invokeMethod(this, &Optimizer::nextIteration, Qt::QueuedConnection);
}

void Optimizer::step()
{
    m_pauseRequested = true;
    // Held, or not yet in an iteration: one more runs; in an iteration: this one is the step.
    m_steps = m_held || !m_current ? 1 : 0;
    if (!m_held)
        return;
    m_held = false;
    Q_EMIT released();
    QMetaObject::invokeMethod(this, &Optimizer::nextIteration, Qt::QueuedConnection);
}

void Optimizer::cancel()
{
    if (m_cancelled)
        return;
    m_cancelled = true;
    m_ctx.stopRequested = true;
    if (m_held) {
        m_held = false;
        Q_EMIT released();
        QMetaObject::invokeMethod(this, &Optimizer::nextIteration, Qt::QueuedConnection);
        return;
    }
    if (m_current)
        m_current->cancel();
    if (m_evaluation)
        m_evaluation->cancel();
    m_ctx.session->scheduler().cancelAll();
}

void Optimizer::end(const QString& status, const QString& reason)
{
    if (m_ended)
        return;
    m_ended = true;
    m_summary.status = status;
    m_summary.stopReason = reason;
    m_summary.finalVal = m_ctx.currentVal;
    (void)m_ctx.store->writeJson(QStringLiteral("usage.json"), m_ctx.session->ledger().toJson());
    (void)m_ctx.store->writeJson(QStringLiteral("summary.json"), m_summary.toJson());
    (void)m_ctx.store->setStatus(status, {{"stop_reason", reason.toStdString()}, {"final_val", m_summary.finalVal}, {"initial_val", m_summary.initialVal},
                                          {"head", m_ctx.skillSha.toStdString()}});
    event(QStringLiteral("run_finished"), {{"status", status.toStdString()}, {"reason", reason.toStdString()}, {"final_val", m_summary.finalVal},
                                           {"usage", UsageLedger::rowJson(m_ctx.session->ledger().total())}});
    QMetaObject::invokeMethod(this, &Optimizer::finished, Qt::QueuedConnection);
}

} // namespace sg
