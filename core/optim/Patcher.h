#pragma once

#include "PatchTools.h"
#include "common/Result.h"
#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"

#include <nlohmann/json.hpp>

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace sg {

class LlmClient;
class PromptLibrary;

// What the patcher said it did.
struct PatchSummary
{
    QString rationale;
    QStringList patternsAddressed;
    int edits = 0;
    int turns = 0;
    nlohmann::json toJson() const;
};

// The update step (DESIGN.md 4.6): the patcher model edits iter-NNNN/scratch/ with PatchTools in
// a tool loop until it calls finish; its summary ends with a JSON block, read leniently with one
// repair request. After the caps are checked, repair() continues the same conversation once with
// the violations.
class Patcher : public QObject
{
    Q_OBJECT
public:
    struct Setup
    {
        QString scratchDir;
        QString model;
        QString skillName;
        int iteration = 0;
        int changedLineCap = 40;
        int descriptionWordCap = 50;
        bool allowScripts = false;
        int turnLimit = 24;
    };
    using Done = std::function<void(Result<PatchSummary>)>;

    Patcher(LlmClient& client, const PromptLibrary& prompts, Setup setup, QObject* parent = nullptr);

    // `work` is the JSON the task prompt carries: patterns to address, overlay, themes, diagnoses.
    void start(const nlohmann::json& work, Done done);
    void repair(const QString& violations, Done done);
    const std::vector<LlmMessage>& conversation() const { return m_messages; }

private:
    void ask();
    void onReply(Result<LlmResponse> reply);
    void concludeWith(const QString& summaryText);

    LlmClient& m_client;
    const PromptLibrary& m_prompts;
    Setup m_setup;
    PatchTools m_tools;
    std::vector<LlmMessage> m_messages;
    Done m_done;
    int m_turns = 0;
    int m_turnsThisRound = 0;
    bool m_summaryRepaired = false;
    bool m_nudged = false;
};

} // namespace sg
