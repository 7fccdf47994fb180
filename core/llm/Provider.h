#pragma once

#include "LlmRequest.h"
#include "LlmResponse.h"
#include "common/Result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace sg {

// How one provider endpoint is reached. The key is held in memory only.
struct ProviderSettings
{
    QString kind;      // openai, anthropic, sim, replay
    QString baseUrl;   // empty: the kind's default
    QString apiKey;    // never logged, never written
    QString keySource; // "OPENAI_API_KEY", "keychain", "none": for messages
    int concurrency = 8;
    int connectTimeoutMs = 15000;
    int idleTimeoutMs = 120000;
    int totalTimeoutMs = 600000;
};

// The end of one attempt, with what the scheduler needs to decide on a retry.
struct ProviderReply
{
    Result<LlmResponse> result = Error{};
    int httpStatus = 0;
    std::optional<qint64> retryAfterMs; // from retry-after-ms / retry-after
    qint64 latencyMs = 0;
};

// One attempt in flight. Aborting it means its callback is never called.
class ProviderCall
{
public:
    virtual ~ProviderCall() = default;
    virtual void abort() = 0;
};

// A source of answers: an HTTP dialect, the simulator, or a cassette. Providers make single
// attempts; retries, pacing and concurrency belong to the Scheduler. A provider lives in one
// thread and answers on it, always through the event loop (never inside start()).
class Provider : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(ProviderReply)>;

    explicit Provider(QObject* parent = nullptr) : QObject(parent) {}
    virtual QString kind() const = 0;
    // Where requests go, for messages ("openai at http://127.0.0.1:8080/v1").
    virtual QString endpoint() const = 0;
    virtual std::unique_ptr<ProviderCall> start(const LlmRequest& request, Done done) = 0;
    // Whether answers are synthetic (the sim provider): every report that shows them says so.
    virtual bool simulated() const { return false; }
};

} // namespace sg
