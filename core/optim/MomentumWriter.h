#pragma once

#include "Diagnosis.h"
#include "PatternRecord.h"
#include "common/Result.h"

#include <QObject>

#include <functional>
#include <optional>

namespace sg {

class LlmClient;
class PromptLibrary;

// What a patch changed, for the remedy log: the momentum writer of the next iteration (or of
// iteration 1, which runs after its patch) records it against the patterns it addressed.
struct PatchNote
{
    int iteration = 0;
    QString rationale;
    QStringList patternsAddressed;
    bool accepted = false;
    nlohmann::json toJson() const;
};

// The momentum writer (DESIGN.md 4.5): merges this iteration's diagnoses into M_t and writes the
// overlay O_t. Merging is kept safe whatever the model answers: patterns it leaves out are kept,
// appeared_in and the remedy log only grow, and there are at most three themes.
class MomentumWriter : public QObject
{
    Q_OBJECT
public:
    struct Output
    {
        PatternRecord record;
        Overlay overlay;
    };
    using Done = std::function<void(Result<Output>)>;

    MomentumWriter(LlmClient& client, const PromptLibrary& prompts, QString model, QObject* parent = nullptr);
    void update(const PatternRecord& previous, const std::vector<Diagnosis>& diagnoses, int iteration,
                const std::optional<PatchNote>& patch, Done done);

    // The safe merge of the model's record into the previous one.
    static PatternRecord merge(const PatternRecord& previous, const PatternRecord& proposed, int iteration);

private:
    LlmClient& m_client;
    const PromptLibrary& m_prompts;
    QString m_model;
};

} // namespace sg
