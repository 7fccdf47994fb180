#include "OpenAiProvider.h"

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

qint64 integer(const nlohmann::json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j.at(key).is_number_integer() ? j.at(key).get<qint64>() : 0;
}

ToolCall parseToolCall(const nlohmann::json& j)
{
    ToolCall call;
    call.id = str(j, "id");
    const nlohmann::json function = j.value("function", nlohmann::json::object());
    call.name = str(function, "name");
    const nlohmann::json args = function.value("arguments", nlohmann::json());
    if (args.is_object()) { // some local servers send an object instead of a string
        call.arguments = args;
        call.rawArguments = QString::fromStdString(args.dump());
        return call;
    }
    call.rawArguments = args.is_string() ? QString::fromStdString(args.get<std::string>()) : QString();
    try {
        const std::string raw = call.rawArguments.trimmed().isEmpty() ? std::string("{}") : s(call.rawArguments);
        call.arguments = nlohmann::json::parse(raw);
        call.argumentsValid = call.arguments.is_object();
    } catch (const nlohmann::json::exception&) {
        call.argumentsValid = false;
    }
    if (!call.argumentsValid)
        call.arguments = nlohmann::json::object();
    return call;
}

} // namespace

OpenAiProvider::OpenAiProvider(ProviderSettings settings, QObject* parent) : HttpProvider(std::move(settings), parent)
{
    if (m_settings.baseUrl.isEmpty())
        m_settings.baseUrl = defaultBaseUrl();
}

QUrl OpenAiProvider::url() const
{
    QString base = m_settings.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + QStringLiteral("/chat/completions"));
}

void OpenAiProvider::addHeaders(QNetworkRequest& request) const
{
    // Local servers often need no key; then no Authorization header is sent at all.
    if (!m_settings.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_settings.apiKey.toUtf8());
}

nlohmann::json OpenAiProvider::encode(const LlmRequest& request) const
{
    nlohmann::json messages = nlohmann::json::array();
    for (const LlmMessage& m : request.messages) {
        nlohmann::json j{{"role", s(LlmMessage::roleName(m.role))}};
        if (m.role == LlmMessage::Role::Tool) {
            j["tool_call_id"] = s(m.toolCallId);
            j["content"] = s(m.content);
        } else if (m.role == LlmMessage::Role::Assistant && !m.toolCalls.empty()) {
            j["content"] = m.content.isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(s(m.content));
            j["tool_calls"] = nlohmann::json::array();
            for (const ToolCall& call : m.toolCalls) {
                const std::string args = call.argumentsValid ? call.arguments.dump() : s(call.rawArguments);
                j["tool_calls"].push_back({{"id", s(call.id)}, {"type", "function"}, {"function", {{"name", s(call.name)}, {"arguments", args}}}});
            }
        } else {
            j["content"] = s(m.content);
        }
        messages.push_back(j);
    }
    nlohmann::json body{{"model", s(request.model)}, {"messages", messages}, {"max_tokens", request.sampling.maxTokens}};
    if (request.sampling.temperature)
        body["temperature"] = *request.sampling.temperature;
    if (request.sampling.topP)
        body["top_p"] = *request.sampling.topP;
    if (request.sampling.seed)
        body["seed"] = *request.sampling.seed;
    if (!request.tools.empty()) {
        body["tools"] = nlohmann::json::array();
        for (const ToolDefinition& t : request.tools)
            body["tools"].push_back({{"type", "function"},
                                     {"function", {{"name", s(t.name)}, {"description", s(t.description)}, {"parameters", t.parameters}}}});
    }
    return body;
}

Result<LlmResponse> OpenAiProvider::decode(const nlohmann::json& body) const
{
    const auto invalid = [this](const QString& what) { return LlmErrors::make(LlmErrors::kInvalidResponse, what, endpoint()); };
    if (!body.is_object() || !body.contains("choices") || !body.at("choices").is_array() || body.at("choices").empty())
        return invalid(QStringLiteral("the answer has no choices"));
    const nlohmann::json& choice = body.at("choices").at(0);
    if (!choice.is_object() || !choice.contains("message") || !choice.at("message").is_object())
        return invalid(QStringLiteral("the answer's first choice has no message"));
    const nlohmann::json& message = choice.at("message");

    LlmResponse out;
    out.content = str(message, "content");
    if (message.contains("tool_calls") && message.at("tool_calls").is_array()) {
        for (const auto& call : message.at("tool_calls"))
            out.toolCalls.push_back(parseToolCall(call));
    }
    out.model = str(body, "model");
    if (body.contains("usage") && body.at("usage").is_object()) {
        out.usage.inputTokens = integer(body.at("usage"), "prompt_tokens");
        out.usage.outputTokens = integer(body.at("usage"), "completion_tokens");
    }
    const QString finish = str(choice, "finish_reason");
    if (finish == QLatin1String("length"))
        return LlmErrors::make(LlmErrors::kLength, QStringLiteral("the model stopped at max_tokens before finishing"), endpoint());
    if (finish == QLatin1String("content_filter"))
        return LlmErrors::make(LlmErrors::kContentFilter, QStringLiteral("the provider's content filter withheld the answer"), endpoint());
    if (!out.toolCalls.empty())
        out.finish = FinishReason::ToolCalls;
    else if (finish.isEmpty() || finish == QLatin1String("stop") || finish == QLatin1String("eos"))
        out.finish = FinishReason::Stop;
    else
        out.finish = FinishReason::Other;
    return out;
}

QString OpenAiProvider::errorMessage(const nlohmann::json& body) const
{
    if (body.is_object() && body.contains("error")) {
        const nlohmann::json& error = body.at("error");
        if (error.is_string())
            return QString::fromStdString(error.get<std::string>());
        if (const QString m = str(error, "message"); !m.isEmpty())
            return m;
    }
    if (const QString m = str(body, "message"); !m.isEmpty()) // vLLM: {"object": "error", "message": …}
        return m;
    return str(body, "detail");
}

} // namespace sg
