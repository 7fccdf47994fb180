#include "MockDialect.h"

#include <QDateTime>

namespace sg::test {

namespace {

using Json = nlohmann::ordered_json;

const QString kOpenai = QStringLiteral("openai");
const QString kAnthropic = QStringLiteral("anthropic");

QByteArray dump(const Json& json)
{
    const std::string text = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return QByteArray(text.data(), qsizetype(text.size()));
}

std::string str(const QString& text)
{
    return text.toStdString();
}

std::string modelOf(const MockRequest& request, const MockReply& reply)
{
    if (!reply.model.isEmpty())
        return str(reply.model);
    if (request.json.is_object() && request.json.contains("model") &&
        request.json["model"].is_string())
        return request.json["model"].get<std::string>();
    return "mock-model";
}

QString anthropicErrorType(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("invalid_request_error");
    case 401:
        return QStringLiteral("authentication_error");
    case 403:
        return QStringLiteral("permission_error");
    case 404:
        return QStringLiteral("not_found_error");
    case 413:
        return QStringLiteral("request_too_large");
    case 429:
        return QStringLiteral("rate_limit_error");
    case 529:
        return QStringLiteral("overloaded_error");
    default:
        return status >= 500 ? QStringLiteral("api_error")
                             : QStringLiteral("invalid_request_error");
    }
}

QString defaultMessage(const QString& dialect, int status)
{
    const bool anthropic = dialect == kAnthropic;
    switch (status) {
    case 429:
        return anthropic ? QStringLiteral("Number of requests has exceeded your rate limit (mock).")
                         : QStringLiteral("Rate limit reached for requests (mock).");
    case 500:
        return QStringLiteral("The server had an error while processing your request (mock).");
    case 503:
        return QStringLiteral("The server is overloaded or not ready yet (mock).");
    case 529:
        return QStringLiteral("Overloaded (mock).");
    default:
        return QStringLiteral("%1 %2 (mock).")
            .arg(status)
            .arg(QString::fromLatin1(HttpResponse::reasonPhrase(status)));
    }
}

HttpResponse refusal(const QString& dialect, int status, const QString& message)
{
    HttpResponse response;
    response.status = status;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = MockDialect::errorBody(dialect, status, message);
    return response;
}

std::optional<QString> checkOpenaiBody(const nlohmann::json& json)
{
    if (!json.contains("model") || !json["model"].is_string())
        return QStringLiteral("you must provide a model parameter");
    if (!json.contains("messages") || !json["messages"].is_array())
        return QStringLiteral("Missing required parameter: 'messages'.");
    if (json["messages"].empty())
        return QStringLiteral(
            "Invalid 'messages': empty array. Expected an array with minimum length 1.");
    return std::nullopt;
}

bool hasEmptyText(const nlohmann::json& content)
{
    if (content.is_string())
        return content.get_ref<const std::string&>().empty();
    if (!content.is_array())
        return false;
    for (const auto& block : content) {
        if (block.is_object() && block.value("type", std::string()) == "text" &&
            (!block.contains("text") || !block["text"].is_string() ||
             block["text"].get_ref<const std::string&>().empty()))
            return true;
    }
    return false;
}

std::optional<QString> checkAnthropicBody(const nlohmann::json& json)
{
    if (!json.contains("model") || !json["model"].is_string())
        return QStringLiteral("model: Field required");
    if (!json.contains("max_tokens") || !json["max_tokens"].is_number_integer())
        return QStringLiteral("max_tokens: Field required");
    if (!json.contains("messages") || !json["messages"].is_array())
        return QStringLiteral("messages: Field required");
    const auto& messages = json["messages"];
    if (messages.empty())
        return QStringLiteral("messages: at least one message is required");
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& message = messages[i];
        const std::string role =
            message.is_object() ? message.value("role", std::string()) : std::string();
        if (role == "system")
            return QStringLiteral(
                       "messages.%1: Unexpected role \"system\". The Messages API accepts a "
                       "top-level `system` parameter, not \"system\" as an input message role.")
                .arg(i);
        if (role != "user" && role != "assistant")
            return QStringLiteral("messages.%1.role: Input should be 'user' or 'assistant'").arg(i);
        if (i == 0 && role != "user")
            return QStringLiteral("messages: first message must use the \"user\" role");
        if (!message.contains("content"))
            return QStringLiteral("messages.%1.content: Field required").arg(i);
        if (hasEmptyText(message["content"]))
            return QStringLiteral("messages.%1: text content blocks must be non-empty").arg(i);
    }
    return std::nullopt;
}

