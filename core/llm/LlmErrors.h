#pragma once

#include "common/Result.h"

#include <QString>

namespace sg {

// The classes of failure an LLM call can end in, as Error codes. Every message names the
// endpoint and says what to do; nothing a server sends reaches a message unredacted.
class LlmErrors
{
public:
    static const QString kAuth;            // 401, 403: the key was refused
    static const QString kNotFound;        // 404: wrong URL or model
    static const QString kBadRequest;      // 400, 422: the server rejected the request
    static const QString kRateLimited;     // 429
    static const QString kServer;          // 408, 409, 5xx
    static const QString kTimeout;         // connect, idle or total timeout
    static const QString kConnection;      // refused, reset, DNS, TLS
    static const QString kTruncated;       // the body ended early
    static const QString kInvalidResponse; // not JSON, or not the expected shape
    static const QString kLength;          // finish_reason=length: the answer is incomplete
    static const QString kContentFilter;   // the provider withheld the answer
    static const QString kCancelled;
    static const QString kConfig;          // no key, bad URL, unknown provider
    static const QString kPaused;          // asked to wait longer than the cap

    // Worth another attempt: rate limits, server errors, timeouts, broken connections and bodies.
    static bool retryable(const QString& code);

    static Error http(int status, const QString& serverMessage, const QString& endpoint);
    static Error make(const QString& code, const QString& message, const QString& endpoint);
    // The hint that goes with a code ("check --base-url …").
    static QString hintFor(const QString& code);
};

} // namespace sg
