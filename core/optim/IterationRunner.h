#pragma once

#include "CapChecker.h"
#include "Diagnosis.h"
#include "Patcher.h"
#include "Review.h"
#include "RunContext.h"
#include "common/Result.h"
#include "history/GitRepo.h"
#include "history/Version.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace sg {

class Evaluation;

// One iteration of the loop (DESIGN.md 4.2–4.7): forward on the batch, assess, diagnose each
// failure (and each newly passing task, contrastively) as soon as its task ends, update the
// momentum memory (after the patch in iteration 1, before it from iteration 2 on), patch a
// scratch copy, check the caps (one repair round), commit the proposal, gate it, and accept it
// as a new main commit or record the rejection. Any step that fails leaves the skill untouched.
class IterationRunner : public QObject
{
    Q_OBJECT
public:
    IterationRunner(RunContext& context, int iteration, std::vector<const Task*> batch, QObject* parent = nullptr);
    ~IterationRunner() override;

    void start();
    void cancel();
    const IterationSummary& summary() const { return m_summary; }

    // An error that means the provider cannot be reached or refuses: the run cannot go on.
    static bool isFatal(const Error& error);

Q_SIGNALS:
    void stage(const QString& description);
    void finished();

private:
    void onTaskDone(const Trajectory& trajectory, const TaskResult& result);
    void maybeDiagnosed();
    void afterDiagnoses();
    void updateMomentum(std::optional<PatchNote> note, std::function<void()> then);
    void patch();
    void onPatched(Result<PatchSummary> summary);
    void propose(const SkillPackage& after, const CapReport& caps);
    void gate();
    void decide(bool accept, const QString& by, const QString& reason, std::optional<std::vector<TreeFile>> edited = std::nullopt);
    CapContext capContext() const;
    // The review gate: asks m_ctx.reviewer and waits for its Decision (DESIGN.md 4.7).
    void review(std::vector<TreeFile> candidate, bool edited, const CapReport& caps);
    void onDecision(const Decision& decision, const std::vector<TreeFile>& candidate, bool edited);
    void finish(const QString& decision, const QString& reason);
    void fail(const Error& error, const QString& step);
    // Ends the iteration as "stopped" when a budget is reached (checked before each step).
    bool stoppedByBudget();
    // What a resumed run made before the kill: this iteration's proposal (when it holds `files`)
    // and its acceptance on main.
    std::optional<Version> recordedProposal(const std::vector<TreeFile>& files) const;
    std::optional<Version> recordedAcceptance() const;
    nlohmann::json work() const;
    QString dir(const QString& name = {}) const;
    void event(const QString& type, nlohmann::json fields = nlohmann::json::object());

    RunContext& m_ctx;
    int m_iteration;
    std::vector<const Task*> m_batch;
    IterationSummary m_summary;

    Evaluation* m_forward = nullptr;
    Evaluation* m_validation = nullptr;
    bool m_forwardDone = false;
    int m_pendingDiagnoses = 0;
    std::vector<Diagnosis> m_diagnoses;
    std::optional<Error> m_diagnosisError;
    std::map<QString, Trajectory> m_newFailures;
    nlohmann::json m_outcomes = nlohmann::json::array();
    std::vector<QString> m_addressed; // pattern ids handed to the patcher
    bool m_escalate = false;

    std::unique_ptr<Patcher> m_patcher;
    std::optional<PatchSummary> m_patchSummary;
    bool m_repaired = false;
    std::optional<SkillPackage> m_proposalSkill;
    QString m_proposalSha;
    CapReport m_proposalCaps;
    std::optional<double> m_proposalVal;
    bool m_done = false;
};

} // namespace sg
