#include "AnthropicProvider.h"

#include "LlmErrors.h"

namespace sg {

namespace {

std::string s(const QString& q)
{
    return q.toStdString();
}

QString str(const nlohmann::json& j, const char* key)
{
    if (!j.is_object() || !j.contains(key) || !j.at(key).is_string())
        return {};
    return QString::fromStdString(j.at(key).get<std::string>());
}

// Text blocks must not be empty (API-NOTES.md).
nlohmann::json textBlock(const QString& text)
{
    return {{"type", "text"}, {"text", text.isEmpty() ? std::string("(empty)") : s(text)}};
}

} // namespace

AnthropicProvider::AnthropicProvider(ProviderSettings settings, QObject* parent) : HttpProvider(std::move(settings), parent)
{
    if (m_settings.baseUrl.isEmpty())
        m_settings.baseUrl = defaultBaseUrl();
}

QUrl AnthropicProvider::url() const
{
    QString base = m_settings.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + QStringLiteral("/v1/messages"));
}

void AnthropicProvider::addHeaders(QNetworkRequest& request) const
{
    if (!m_settings.apiKey.isEmpty())
        request.setRawHeader("x-api-key", m_settings.apiKey.toUtf8());
    request.setRawHeader("anthropic-version", kApiVersion);
}

nlohmann::json AnthropicProvider::encode(const LlmRequest& request) const
{
    // The system prompt is a top-level field; roles alternate user/assistant starting with user;
    // the results of one turn's tool calls go together in one user message.
    QStringList system;
    nlohmann::json messages = nlohmann::json::array();
    const auto append = [&messages](const char* role, nlohmann::json block) {
        if (!messages.empty() && messages.back()["role"] == role)
            messages.back()["content"].push_back(std::move(block));
        else
            messages.push_back({{"role", role}, {"content", nlohmann::json::array({std::move(block)})}});
    };
    for (const LlmMessage& m : request.messages) {
        switch (m.role) {
        case LlmMessage::Role::System:
            system << m.content;
            break;
        case LlmMessage::Role::User:
            append("user", textBlock(m.content));
            break;
        case LlmMessage::Role::Tool:
            append("user", {{"type", "tool_result"}, {"tool_use_id", s(m.toolCallId)}, {"content", s(m.content)}, {"is_error", m.isError}});
            break;
        case LlmMessage::Role::Assistant:
            if (!m.content.isEmpty() || m.toolCalls.empty())
                append("assistant", textBlock(m.content));
            for (const ToolCall& call : m.toolCalls)
                append("assistant", {{"type", "tool_use"}, {"id", s(call.id)}, {"name", s(call.name)},
                                     {"input", call.argumentsValid ? call.arguments : nlohmann::json::object()}});
            break;
        }
    }
    if (messages.empty() || messages.front()["role"] != "user")
        messages.insert(messages.begin(), {{"role", "user"}, {"content", nlohmann::json::array({textBlock(QStringLiteral("Begin."))})}});

    nlohmann::json body{{"model", s(request.model)}, {"max_tokens", request.sampling.maxTokens}, {"messages", messages}};
    if (!system.isEmpty())
        body["system"] = s(system.join(QStringLiteral("\n\n")));
    if (request.sampling.temperature)
        body["temperature"] = *request.sampling.temperature;
    if (request.sampling.topP)
        body["top_p"] = *request.sampling.topP;
    if (!request.tools.empty()) {
        body["tools"] = nlohmann::json::array();
        for (const ToolDefinition& t : request.tools)
            body["tools"].push_back({{"name", s(t.name)}, {"description", s(t.description)}, {"input_schema", t.parameters}});
    }
    return body;
}

Result<LlmResponse> AnthropicProvider::decode(const nlohmann::json& body) const
{
    if (!body.is_object() || !body.contains("content") || !body.at("content").is_array())
        return LlmErrors::make(LlmErrors::kInvalidResponse, QStringLiteral("the answer has no content blocks"), endpoint());
    LlmResponse out;
    QStringList texts;
    for (const auto& block : body.at("content")) {
        const QString type = str(block, "type");
        if (type == QLatin1String("text")) {
            texts << str(block, "text");
        } else if (type == QLatin1String("tool_use")) {
            ToolCall call;
            call.id = str(block, "id");
            call.name = str(block, "name");
            const nlohmann::json input = block.value("input", nlohmann::json::object());
            call.argumentsValid = input.is_object();
            call.arguments = input.is_object() ? input : nlohmann::json::object();
            call.rawArguments = QString::fromStdString(input.dump());
            out.toolCalls.push_back(call);
        }
    }
    out.content = texts.join(QString());
    out.model = str(body, "model");
    if (body.contains("usage") && body.at("usage").is_object()) {
        const nlohmann::json& usage = body.at("usage");
        out.usage.inputTokens = usage.value("input_tokens", qint64(0));
        out.usage.outputTokens = usage.value("output_tokens", qint64(0));
    }
    const QString stop = str(body, "stop_reason");
    if (stop == QLatin1String("max_tokens"))
        return LlmErrors::make(LlmErrors::kLength, QStringLiteral("the model stopped at max_tokens before finishing"), endpoint());
    if (stop == QLatin1String("refusal"))
        return LlmErrors::make(LlmErrors::kContentFilter, QStringLiteral("the model refused to answer"), endpoint());
    out.finish = !out.toolCalls.empty() ? FinishReason::ToolCalls
               : (stop.isEmpty() || stop == QLatin1String("end_turn") || stop == QLatin1String("stop_sequence")) ? FinishReason::Stop
                                                                                                                  : FinishReason::Other;
    return out;
}

QString AnthropicProvider::errorMessage(const nlohmann::json& body) const
{
    if (body.is_object() && body.contains("error")) {
        const nlohmann::json& error = body.at("error");
        const QString type = str(error, "type");
        const QString message = str(error, "message");
        return type.isEmpty() ? message : QStringLiteral("%1: %2").arg(type, message);
    }
    return str(body, "message");
}

} // namespace sg
