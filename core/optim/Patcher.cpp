#include "Patcher.h"

#include "StructuredAnswer.h"
#include "agent/PromptLibrary.h"
#include "llm/LlmClient.h"
#include "llm/LlmErrors.h"

#include <QPointer>

namespace sg {

namespace {

const QString kShape = QStringLiteral("{\"rationale\": \"what you changed and why\", \"patterns_addressed\": [\"pattern ids\"]}");

} // namespace

nlohmann::json PatchSummary::toJson() const
{
    nlohmann::json ids = nlohmann::json::array();
    for (const QString& id : patternsAddressed)
        ids.push_back(id.toStdString());
    return {{"rationale", rationale.toStdString()}, {"patterns_addressed", ids}, {"edits", edits}, {"turns", turns}};
}

Patcher::Patcher(LlmClient& client, const PromptLibrary& prompts, Setup setup, QObject* parent)
    : QObject(parent), m_client(client), m_prompts(prompts), m_setup(std::move(setup)), m_tools(m_setup.scratchDir, m_setup.allowScripts)
{
}

void Patcher::start(const nlohmann::json& work, Done done)
{
    m_done = std::move(done);
    auto system = m_prompts.render(QStringLiteral("patcher-system.md"),
                                   {{QStringLiteral("description_words"), QString::number(m_setup.descriptionWordCap)},
                                    {QStringLiteral("changed_lines"), QString::number(m_setup.changedLineCap)}});
    auto user = m_prompts.render(QStringLiteral("patcher-task.md"), {{QStringLiteral("iteration"), QString::number(m_setup.iteration)},
                                                                     {QStringLiteral("skill_name"), m_setup.skillName},
                                                                     {QStringLiteral("work"), QString::fromStdString(work.dump(2))}});
    if (!system || !user) {
        m_done((!system ? system : user).error());
        return;
    }
    m_messages = {LlmMessage::system(system.value()), LlmMessage::user(user.value())};
    m_turnsThisRound = 0;
    ask();
}

void Patcher::repair(const QString& violations, Done done)
{
    m_done = std::move(done);
    auto text = m_prompts.render(QStringLiteral("patcher-repair.md"), {{QStringLiteral("violations"), violations}});
    if (!text) {
        m_done(text.error());
        return;
    }
    m_tools.reopen();
    m_summaryRepaired = false;
    m_nudged = false;
    m_turnsThisRound = 0;
    m_messages.push_back(LlmMessage::user(text.value()));
    ask();
}

void Patcher::ask()
{
    if (m_turnsThisRound >= m_setup.turnLimit) {
        m_done(Error{QStringLiteral("the patcher used all %1 turns without calling finish").arg(m_setup.turnLimit),
                     QStringLiteral("a stronger patcher model may help (--optimizer-model)"), {}, QStringLiteral("turn-limit")});
        return;
    }
    ++m_turns;
    ++m_turnsThisRound;
    LlmRequest request;
    request.role = QStringLiteral("patcher");
    request.model = m_setup.model;
    request.messages = m_messages;
    request.tools = PatchTools::definitions();
    request.sampling.maxTokens = 4000;
    request.context = {QString(), QStringLiteral("patcher"), m_setup.iteration};
    QPointer<Patcher> self(this);
    m_client.send(std::move(request), [self](Result<LlmResponse> reply) {
        if (self)
            self->onReply(std::move(reply));
    });
}

void Patcher::onReply(Result<LlmResponse> reply)
{
    if (!reply) {
        m_done(reply.error());
        return;
    }
    m_messages.push_back(LlmMessage::assistant(reply->content, reply->toolCalls));
    if (reply->toolCalls.empty()) {
        // A patcher that stops talking without finish: its text is its summary when it has one.
        if (StructuredAnswer::extract(reply->content)) {
            concludeWith(reply->content);
            return;
        }
        if (m_nudged) {
            m_done(Error{QStringLiteral("the patcher stopped without calling finish"), QStringLiteral("a stronger patcher model may help"), {},
                         LlmErrors::kInvalidResponse});
            return;
        }
        m_nudged = true;
        m_messages.push_back(LlmMessage::user(QStringLiteral("Continue with your tools, and call finish when you are done.")));
        ask();
        return;
    }
    for (const ToolCall& call : reply->toolCalls) {
        const ToolOutput out = m_tools.run(call);
        m_messages.push_back(LlmMessage::toolResult(call, out.text, !out.ok));
    }
    if (m_tools.finished()) {
        concludeWith(m_tools.summary());
        return;
    }
    ask();
}

void Patcher::concludeWith(const QString& summaryText)
{
    auto json = StructuredAnswer::extract(summaryText);
    if (!json) {
        if (m_summaryRepaired) {
            m_done(Error{QStringLiteral("the patcher's summary could not be read, even after a repair request: %1").arg(json.error().message),
                         QStringLiteral("a stronger patcher model may help"), {}, LlmErrors::kInvalidResponse});
            return;
        }
        m_summaryRepaired = true;
        m_tools.reopen();
        m_messages.push_back(LlmMessage::user(StructuredAnswer::repairRequest(json.error().message, kShape) +
                                              QStringLiteral("\nCall finish again with that summary.")));
        ask();
        return;
    }
    PatchSummary summary;
    summary.rationale = QString::fromStdString(json->value("rationale", std::string()));
    if (json->contains("patterns_addressed") && json->at("patterns_addressed").is_array())
        for (const auto& id : json->at("patterns_addressed"))
            if (id.is_string())
                summary.patternsAddressed << QString::fromStdString(id.get<std::string>());
    summary.edits = m_tools.edits();
    summary.turns = m_turns;
    m_done(summary);
}

} // namespace sg
