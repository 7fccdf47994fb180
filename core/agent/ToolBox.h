#pragma once

#include "common/Result.h"
#include "llm/LlmRequest.h"
#include "sandbox/SandboxLimits.h"
#include "skill/SkillPackage.h"
#include "tasks/Task.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace sg {

class ProcessGate;
class Sandbox;
class TableDatabase;

// What one tool call gave back: the text the model sees, whether it worked, and for
// submit_answer the answer.
struct ToolOutput
{
    QString text;
    bool ok = true;
    bool submitted = false;
    QStringList answer;
};

// The executor's tools for one task (DESIGN.md 4.2). The skill is read-only and only reachable
// through activate_skill and read_reference; files live in the task's scratch folder, which
// python sees as /task; sql runs read-only over the task's tables. Every path from the model is
// resolved and must stay inside its root.
class ToolBox : public QObject
{
    Q_OBJECT
public:
    struct Setup
    {
        const Task* task = nullptr;
        QString tasksRoot;   // the folder the task's files are relative to
        const SkillPackage* skill = nullptr;
        QString scratchDir;  // created and filled with the task's files
        SandboxLimits sandbox;
        ProcessGate* gate = nullptr; // optional: caps concurrent python processes
    };

    static constexpr qint64 kMaxReadBytes = 256 * 1024;
    static constexpr qint64 kMaxWriteBytes = 1024 * 1024;
    static constexpr int kMaxOutputChars = 8000;

    static std::vector<ToolDefinition> definitions();
    static Result<std::unique_ptr<ToolBox>> create(const Setup& setup);
    ~ToolBox() override;

    // The task's data as the prompt describes it: tables and files under /task.
    QString dataDescription() const;

    // `done` runs once, through the event loop (python may take a while).
    void run(const ToolCall& call, std::function<void(ToolOutput)> done);
    void cancel();

    bool activated() const { return m_activated; }
    QStringList referencesRead() const { return m_referencesRead; }

private:
    explicit ToolBox(const Setup& setup);
    ToolOutput activateSkill();
    ToolOutput readReference(const nlohmann::json& args);
    ToolOutput readFile(const nlohmann::json& args);
    ToolOutput writeFile(const nlohmann::json& args);
    ToolOutput sql(const nlohmann::json& args);
    ToolOutput submit(const nlohmann::json& args);
    void python(const nlohmann::json& args, std::function<void(ToolOutput)> done);
    // A model's path ("x.csv", "/task/x.csv") inside the scratch folder, or an error text.
    Result<QString> scratchPath(const QString& path) const;

    Setup m_setup;
    std::unique_ptr<TableDatabase> m_tables;
    QStringList m_files; // under /task
    bool m_activated = false;
    QStringList m_referencesRead;
    QPointer<Sandbox> m_sandbox;
    bool m_cancelled = false;
};

} // namespace sg
