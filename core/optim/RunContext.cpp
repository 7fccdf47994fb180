#include "RunContext.h"

#include "llm/LlmClient.h"
#include "run/LlmSession.h"
#include "run/RunStore.h"
#include "workspace/TaskStore.h"

#include <QThread>

namespace sg {

nlohmann::json OptimizerOptions::toJson() const
{
    return {{"gate", gate.toStdString()},
            {"batch", batch},
            {"epochs", epochs},
            {"max_iterations", maxIterations},
            {"train_from", trainFrom.toStdString()},
            {"train_sample", trainSample},
            {"stop_after_passing_batches", stopAfterPassingBatches},
            {"seed", seed},
            {"changed_line_cap", changedLineCap},
            {"description_word_cap", descriptionWordCap},
            {"allow_scripts", allowScripts},
            {"turn_limit", turnLimit},
            {"evaluate_test", evaluateTest}};
}

nlohmann::json IterationSummary::toJson() const
{
    return {{"iteration", iteration},
            {"passed", passed},
            {"total", total},
            {"batch_pass_rate", batchPassRate},
            {"val_score", valScore ? nlohmann::json(*valScore) : nlohmann::json(nullptr)},
            {"decision", decision.toStdString()},
            {"reason", reason.toStdString()},
            {"proposal", proposal.isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(proposal.toStdString())},
            {"commit", commit.isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(commit.toStdString())},
            {"escalated", escalated},
            {"usage", usage}};
}

QString RunContext::runId() const
{
    return store->id();
}

QString RunContext::iterationDir(int iteration)
{
    return QStringLiteral("iter-%1").arg(iteration, 4, 10, QLatin1Char('0'));
}

Evaluation* RunContext::evaluate(const std::vector<const Task*>& list, const SkillPackage& withSkill, int iteration, const QString& folder,
                                 QObject* parent, std::function<void(const Trajectory&, const TaskResult&)> onTask)
{
    Evaluation::Setup setup;
    setup.tasks = list;
    setup.tasksRoot = tasks->tasks().root;
    setup.skill = withSkill;
    setup.model = session->model(QStringLiteral("executor"));
    setup.client = &session->client();
    setup.prompts = prompts;
    setup.turnLimit = options.turnLimit;
    setup.sandbox = options.sandbox;
    setup.maxAgents = options.maxAgents;
    setup.maxProcesses = std::max(1, QThread::idealThreadCount());
    setup.iteration = iteration;
    setup.scratchRoot = store->path(QStringLiteral("scratch-tasks"));
    auto* evaluation = new Evaluation(setup, parent);
    RunStore* runStore = store;
    QObject::connect(evaluation, &Evaluation::taskFinished, evaluation, [runStore, folder, onTask](const Trajectory& t, const TaskResult& r) {
        if (!folder.isEmpty())
            (void)runStore->writeJson(QStringLiteral("%1/trajectories/%2.json").arg(folder, RunStore::fileNameFor(t.taskId)), t.toJson());
        if (onTask)
            onTask(t, r);
    });
    return evaluation;
}

} // namespace sg
