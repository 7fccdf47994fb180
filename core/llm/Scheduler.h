#pragma once

#include "Clock.h"
#include "LlmRequest.h"
#include "LlmResponse.h"
#include "Provider.h"
#include "common/Result.h"

#include <QObject>
#include <QString>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace sg {

// Pacing and patience for one provider (DESIGN.md 6).
struct SchedulerLimits
{
    int concurrency = 8;           // attempts in flight at once
    double requestsPerMinute = 0;  // 0: unlimited
    double tokensPerMinute = 0;    // 0: unlimited (input estimate + max_tokens, corrected by usage)
    int maxAttempts = 6;           // first try included
    qint64 backoffBaseMs = 500;    // doubled each retry …
    qint64 backoffMaxMs = 8000;    // … up to this, then ±25 % jitter
    qint64 waitCapMs = 120000;     // a wait longer than this pauses the call with a message
};

// The one way every LLM call is made: at most C attempts in flight per provider, token buckets
// for requests and tokens per minute, retries with exponential backoff that honour retry-after,
// and cancellation. It lives in one thread (the worker's); callbacks run there.
class Scheduler : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<LlmResponse>)>;

    // What happened to each attempt, from the scheduler's own clock: tests and benchmarks read
    // retry counts and spacing from here, never from a server log (Qt re-sends on its own).
    struct Attempt
    {
        quint64 call = 0;
        int number = 1;         // 1 for the first try
        QString provider;
        qint64 queuedMs = 0;    // when it became ready to start
        qint64 startedMs = 0;
        qint64 endedMs = 0;
        QString outcome;        // "ok" or an error code
        int httpStatus = 0;
        qint64 retryDelayMs = -1; // the wait chosen before the next attempt; -1 when none
    };

    explicit Scheduler(Clock* clock = nullptr, QObject* parent = nullptr);
    ~Scheduler() override;

    // Registers a provider under a name; the scheduler does not own it.
    void addProvider(const QString& name, Provider* provider, const SchedulerLimits& limits);
    bool hasProvider(const QString& name) const;
    Provider* provider(const QString& name) const;

    // Queues a call; `done` runs exactly once, on this thread, never inside submit().
    quint64 submit(const QString& providerName, LlmRequest request, Done done);
    void cancel(quint64 call);
    // Ends every queued, waiting and running call with code "cancelled", at once.
    void cancelAll();

    int inFlight(const QString& providerName) const;
    int pending() const; // calls not yet done
    const std::vector<Attempt>& attempts() const { return m_attempts; }
    void setJitterSeed(quint64 seed) { m_rng.seed(seed); }
    Clock* clock() const { return m_clock; }

Q_SIGNALS:
    // A call waits before its next attempt (rate limit or backoff), so no wait is silent.
    void waiting(const QString& provider, const QString& reason, qint64 waitMs);
    // A call was told to wait longer than the cap: it ends with code "paused".
    void paused(const QString& provider, const QString& reason);

private:
    struct Call;
    struct Lane;

    void pump(const QString& lane);
    void launch(Lane& lane, std::unique_ptr<Call> call);
    void finished(const QString& laneName, quint64 id, ProviderReply reply);
    void complete(std::unique_ptr<Call> call, Result<LlmResponse> result);
    void wakeAt(const QString& lane, qint64 atMs);

    Clock* m_clock;
    std::map<QString, std::unique_ptr<Lane>> m_lanes;
    std::vector<Attempt> m_attempts;
    quint64 m_nextId = 1;
    std::mt19937_64 m_rng{0x5ca1ab1e};
};

} // namespace sg
