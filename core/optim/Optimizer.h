#pragma once

#include "RunContext.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace sg {

class Evaluation;
class IterationRunner;

// How a run ended, for the CLI table, `--json` and the report.
struct RunSummary
{
    QString run;
    QString status; // completed, stopped, failed, cancelled
    QString stopReason;
    bool simulated = false;
    double initialVal = 0;
    double finalVal = 0;
    std::optional<double> initialTest;
    std::optional<double> finalTest;
    int trainingTasks = 0;
    std::vector<IterationSummary> iterations;
    QString error;
    QString budgetStop; // which budget stopped the run, when one did

    nlohmann::json toJson() const;
};

// One optimisation run (DESIGN.md 4): the selection pass (iter-0000) picks the training set,
// val (and test) are scored for the seed, seeded minibatches run iteration after iteration until
// a stop rule holds, and test is scored again at the end. Asynchronous, on the calling thread's
// event loop; the CLI and the Studio's worker drive it the same way.
class Optimizer : public QObject
{
    Q_OBJECT
public:
    Optimizer(Workspace& workspace, LlmSession& session, RunStore& store, const TaskStore& tasks, OptimizerOptions options,
              QObject* parent = nullptr);
    ~Optimizer() override;

    // Starts the run; for a resumed one, set `replay` first (see Replay).
    void setReplay(const Replay& replay) { m_ctx.replay = replay; }
    // Who decides under the review gate (the CLI's prompt, the Studio's proposal view).
    void setReviewer(Reviewer reviewer) { m_ctx.reviewer = std::move(reviewer); }
    void start();
    // Finishes the current iteration, then stops cleanly.
    void requestStop();
    // Stops now: calls in flight are cancelled, the iteration is recorded as failed.
    void cancel();
    // Holds the run once the current iteration has ended, until resume() or step(); a stop or a
    // cancel while held ends the run as usual.
    void pause();
    void resume();
    // Runs one more iteration, then holds again (while an iteration runs: holds after it).
    void step();
    bool isHeld() const { return m_held; }
    const RunSummary& summary() const { return m_summary; }

    // The seeded minibatches of a training set (DESIGN.md 4.1): each epoch a fresh shuffle,
    // split into batches of `size`.
    static std::vector<std::vector<QString>> batches(const QStringList& training, int size, int epochs, quint64 seed);

Q_SIGNALS:
    void stage(const QString& description);
    void iterationFinished(const sg::IterationSummary& summary);
    void finished();
    // The run holds between iterations (after pause() or step()), and goes on again.
    void held(int nextIteration);
    void released();

private:
    void selectionPass();
    void scoreSeed();
    void scoreTest(bool atEnd, std::function<void(std::optional<double>)> then);
    void nextIteration();
    void end(const QString& status, const QString& reason);
    void event(const QString& type, const nlohmann::json& fields = nlohmann::json::object());

    RunContext m_ctx;
    RunSummary m_summary;
    std::vector<std::vector<QString>> m_batches;
    std::size_t m_nextBatch = 0;
    int m_passingStreak = 0;
    IterationRunner* m_current = nullptr;
    Evaluation* m_evaluation = nullptr;
    bool m_cancelled = false;
    bool m_ended = false;
    bool m_pauseRequested = false;
    bool m_held = false;
    int m_steps = 0; // iterations step() lets through before holding again
};

} // namespace sg
