#pragma once

#include "LlmRequest.h"

#include <QString>

#include <optional>
#include <vector>

namespace sg {

struct Usage
{
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
};

enum class FinishReason { Stop, ToolCalls, Length, ContentFilter, Other };

QString finishReasonName(FinishReason reason);

// A complete, successful answer. Truncated or unparsable answers never become one: they are
// errors with a code (see LlmErrors.h).
struct LlmResponse
{
    QString content;
    std::vector<ToolCall> toolCalls;
    Usage usage;
    FinishReason finish = FinishReason::Stop;
    QString model; // as the server reported it
    qint64 latencyMs = 0; // of the attempt that succeeded
    int attempts = 1;     // how many tries it took (our own count, not the server's)
    bool cached = false;  // answered from the response cache or a cassette: it cost nothing

    // The answer's content for the cache and cassettes (not latency, attempts or `cached`).
    nlohmann::json toJson() const;
    static std::optional<LlmResponse> fromJson(const nlohmann::json& json);
};

} // namespace sg
