#pragma once

#include "Optimizer.h"
#include "run/LlmSession.h"
#include "run/RunLock.h"
#include "run/RunStore.h"
#include "workspace/TaskStore.h"
#include "workspace/Workspace.h"

#include <QStringList>

#include <memory>
#include <optional>

namespace sg {

// Everything one optimisation run holds while it runs — the workspace, its tasks, runs/.lock,
// the run's folder, the LLM session and the Optimizer — set up the same way for the CLI and the
// Studio's worker thread. In two steps, so a caller can refuse between them (the CLI refuses the
// review gate without a terminal) before anything is written: prepare() takes the lock and works
// out the options (a resumed run's come from its run.json), createRun() makes the session, the
// run folder and the optimizer.
class OptimizeJob
{
public:
    struct Request
    {
        QString workspace;
        QString resume; // a run id or "latest"; empty for a new run
        // A new run's options and roles (see optionsFrom / sessionFrom; no roles: the
        // workspace's); ignored on resume.
        OptimizerOptions options;
        LlmSession::Options session;
        // Budgets for either kind of run (a resumed run may get larger ones); < 0: unchanged.
        double budgetUsd = -1;
        qint64 budgetTokens = -1;
        qint64 budgetCalls = -1;
        bool unsafeNoSandbox = false;
    };

    // A new run's options from the workspace's settings.
    static OptimizerOptions optionsFrom(const WorkspaceConfig& config);
    // The roles as skillgrad.json sets them, with the workspace's response cache and prices.
    static LlmSession::Options sessionFrom(const Workspace& workspace);

    static Result<std::unique_ptr<OptimizeJob>> prepare(const Request& request);
    ~OptimizeJob();

    const OptimizerOptions& options() const { return m_options; }
    bool resuming() const { return m_replay.has_value(); }
    const std::optional<Replay>& replay() const { return m_replay; }
    // Things the person starting the run should know ("this run did not use the cache …").
    const QStringList& notes() const { return m_notes; }

    Result<void> createRun();
    // Lets go of runs/.lock once the optimizer has finished, before the job itself goes.
    void releaseLock() { m_lock.reset(); }
    Workspace& workspace() { return *m_workspace; }
    const TaskStore& tasks() const { return *m_tasks; }
    RunStore& store() { return *m_store; }
    LlmSession& session() { return *m_session; }
    Optimizer& optimizer() { return *m_optimizer; }
    const LlmSession::Options& sessionOptions() const { return m_sessionOptions; }

private:
    OptimizeJob() = default;

    std::optional<Workspace> m_workspace;
    std::optional<TaskStore> m_tasks;
    std::optional<RunLock> m_lock;
    std::optional<RunStore> m_store;
    std::unique_ptr<LlmSession> m_session;
    std::unique_ptr<Optimizer> m_optimizer;
    OptimizerOptions m_options;
    LlmSession::Options m_sessionOptions;
    std::optional<Replay> m_replay;
    QStringList m_notes;
};

} // namespace sg