Json openaiCompletion(const MockRequest& request, const MockReply& reply)
{
    Json message = {{"role", "assistant"}};
    if (reply.content.isEmpty() && !reply.toolCalls.empty())
        message["content"] = nullptr;
    else
        message["content"] = str(reply.content);
    if (!reply.toolCalls.empty()) {
        Json calls = Json::array();
        for (std::size_t i = 0; i < reply.toolCalls.size(); ++i) {
            const MockToolCall& call = reply.toolCalls[i];
            const std::string id =
                call.id.isEmpty()
                    ? "call_mock_" + std::to_string(request.index + 1) + "_" + std::to_string(i)
                    : str(call.id);
            const std::string arguments =
                call.rawArguments.isNull()
                    ? call.arguments.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                    : str(call.rawArguments);
            calls.push_back({{"id", id},
                             {"type", "function"},
                             {"function", {{"name", str(call.name)}, {"arguments", arguments}}}});
        }
        message["tool_calls"] = calls;
    }
    return {{"id", "chatcmpl-mock-" + std::to_string(request.index + 1)},
            {"object", "chat.completion"},
            {"created", QDateTime::currentSecsSinceEpoch()},
            {"model", modelOf(request, reply)},
            {"choices",
             Json::array({{{"index", 0},
                           {"message", message},
                           {"logprobs", nullptr},
                           {"finish_reason", str(MockDialect::finishReason(kOpenai, reply))}}})},
            {"usage",
             {{"prompt_tokens", reply.inputTokens},
              {"completion_tokens", reply.outputTokens},
              {"total_tokens", reply.inputTokens + reply.outputTokens}}}};
}

Json anthropicCompletion(const MockRequest& request, const MockReply& reply)
{
    Json content = Json::array();
    if (!reply.content.isEmpty())
        content.push_back({{"type", "text"}, {"text", str(reply.content)}});
    for (std::size_t i = 0; i < reply.toolCalls.size(); ++i) {
        const MockToolCall& call = reply.toolCalls[i];
        const std::string id =
            call.id.isEmpty()
                ? "toolu_mock_" + std::to_string(request.index + 1) + "_" + std::to_string(i)
                : str(call.id);
        content.push_back({{"type", "tool_use"},
                           {"id", id},
                           {"name", str(call.name)},
                           {"input", Json(call.arguments)}});
    }
    return {
        {"id", "msg_mock_" + std::to_string(request.index + 1)},
        {"type", "message"},
        {"role", "assistant"},
        {"model", modelOf(request, reply)},
        {"content", content},
        {"stop_reason", str(MockDialect::finishReason(kAnthropic, reply))},
        {"stop_sequence", nullptr},
        {"usage", {{"input_tokens", reply.inputTokens}, {"output_tokens", reply.outputTokens}}}};
}

} // namespace

QString MockDialect::ofTarget(const QByteArray& target)
{
    const qsizetype query = target.indexOf('?');
    const QByteArray path = query < 0 ? target : target.left(query);
    if (path == "/v1/chat/completions")
        return kOpenai;
    if (path == "/v1/messages")
        return kAnthropic;
    return QStringLiteral("unknown");
}

