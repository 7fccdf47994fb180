#include "LlmErrors.h"

#include "Redactor.h"

namespace sg {

const QString LlmErrors::kAuth = QStringLiteral("auth");
const QString LlmErrors::kNotFound = QStringLiteral("not-found");
const QString LlmErrors::kBadRequest = QStringLiteral("bad-request");
const QString LlmErrors::kRateLimited = QStringLiteral("rate-limited");
const QString LlmErrors::kServer = QStringLiteral("server");
const QString LlmErrors::kTimeout = QStringLiteral("timeout");
const QString LlmErrors::kConnection = QStringLiteral("connection");
const QString LlmErrors::kTruncated = QStringLiteral("truncated");
const QString LlmErrors::kInvalidResponse = QStringLiteral("invalid-response");
const QString LlmErrors::kLength = QStringLiteral("length");
const QString LlmErrors::kContentFilter = QStringLiteral("content-filter");
const QString LlmErrors::kCancelled = QStringLiteral("cancelled");
const QString LlmErrors::kConfig = QStringLiteral("config");
const QString LlmErrors::kPaused = QStringLiteral("paused");

bool LlmErrors::retryable(const QString& code)
{
    return code == kRateLimited || code == kServer || code == kTimeout || code == kConnection || code == kTruncated
        || code == kInvalidResponse;
}

QString LlmErrors::hintFor(const QString& code)
{
    if (code == kAuth)
        return QStringLiteral("check the API key (its environment variable, --api-key-env, or the keychain) for this endpoint");
    if (code == kNotFound)
        return QStringLiteral("check --base-url (openai's ends in /v1, anthropic's does not) and --model");
    if (code == kBadRequest)
        return QStringLiteral("check the model name and its options; the server's words are above");
    if (code == kRateLimited)
        return QStringLiteral("lower --concurrency or the rate limits, or wait and resume");
    if (code == kServer)
        return QStringLiteral("the provider is having trouble; try again later");
    if (code == kTimeout)
        return QStringLiteral("the server is slow or unreachable; check it, or raise the timeout");
    if (code == kConnection)
        return QStringLiteral("check that the server is running and --base-url is right");
    if (code == kTruncated || code == kInvalidResponse)
        return QStringLiteral("the server or a proxy in between sent a broken answer; try again");
    if (code == kLength)
        return QStringLiteral("raise max_tokens, or shorten what is asked");
    if (code == kContentFilter)
        return QStringLiteral("the provider's filter withheld the answer; rephrase the prompt");
    if (code == kPaused)
        return QStringLiteral("resume the run later, or raise the wait cap");
    return {};
}

Error LlmErrors::make(const QString& code, const QString& message, const QString& endpoint)
{
    return Error{Redactor::scrub(message), hintFor(code), endpoint, code};
}

Error LlmErrors::http(int status, const QString& serverMessage, const QString& endpoint)
{
    QString code;
    QString what;
    if (status == 401 || status == 403) {
        code = kAuth;
        what = QStringLiteral("the key was refused (HTTP %1)").arg(status);
    } else if (status == 404) {
        code = kNotFound;
        what = QStringLiteral("not found (HTTP 404)");
    } else if (status == 429) {
        code = kRateLimited;
        what = QStringLiteral("rate limited (HTTP 429)");
    } else if (status == 408 || status == 409 || status >= 500) {
        code = kServer;
        what = QStringLiteral("server error (HTTP %1)").arg(status);
    } else {
        code = kBadRequest;
        what = QStringLiteral("the server rejected the request (HTTP %1)").arg(status);
    }
    const QString detail = serverMessage.trimmed().left(300);
    return make(code, detail.isEmpty() ? what : what + QStringLiteral(": ") + detail, endpoint);
}

} // namespace sg
