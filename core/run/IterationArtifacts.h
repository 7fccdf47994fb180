#pragma once

#include "agent/Trajectory.h"
#include "common/Result.h"
#include "optim/Diagnosis.h"
#include "optim/PatternRecord.h"
#include "tasks/Outcome.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sg {

// One file of an iteration: loaded, damaged (an error naming the file), or not written yet —
// a run in progress writes its files one step at a time.
template <typename T> struct Artifact
{
    std::optional<T> value;
    std::optional<Error> error;

    bool loaded() const { return value.has_value(); }
    bool missing() const { return !value && !error; }
};

// outcomes.json: one graded task of the batch (or of the selection pass).
struct TaskOutcome
{
    QString task;
    Outcome outcome;
    QString end;   // submitted, turn-limit, …; empty in the selection pass
    QString error; // the executor could not run (an LLM call failed)
};

struct IterationOutcomes
{
    int passed = 0;
    int total = 0;
    std::vector<TaskOutcome> outcomes;

    const TaskOutcome* find(const QString& task) const;
};

// proposal.json, as far as the inspector shows it.
struct ProposalInfo
{
    QStringList patterns;          // the patterns the patcher was given
    QStringList patternsAddressed; // the ones it says it addressed
    bool escalation = false;       // a structural move was due for one of them
    QString rationale;
    QString commit;
};

// decision.json: how the iteration ended.
struct DecisionInfo
{
    QString kind; // accepted, edited, rejected, no-change, failed, stopped
    QString by;   // auto, gate, user
    QString reason;
    std::optional<double> valBefore;
    std::optional<double> valAfter;
};

// What changed in the pattern record from one iteration to the next (the momentum view's
// highlights). Ids in record order.
struct MomentumChanges
{
    QStringList added;         // new patterns
    QStringList grew;          // appeared_in gained iterations
    QStringList gone;          // in the previous record, not in this one
    QStringList remedyChanged; // the last remedy differs

    bool isNew(const QString& id) const { return added.contains(id); }
    bool isChanged(const QString& id) const
    {
        return grew.contains(id) || remedyChanged.contains(id);
    }
    bool isEmpty() const
    {
        return added.isEmpty() && grew.isEmpty() && gone.isEmpty() && remedyChanged.isEmpty();
    }
};

// One iteration's artifacts (DESIGN.md 3), read from runs/<run>/iter-NNNN/ into value types. A
// damaged file becomes an error naming it, never an exception. Plain values and no QObject: it
// is meant to be loaded on a QtConcurrent thread and handed to the UI.
class IterationArtifacts
{
public:
    // Reads every file of `iteration` (trajectories stay on disk; see trajectory()). Fails only
    // when the run folder or the iteration's folder does not exist.
    static Result<IterationArtifacts> load(const QString& runDir, int iteration);
    // The iterations that have a folder in `runDir`, ascending (0 is the selection pass).
    static std::vector<int> iterations(const QString& runDir);
    // trajectories/<task>.json of `iteration`.
    static Result<Trajectory> trajectory(const QString& runDir, int iteration, const QString& task);
    // decision.json of `iteration` alone, for listing iterations with how they ended.
    static Artifact<DecisionInfo> readDecision(const QString& runDir, int iteration);
    // The run's scores are synthetic: run.json's config says "simulated", or a role is played by
    // the sim provider.
    static bool simulated(const QString& runDir);
    // "iter-0003".
    static QString folderName(int iteration);
    static MomentumChanges changesBetween(const PatternRecord& before, const PatternRecord& after);

    int iteration() const { return m_iteration; }
    const QString& runDir() const { return m_runDir; }
    QString folder() const; // the iteration's absolute folder
    bool isSimulated() const { return m_simulated; }
    // decision.json is written last: without it the iteration is still running (or was cut short).
    bool ended() const { return m_decision.loaded(); }

    const Artifact<QStringList>& batch() const { return m_batch; }
    const Artifact<IterationOutcomes>& outcomes() const { return m_outcomes; }
    const Artifact<std::vector<Diagnosis>>& diagnoses() const { return m_diagnoses; }
    const Artifact<PatternRecord>& patternRecord() const { return m_record; }
    const Artifact<Overlay>& overlay() const { return m_overlay; }
    const Artifact<ProposalInfo>& proposal() const { return m_proposal; }
    const Artifact<DecisionInfo>& decision() const { return m_decision; }
    // Tasks with a saved trajectory, in natural order.
    const QStringList& trajectoryTasks() const { return m_trajectoryTasks; }
    // Every damaged file's error, in file order.
    std::vector<Error> errors() const;

    // Patterns new, grown, gone or with a new remedy since `previous` (usually iteration - 1). A
    // record that is missing or damaged counts as empty.
    MomentumChanges changesSince(const IterationArtifacts& previous) const;

private:
    int m_iteration = 0;
    QString m_runDir;
    bool m_simulated = false;
    Artifact<QStringList> m_batch;
    Artifact<IterationOutcomes> m_outcomes;
    Artifact<std::vector<Diagnosis>> m_diagnoses;
    Artifact<PatternRecord> m_record;
    Artifact<Overlay> m_overlay;
    Artifact<ProposalInfo> m_proposal;
    Artifact<DecisionInfo> m_decision;
    QStringList m_trajectoryTasks;
};

} // namespace sg
