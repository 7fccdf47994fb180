#include "Trajectory.h"

namespace sg {

namespace {

std::string s(const QString& q)
{
    return q.toStdString();
}

} // namespace

qint64 Trajectory::inputTokens() const
{
    qint64 n = 0;
    for (const Turn& t : turns)
        n += t.inputTokens;
    return n;
}

qint64 Trajectory::outputTokens() const
{
    qint64 n = 0;
    for (const Turn& t : turns)
        n += t.outputTokens;
    return n;
}

QString Trajectory::endName(End end)
{
    switch (end) {
    case End::Submitted:
        return QStringLiteral("submitted");
    case End::TurnLimit:
        return QStringLiteral("turn-limit");
    case End::NoAnswer:
        return QStringLiteral("no-answer");
    case End::Error:
        return QStringLiteral("error");
    case End::Cancelled:
        break;
    }
    return QStringLiteral("cancelled");
}

nlohmann::json Trajectory::toJson() const
{
    nlohmann::json messagesJson = nlohmann::json::array();
    for (const LlmMessage& m : messages) {
        nlohmann::json j{{"role", s(LlmMessage::roleName(m.role))}, {"content", s(m.content)}};
        if (!m.toolCalls.empty()) {
            j["tool_calls"] = nlohmann::json::array();
            for (const ToolCall& c : m.toolCalls)
                j["tool_calls"].push_back({{"id", s(c.id)}, {"name", s(c.name)},
                                           {"arguments", c.argumentsValid ? c.arguments : nlohmann::json(s(c.rawArguments))}});
        }
        if (m.role == LlmMessage::Role::Tool) {
            j["tool_call_id"] = s(m.toolCallId);
            j["name"] = s(m.toolName);
            if (m.isError)
                j["is_error"] = true;
        }
        messagesJson.push_back(j);
    }
    nlohmann::json turnsJson = nlohmann::json::array();
    for (const Turn& t : turns) {
        nlohmann::json tools = nlohmann::json::array();
        for (const ToolStep& step : t.tools)
            tools.push_back({{"name", s(step.name)}, {"arguments", step.arguments}, {"ok", step.ok}, {"ms", step.ms}});
        turnsJson.push_back({{"started_ms", t.startedMs},
                             {"ended_ms", t.endedMs},
                             {"input_tokens", t.inputTokens},
                             {"output_tokens", t.outputTokens},
                             {"cached", t.cached},
                             {"tools", tools}});
    }
    nlohmann::json answerJson = nlohmann::json::array();
    for (const QString& a : answer)
        answerJson.push_back(s(a));
    nlohmann::json refs = nlohmann::json::array();
    for (const QString& r : referencesRead)
        refs.push_back(s(r));
    return {{"task", s(taskId)},
            {"model", s(model)},
            {"end", s(endName(end))},
            {"error", error.isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(s(error))},
            {"answer", answered ? answerJson : nlohmann::json(nullptr)},
            {"outcome", {{"passed", outcome.passed}, {"score", outcome.score}, {"evidence", s(outcome.evidence)}}},
            {"activated_skill", activated},
            {"references_read", refs},
            {"tokens", {{"input", inputTokens()}, {"output", outputTokens()}}},
            {"wall_ms", wallMs},
            {"turns", turnsJson},
            {"messages", messagesJson}};
}

} // namespace sg
