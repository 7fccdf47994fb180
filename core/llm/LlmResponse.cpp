#include "LlmResponse.h"

namespace sg {

QString finishReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::Stop:
        return QStringLiteral("stop");
    case FinishReason::ToolCalls:
        return QStringLiteral("tool_calls");
    case FinishReason::Length:
        return QStringLiteral("length");
    case FinishReason::ContentFilter:
        return QStringLiteral("content_filter");
    case FinishReason::Other:
        break;
    }
    return QStringLiteral("other");
}

nlohmann::json LlmResponse::toJson() const
{
    nlohmann::json calls = nlohmann::json::array();
    for (const ToolCall& c : toolCalls)
        calls.push_back({{"id", c.id.toStdString()},
                         {"name", c.name.toStdString()},
                         {"arguments", c.arguments},
                         {"raw_arguments", c.rawArguments.toStdString()},
                         {"arguments_valid", c.argumentsValid}});
    return {{"content", content.toStdString()},
            {"tool_calls", calls},
            {"usage", {{"input_tokens", usage.inputTokens}, {"output_tokens", usage.outputTokens}}},
            {"finish", finishReasonName(finish).toStdString()},
            {"model", model.toStdString()}};
}

std::optional<LlmResponse> LlmResponse::fromJson(const nlohmann::json& j)
{
    try {
        LlmResponse r;
        r.content = QString::fromStdString(j.at("content").get<std::string>());
        for (const auto& c : j.at("tool_calls")) {
            ToolCall call;
            call.id = QString::fromStdString(c.at("id").get<std::string>());
            call.name = QString::fromStdString(c.at("name").get<std::string>());
            call.arguments = c.at("arguments");
            call.rawArguments = QString::fromStdString(c.value("raw_arguments", std::string()));
            call.argumentsValid = c.value("arguments_valid", true);
            r.toolCalls.push_back(call);
        }
        r.usage.inputTokens = j.at("usage").at("input_tokens").get<qint64>();
        r.usage.outputTokens = j.at("usage").at("output_tokens").get<qint64>();
        const std::string finish = j.at("finish").get<std::string>();
        r.finish = finish == "stop" ? FinishReason::Stop : finish == "tool_calls" ? FinishReason::ToolCalls : FinishReason::Other;
        r.model = QString::fromStdString(j.value("model", std::string()));
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt; // a damaged entry is a miss, never a crash
    }
}

} // namespace sg
