#include "MomentumWriter.h"

#include "RoleCall.h"
#include "agent/PromptLibrary.h"

#include <algorithm>

namespace sg {

namespace {

const QString kShape = QStringLiteral("{\"patterns\": [{\"id\", \"kind\", \"summary\", \"anchor\", \"appeared_in\", \"description\", "
                                      "\"latest_executor_action\", \"remedy_log\"}], \"overlay\": [{\"task\", \"signal\", \"pattern\", \"anchor\", "
                                      "\"gap\", \"proposed_change\"}], \"themes\": [\"at most 3\"]}");

} // namespace

nlohmann::json PatchNote::toJson() const
{
    nlohmann::json ids = nlohmann::json::array();
    for (const QString& id : patternsAddressed)
        ids.push_back(id.toStdString());
    return {{"patch", {{"iteration", iteration}, {"rationale", rationale.toStdString()}, {"patterns_addressed", ids}, {"accepted", accepted}}}};
}

MomentumWriter::MomentumWriter(LlmClient& client, const PromptLibrary& prompts, QString model, QObject* parent)
    : QObject(parent), m_client(client), m_prompts(prompts), m_model(std::move(model))
{
}

PatternRecord MomentumWriter::merge(const PatternRecord& previous, const PatternRecord& proposed, int iteration)
{
    PatternRecord out;
    for (const Pattern& p : proposed.patterns) {
        Pattern merged = p;
        if (const Pattern* old = previous.find(p.id)) {
            for (int i : old->appearedIn)
                merged.appearedIn.push_back(i);
            // The remedy log keeps every earlier entry; new ones are appended.
            std::vector<Pattern::Remedy> log = old->remedyLog;
            for (const Pattern::Remedy& r : p.remedyLog) {
                const bool known = std::any_of(log.begin(), log.end(), [&r](const Pattern::Remedy& o) { return o.iteration == r.iteration && o.patch == r.patch; });
                if (!known)
                    log.push_back(r);
            }
            merged.remedyLog = log;
            if (merged.anchor.isEmpty())
                merged.anchor = old->anchor;
            if (merged.summary.isEmpty())
                merged.summary = old->summary;
        }
        std::sort(merged.appearedIn.begin(), merged.appearedIn.end());
        merged.appearedIn.erase(std::unique(merged.appearedIn.begin(), merged.appearedIn.end()), merged.appearedIn.end());
        merged.appearedIn.erase(std::remove_if(merged.appearedIn.begin(), merged.appearedIn.end(), [iteration](int i) { return i > iteration || i < 1; }),
                                merged.appearedIn.end());
        out.patterns.push_back(merged);
    }
    for (const Pattern& old : previous.patterns) {
        if (!out.find(old.id))
            out.patterns.push_back(old); // a pattern the model left out is not forgotten
    }
    return out;
}

void MomentumWriter::update(const PatternRecord& previous, const std::vector<Diagnosis>& diagnoses, int iteration,
                            const std::optional<PatchNote>& patch, Done done)
{
    const QString note = patch ? QStringLiteral("The patch of iteration %1 (record it in the remedy log of the patterns it addressed):\n```json\n%2\n```")
                                     .arg(patch->iteration)
                                     .arg(QString::fromStdString(patch->toJson().dump(2)))
                               : QStringLiteral("No patch has been applied since the last update.");
    auto system = m_prompts.render(QStringLiteral("momentum-system.md"), {});
    auto user = m_prompts.render(QStringLiteral("momentum-task.md"),
                                 {{QStringLiteral("iteration"), QString::number(iteration)},
                                  {QStringLiteral("pattern_record"), QString::fromStdString(previous.toJson().dump(2))},
                                  {QStringLiteral("diagnoses"), QString::fromStdString(Diagnosis::listJson(diagnoses).dump(2))},
                                  {QStringLiteral("patch_note"), note}});
    if (!system || !user) {
        done((!system ? system : user).error());
        return;
    }
    LlmRequest request;
    request.role = QStringLiteral("momentum");
    request.model = m_model;
    request.messages = {LlmMessage::system(system.value()), LlmMessage::user(user.value())};
    request.sampling.maxTokens = 4000;
    request.context = {QString(), QStringLiteral("momentum"), iteration};
    auto* call = new RoleCall(m_client, request, kShape, [](const nlohmann::json& j) {
        if (!j.contains("patterns") || !j.at("patterns").is_array())
            return QStringLiteral("\"patterns\" must be a list");
        return QString();
    }, this);
    call->start([call, done, previous, iteration](Result<nlohmann::json> json, QString) {
        call->deleteLater();
        if (!json) {
            done(json.error());
            return;
        }
        Output out;
        out.record = merge(previous, PatternRecord::fromJson(json.value()), iteration);
        out.overlay = Overlay::fromJson(json.value(), iteration);
        done(out);
    });
}

} // namespace sg