std::optional<HttpResponse> MockDialect::check(const MockRequest& request,
                                               const QString& requiredKey)
{
    const auto header = [&](const char* name) {
        return request.headers.value(QByteArray(name));
    };
    if (request.dialect != kOpenai && request.dialect != kAnthropic) {
        // A client with a wrong base URL still gets an error body it can read.
        const bool anthropic =
            request.headers.contains("anthropic-version") || request.headers.contains("x-api-key");
        return refusal(
            anthropic ? kAnthropic : kOpenai, 404,
            QStringLiteral("Invalid URL (%1 %2)")
                .arg(QString::fromUtf8(request.method), QString::fromUtf8(request.path)));
    }
    if (request.method != "POST") {
        HttpResponse response = refusal(request.dialect, 405,
                                        QStringLiteral("Method %1 not allowed; use POST")
                                            .arg(QString::fromUtf8(request.method)));
        response.headers.emplaceBack("Allow", "POST");
        return response;
    }
    if (request.dialect == kOpenai && !requiredKey.isEmpty()) {
        const QByteArray authorization = header("authorization");
        if (authorization.isEmpty())
            return refusal(
                kOpenai, 401,
                QStringLiteral(
                    "You didn't provide an API key. You need to provide your API key in an "
                    "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                    "YOUR_KEY)."));
        if (authorization != "Bearer " + requiredKey.toUtf8()) {
            const QByteArray received =
                authorization.startsWith("Bearer ") ? authorization.mid(7) : authorization;
            return refusal(
                kOpenai, 401,
                QStringLiteral("Incorrect API key provided: %1. You can find your API key at "
                               "https://platform.openai.com/account/api-keys.")
                    .arg(QString::fromUtf8(received)));
        }
    }
    if (request.dialect == kAnthropic) {
        if (!requiredKey.isEmpty()) {
            const QByteArray key = header("x-api-key");
            if (key.isEmpty())
                return refusal(kAnthropic, 401, QStringLiteral("x-api-key header is required"));
            if (key != requiredKey.toUtf8())
                return refusal(kAnthropic, 401,
                               QStringLiteral("invalid x-api-key: %1").arg(QString::fromUtf8(key)));
        }
        if (header("anthropic-version").isEmpty())
            return refusal(kAnthropic, 400,
                           QStringLiteral("anthropic-version: header is required"));
    }
    if (!request.json.is_object())
        return refusal(
            request.dialect, 400,
            QStringLiteral(
                "We could not parse the JSON body of your request: expected a JSON object."));
    const std::optional<QString> problem = request.dialect == kOpenai
                                               ? checkOpenaiBody(request.json)
                                               : checkAnthropicBody(request.json);
    if (problem)
        return refusal(request.dialect, 400, *problem);
    return std::nullopt;
}

QByteArray MockDialect::completionBody(const MockRequest& request, const MockReply& reply)
{
    if (request.dialect == kAnthropic)
        return dump(anthropicCompletion(request, reply));
    return dump(openaiCompletion(request, reply));
}

QByteArray MockDialect::errorBody(const QString& dialect, int status, const QString& message)
{
    const std::string text = str(message.isEmpty() ? defaultMessage(dialect, status) : message);
    if (dialect == kAnthropic)
        return dump(
            Json{{"type", "error"},
                 {"error", {{"type", str(anthropicErrorType(status))}, {"message", text}}}});
    std::string type = "invalid_request_error";
    Json code = nullptr;
    if (status == 401)
        code = "invalid_api_key";
    else if (status == 403)
        type = "permission_error";
    else if (status == 429) {
        type = "requests";
        code = "rate_limit_exceeded";
    } else if (status >= 500)
        type = "server_error";
    return dump(
        Json{{"error", {{"message", text}, {"type", type}, {"param", nullptr}, {"code", code}}}});
}

QString MockDialect::finishReason(const QString& dialect, const MockReply& reply)
{
    QString reason = reply.finishReason;
    if (reason.isEmpty())
        reason = reply.toolCalls.empty() ? QStringLiteral("stop") : QStringLiteral("tool_calls");
    if (dialect != kAnthropic)
        return reason;
    if (reason == QLatin1String("stop"))
        return QStringLiteral("end_turn");
    if (reason == QLatin1String("tool_calls"))
        return QStringLiteral("tool_use");
    if (reason == QLatin1String("length"))
        return QStringLiteral("max_tokens");
    if (reason == QLatin1String("content_filter"))
        return QStringLiteral("refusal");
    return reason;
}

QByteArray MockDialect::malformedJsonBody()
{
    return QByteArrayLiteral(
        "{\"id\": \"chatcmpl-mock\", \"choices\": [{\"message\": {\"role\": \"assistant\", "
        "\"content\": \"pong\"}}, <!-- not json -->");
}

} // namespace sg::test
