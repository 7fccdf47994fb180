#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace sg::test {

using MockHeaders = QList<QPair<QByteArray, QByteArray>>;

struct MockToolCall
{
    QString id; // empty: the server makes one up ("call_mock_<n>_<i>" / "toolu_mock_<n>_<i>")
    QString name;
    nlohmann::json arguments = nlohmann::json::object();
    // OpenAI only: when not null, sent verbatim as the arguments string (to inject malformed JSON).
    QString rawArguments;
};

// One request as the server read it. Requests the server rejects itself (404, 401, 400) are
// logged too.
struct MockRequest
{
    int index = 0;                        // 0-based order of arrival since listen(); never reset
    QByteArray method;                    // "POST"
    QByteArray path;                      // the request target as sent, e.g. "/v1/chat/completions"
    QMap<QByteArray, QByteArray> headers; // lower-cased names; repeated headers joined by ", "
    QByteArray body;
    nlohmann::json json;   // null when the body is not JSON
    QString dialect;       // "openai", "anthropic" or "unknown" (by path)
    qint64 receivedMs = 0; // ms since listen(), when the full request had arrived
    int connection = 0;    // which TCP connection carried it (1-based)
};

struct MockReply
{
    enum class Kind {
        Completion,         // a 200 answer in the request's dialect, built from the fields below
        Status,             // `status` with a dialect error body (or `body` when set) + `headers`
        Reset,              // read the request, then reset the connection (TCP RST), no answer
        ResetAfterHeaders,  // status line + headers (Content-Length of the full body), then close
        Truncated,          // 200 head + the first half of the body, then close
        Stall,              // 200 head + the first half of the body, then silence, socket open
        StallBeforeHeaders, // never answer, socket open
        MalformedJson,      // a 200 application/json whose body is not JSON (`body` when set)
        Raw                 // `status`, `headers` and `body` as they are
    };
    Kind kind = Kind::Completion;
    int latencyMs = 0; // delay before the first byte of the answer (or the reset)
    int jitterMs = 0;  // plus a uniform draw in [0, jitterMs] from the seeded generator
    QString content = QStringLiteral("pong");
    std::vector<MockToolCall> toolCalls;
    // Dialect-neutral: "stop" (default; "tool_calls" when toolCalls is not empty), "tool_calls",
    // "length", "content_filter"; anthropic gets end_turn, tool_use, max_tokens, refusal. Any
    // other value is sent as it is.
    QString finishReason;
    QString model; // echoed model; default: the request's model
    int inputTokens = 12;
    int outputTokens = 4;
    int status = 200; // Status, Raw, ResetAfterHeaders
    // Extra response headers (Completion, Status, MalformedJson, ...); all of them for Raw.
    MockHeaders headers;
    QByteArray body; // Status (instead of the error body), MalformedJson, Raw

    // Shorthands; designated initialisers work too: MockReply{.kind = ..., .latencyMs = 300}.
    static MockReply completion(const QString& content, int latencyMs = 0);
    static MockReply toolCall(const QString& name, const nlohmann::json& arguments,
                              const QString& id = {});
    static MockReply error(int status, const MockHeaders& headers = {});
    static MockReply fault(Kind kind, int latencyMs = 0);
};

} // namespace sg::test

Q_DECLARE_METATYPE(sg::test::MockRequest)
