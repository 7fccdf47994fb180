#include "LlmRequest.h"

namespace sg {

namespace {

std::string s(const QString& q)
{
    return q.toStdString();
}

nlohmann::json toolCallJson(const ToolCall& call)
{
    return {{"id", s(call.id)}, {"name", s(call.name)}, {"arguments", call.argumentsValid ? call.arguments : nlohmann::json(s(call.rawArguments))}};
}

} // namespace

QString LlmMessage::roleName(Role role)
{
    switch (role) {
    case Role::System:
        return QStringLiteral("system");
    case Role::User:
        return QStringLiteral("user");
    case Role::Assistant:
        return QStringLiteral("assistant");
    case Role::Tool:
        break;
    }
    return QStringLiteral("tool");
}

nlohmann::json LlmRequest::canonicalJson() const
{
    nlohmann::json messagesJson = nlohmann::json::array();
    for (const LlmMessage& m : messages) {
        nlohmann::json j{{"role", s(LlmMessage::roleName(m.role))}, {"content", s(m.content)}};
        if (!m.toolCalls.empty()) {
            j["tool_calls"] = nlohmann::json::array();
            for (const ToolCall& call : m.toolCalls)
                j["tool_calls"].push_back(toolCallJson(call));
        }
        if (m.role == LlmMessage::Role::Tool) {
            j["tool_call_id"] = s(m.toolCallId);
            j["tool_name"] = s(m.toolName);
            j["is_error"] = m.isError;
        }
        messagesJson.push_back(j);
    }
    nlohmann::json toolsJson = nlohmann::json::array();
    for (const ToolDefinition& t : tools)
        toolsJson.push_back({{"name", s(t.name)}, {"description", s(t.description)}, {"parameters", t.parameters}});
    nlohmann::json samplingJson{{"max_tokens", sampling.maxTokens}};
    if (sampling.temperature)
        samplingJson["temperature"] = *sampling.temperature;
    if (sampling.topP)
        samplingJson["top_p"] = *sampling.topP;
    if (sampling.seed)
        samplingJson["seed"] = *sampling.seed;
    // nlohmann's default object is a std::map: keys come out sorted, so the dump is canonical.
    return {{"model", s(model)}, {"role", s(role)}, {"sample", sampleIndex}, {"messages", messagesJson}, {"tools", toolsJson},
            {"sampling", samplingJson}};
}

qint64 LlmRequest::estimatedInputTokens() const
{
    // About four characters a token for English prose and code; good enough to pace requests.
    qint64 chars = 0;
    for (const LlmMessage& m : messages) {
        chars += m.content.size() + 16;
        for (const ToolCall& call : m.toolCalls)
            chars += call.name.size() + qint64(call.arguments.dump().size());
    }
    for (const ToolDefinition& t : tools)
        chars += t.name.size() + t.description.size() + qint64(t.parameters.dump().size());
    return chars / 4 + 1;
}

} // namespace sg
