#pragma once

#include "MomentumWriter.h"
#include "PatternRecord.h"
#include "agent/Evaluation.h"
#include "agent/PromptLibrary.h"
#include "agent/Trajectory.h"
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

    nlohmann::json toJson() const;
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

    QString runId() const;
    // Runs the executor with `skill` over `tasks`; trajectories go to `folder` (relative to the
    // run) when it is not empty. `onTask` sees each task as it ends (to start its diagnosis).
    Evaluation* evaluate(const std::vector<const Task*>& tasks, const SkillPackage& skill, int iteration, const QString& folder,
                         QObject* parent, std::function<void(const Trajectory&, const TaskResult&)> onTask = {});
    static QString iterationDir(int iteration); // "iter-0003"
};

} // namespace sg
