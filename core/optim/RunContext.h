#pragma once

#include "MomentumWriter.h"
#include "PatternRecord.h"
#include "Review.h"
#include "agent/Evaluation.h"
#include "agent/PromptLibrary.h"
#include "agent/Trajectory.h"
#include "common/Result.h"
#include "sandbox/SandboxLimits.h"
#include "skill/SkillPackage.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace sg {

class LlmSession;
class RunStore;
class TaskStore;
class Workspace;

struct OptimizerOptions
{
    QString gate = QStringLiteral("accept-all");
    int batch = 4;
    int epochs = 1;
    int maxIterations = 0; // 0: as many as the epochs give
    QString trainFrom = QStringLiteral("failures"); // or "pool"
    int trainSample = 0;   // 0: every selected task
    int stopAfterPassingBatches = 4;
    quint64 seed = 1;
    int changedLineCap = 40;
    int descriptionWordCap = 50;
    bool allowScripts = false;
    int turnLimit = 30;
    SandboxLimits sandbox;
    bool evaluateTest = true; // test at the start and the end of the run (DESIGN.md 4.1)
    int maxAgents = 64;
    // Budgets (0: none), checked from the usage ledger before each step (DESIGN.md 4.8). Not part
    // of what a resumed run must repeat: a run stopped by a budget resumes with a larger one.
    double budgetUsd = 0;
    qint64 budgetTokens = 0;
    qint64 budgetCalls = 0;

    nlohmann::json toJson() const;
    // The options a run recorded in run.json; missing fields keep their defaults.
    static Result<OptimizerOptions> fromJson(const nlohmann::json& json);
};

// One iteration's line in the run's summary (and in `optimize --json`).
struct IterationSummary
{
    int iteration = 0;
    int passed = 0;
    int total = 0;
    double batchPassRate = 0;
    std::optional<double> valScore; // of main after the decision
    QString decision;               // accepted, rejected, no-change, failed
    QString reason;
    QString proposal; // sha of the proposal commit, when there was one
    QString commit;   // sha of the new main commit, when accepted
    nlohmann::json usage;
    bool escalated = false;
    bool fatal = false; // the provider is unreachable: the run cannot go on

    nlohmann::json toJson() const;
};

// How a resumed run catches up (DESIGN.md 3): it runs again from the start, where the response
// cache answers every request that had completed, so the steps done before the kill cost
// nothing; their events are not logged twice, and their commits are found instead of made again.
struct Replay
{
    bool active = false;
    QString startSha;        // the version the run started from
    int completedThrough = 0; // iterations that had ended (a "scores" event) before the kill
    bool selectionDone = false;
    bool seedValDone = false;
    bool seedTestDone = false;

    // What the events of an interrupted run say was done.
    static Result<Replay> fromEvents(const std::vector<nlohmann::json>& events);
};

// What the iterations of one run share and change: the current version, the memory, the failures
// seen so far (for contrastive diagnoses), and the means to evaluate.
struct RunContext
{
    Workspace* workspace = nullptr;
    LlmSession* session = nullptr;
    RunStore* store = nullptr;
    const TaskStore* tasks = nullptr;
    PromptLibrary prompts;
    OptimizerOptions options;

    SkillPackage skill; // main's current version
    QString skillSha;
    double currentVal = 0;
    PatternRecord record;
    std::map<QString, Trajectory> lastFailure; // task id → its most recent failed trajectory
    std::optional<PatchNote> lastPatch;        // for the next momentum update's remedy log
    bool stopRequested = false;
    QString budgetStop; // which budget stopped the run
    Replay replay;
    Reviewer reviewer; // asked under the review gate

    QString runId() const;
    // Whether this iteration had ended before a resumed run's kill: it is replayed silently.
    bool replaying(int iteration) const { return replay.active && iteration <= replay.completedThrough; }
    // The budget the ledger has reached ("the token budget: 10.2k of 10k used"), or empty.
    QString budgetExceeded() const;
    // Runs the executor with `skill` over `tasks`; trajectories go to `folder` (relative to the
    // run) when it is not empty. `onTask` sees each task as it ends (to start its diagnosis).
    Evaluation* evaluate(const std::vector<const Task*>& tasks, const SkillPackage& skill, int iteration, const QString& folder,
                         QObject* parent, std::function<void(const Trajectory&, const TaskResult&)> onTask = {});
    static QString iterationDir(int iteration); // "iter-0003"
};

} // namespace sg
