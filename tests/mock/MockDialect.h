#pragma once

#include "HttpResponse.h"
#include "MockTypes.h"

#include <optional>

namespace sg::test {

// What each provider's wire format looks like: answer bodies, error bodies, and the few checks a
// real provider makes that a client's encoding must pass.
class MockDialect
{
public:
    // "openai" for /v1/chat/completions, "anthropic" for /v1/messages, else "unknown".
    static QString ofTarget(const QByteArray& target);

    // The answer the server gives on its own to a request a real provider would refuse (unknown
    // path, wrong method, wrong key, missing anthropic-version, invalid body), or nothing.
    static std::optional<HttpResponse> check(const MockRequest& request,
                                             const QString& requiredKey);

    // A 200 answer body for `reply` in the request's dialect.
    static QByteArray completionBody(const MockRequest& request, const MockReply& reply);

    // An error body in `dialect` (unknown: OpenAI's shape) for `status`; `message` empty: a
    // provider-like default.
    static QByteArray errorBody(const QString& dialect, int status, const QString& message = {});

    // The finish reason as `dialect` spells it.
    static QString finishReason(const QString& dialect, const MockReply& reply);

    // A body that says it is JSON and is not.
    static QByteArray malformedJsonBody();
};

} // namespace sg::test
