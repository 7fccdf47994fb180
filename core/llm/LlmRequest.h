#pragma once

#include <nlohmann/json.hpp>

#include <QString>

#include <optional>
#include <vector>

namespace sg {

// A tool call made by the model. OpenAI sends the arguments as a JSON string that a model can
// get wrong: `rawArguments` keeps what came, `arguments` holds the parsed object when it parsed.
struct ToolCall
{
    QString id;
    QString name;
    nlohmann::json arguments = nlohmann::json::object();
    QString rawArguments;
    bool argumentsValid = true;
};

// A tool the model may call: a name, what it does, and a JSON Schema for its arguments.
struct ToolDefinition
{
    QString name;
    QString description;
    nlohmann::json parameters = nlohmann::json::object();
};

struct LlmMessage
{
    enum class Role { System, User, Assistant, Tool };

    Role role = Role::User;
    QString content;
    std::vector<ToolCall> toolCalls; // assistant turns that call tools
    QString toolCallId;              // tool results: the call they answer
    QString toolName;                // tool results: the tool's name (some servers want it)
    bool isError = false;            // tool results: the tool failed

    static LlmMessage system(const QString& text) { return {Role::System, text, {}, {}, {}, false}; }
    static LlmMessage user(const QString& text) { return {Role::User, text, {}, {}, {}, false}; }
    static LlmMessage assistant(const QString& text, std::vector<ToolCall> calls = {})
    {
        return {Role::Assistant, text, std::move(calls), {}, {}, false};
    }
    static LlmMessage toolResult(const ToolCall& call, const QString& text, bool error = false)
    {
        return {Role::Tool, text, {}, call.id, call.name, error};
    }
    static QString roleName(Role role);
};

struct SamplingParams
{
    std::optional<double> temperature = 0.0;
    std::optional<double> topP;
    int maxTokens = 2048;
    std::optional<qint64> seed;
};

// Who asked and why. Carried with the request for the scheduler, the ledger and the sim
// provider; never sent over the wire and never part of the cache key.
struct RequestContext
{
    QString taskId;
    QString role;
    int iteration = -1;
};

// One chat request in our own terms; each provider encodes it in its dialect.
struct LlmRequest
{
    QString role; // executor, failure-diagnoser, …: part of the cache key (DESIGN.md 6)
    QString model;
    std::vector<LlmMessage> messages;
    std::vector<ToolDefinition> tools;
    SamplingParams sampling;
    int sampleIndex = 0; // a different index asks for a fresh sample of the same request
    RequestContext context;

    // Everything that decides the answer, in a stable form: model, messages, tools, sampling,
    // role and sample index. Never the key, the base URL or the context.
    nlohmann::json canonicalJson() const;
    // A rough token count for rate limiting before the server reports usage.
    qint64 estimatedInputTokens() const;
};

} // namespace sg
