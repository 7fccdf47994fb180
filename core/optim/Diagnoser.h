#pragma once

#include "Diagnosis.h"
#include "agent/Trajectory.h"
#include "common/Result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace sg {

class LlmClient;
class PromptLibrary;
struct Task;

// The backward step (DESIGN.md 4.4): a failed task goes to the failure diagnoser; a task that
// passes now but failed earlier in the run goes to the contrastive diagnoser with its most recent
// failed trajectory. Each answers a general label and prose, never an edit.
class Diagnoser : public QObject
{
    Q_OBJECT
public:
    struct Job
    {
        const Task* task = nullptr;
        Trajectory current;
        std::optional<Trajectory> earlierFailure; // set: contrastive
        int iteration = 0;
    };
    using Done = std::function<void(Result<Diagnosis>)>;

    Diagnoser(LlmClient& client, const PromptLibrary& prompts, QString failureModel, QString contrastiveModel, QObject* parent = nullptr);
    void diagnose(const Job& job, Done done);

    // A trajectory as the diagnosers read it: the turns, tool calls and results, clipped.
    static QString renderTrajectory(const Trajectory& trajectory, int maxChars = 8000);
    static QString renderTask(const Task& task);

private:
    LlmClient& m_client;
    const PromptLibrary& m_prompts;
    QString m_failureModel;
    QString m_contrastiveModel;
};

} // namespace sg
