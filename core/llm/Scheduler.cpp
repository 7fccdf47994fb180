#include "Scheduler.h"

#include "LlmErrors.h"
#include "TokenBucket.h"

#include <QMetaObject>

#include <cmath>

namespace sg {

struct Scheduler::Call
{
    quint64 id = 0;
    QString lane;
    LlmRequest request;
    Done done;
    int attempt = 0;
    qint64 readyAt = 0;
    double estimate = 0;
    std::size_t record = 0; // index of the current attempt in m_attempts
    std::unique_ptr<ProviderCall> live;
};

struct Scheduler::Lane
{
    Provider* provider = nullptr;
    SchedulerLimits limits;
    TokenBucket requests;
    TokenBucket tokens;
    std::deque<std::unique_ptr<Call>> ready;
    std::map<quint64, std::unique_ptr<Call>> waiting; // backing off before a retry
    std::map<quint64, std::unique_ptr<Call>> running;
    qint64 wakeAt = -1;
};

Scheduler::Scheduler(Clock* clock, QObject* parent) : QObject(parent), m_clock(clock ? clock : Clock::system()) {}

Scheduler::~Scheduler()
{
    // Aborted attempts never call back, so nothing reaches a half-destroyed scheduler.
    for (auto& [name, lane] : m_lanes) {
        for (auto& [id, call] : lane->running) {
            if (call->live)
                call->live->abort();
        }
    }
}

void Scheduler::addProvider(const QString& name, Provider* provider, const SchedulerLimits& limits)
{
    auto lane = std::make_unique<Lane>();
    lane->provider = provider;
    lane->limits = limits;
    lane->limits.concurrency = std::max(1, limits.concurrency);
    lane->limits.maxAttempts = std::max(1, limits.maxAttempts);
    lane->requests = TokenBucket(limits.requestsPerMinute);
    lane->tokens = TokenBucket(limits.tokensPerMinute);
    m_lanes[name] = std::move(lane);
}

bool Scheduler::hasProvider(const QString& name) const
{
    return m_lanes.count(name) > 0;
}

Provider* Scheduler::provider(const QString& name) const
{
    auto it = m_lanes.find(name);
    return it == m_lanes.end() ? nullptr : it->second->provider;
}

int Scheduler::inFlight(const QString& providerName) const
{
    auto it = m_lanes.find(providerName);
    return it == m_lanes.end() ? 0 : int(it->second->running.size());
}

int Scheduler::pending() const
{
    int n = 0;
    for (const auto& [name, lane] : m_lanes)
        n += int(lane->ready.size() + lane->waiting.size() + lane->running.size());
    return n;
}

quint64 Scheduler::submit(const QString& providerName, LlmRequest request, Done done)
{
    auto call = std::make_unique<Call>();
    call->id = m_nextId++;
    call->lane = providerName;
    call->estimate = double(request.estimatedInputTokens() + request.sampling.maxTokens);
    call->request = std::move(request);
    call->done = std::move(done);
    call->readyAt = m_clock->nowMs();
    const quint64 id = call->id;
    auto it = m_lanes.find(providerName);
    if (it == m_lanes.end()) {
        complete(std::move(call), LlmErrors::make(LlmErrors::kConfig, QStringLiteral("no provider is set up for \"%1\"").arg(providerName), {}));
        return id;
    }
    it->second->ready.push_back(std::move(call));
    // Start at once: `done` still cannot run inside submit() (complete() queues it, and providers
    // answer through the event loop), and a caller that submits while doing other work (an
    // evaluation setting up 64 tasks) has its first requests on the wire during that work instead
    // of after it. Deferring the pump cost bench_eval a fifth of its efficiency at C = 64.
    pump(providerName);
    return id;
}

void Scheduler::pump(const QString& name)
{
    auto it = m_lanes.find(name);
    if (it == m_lanes.end())
        return;
    Lane& lane = *it->second;
    while (!lane.ready.empty() && int(lane.running.size()) < lane.limits.concurrency) {
        const qint64 now = m_clock->nowMs();
        Call& head = *lane.ready.front();
        const qint64 wait = std::max(lane.requests.waitMs(1, now), lane.tokens.waitMs(head.estimate, now));
        if (wait > 0) {
            if (wait >= 1000)
                Q_EMIT waiting(name, QStringLiteral("rate limit of %1 reached").arg(lane.provider->endpoint()), wait);
            wakeAt(name, now + wait);
            return;
        }
        lane.requests.take(1, now);
        lane.tokens.take(head.estimate, now);
        std::unique_ptr<Call> call = std::move(lane.ready.front());
        lane.ready.pop_front();
        launch(lane, std::move(call));
    }
}

void Scheduler::launch(Lane& lane, std::unique_ptr<Call> call)
{
    call->attempt++;
    Attempt record;
    record.call = call->id;
    record.number = call->attempt;
    record.provider = call->lane;
    record.queuedMs = call->readyAt;
    record.startedMs = m_clock->nowMs();
    call->record = m_attempts.size();
    m_attempts.push_back(record);

    const quint64 id = call->id;
    const QString name = call->lane;
    Call* raw = call.get();
    lane.running[id] = std::move(call);
    raw->live = lane.provider->start(raw->request, [this, name, id](ProviderReply reply) { finished(name, id, std::move(reply)); });
}

void Scheduler::finished(const QString& name, quint64 id, ProviderReply reply)
{
    auto laneIt = m_lanes.find(name);
    if (laneIt == m_lanes.end())
        return;
    Lane& lane = *laneIt->second;
    auto it = lane.running.find(id);
    if (it == lane.running.end())
        return; // cancelled meanwhile
    std::unique_ptr<Call> call = std::move(it->second);
    lane.running.erase(it);
    call->live.reset();

    const qint64 now = m_clock->nowMs();
    Attempt& record = m_attempts[call->record];
    record.endedMs = now;
    record.httpStatus = reply.httpStatus;
    record.outcome = reply.result ? QStringLiteral("ok") : reply.result.error().code;

    if (reply.result) {
        LlmResponse& response = reply.result.value();
        response.attempts = call->attempt;
        const double used = double(response.usage.inputTokens + response.usage.outputTokens);
        if (used > 0)
            lane.tokens.adjust(used - call->estimate, now);
        complete(std::move(call), std::move(reply.result));
        pump(name);
        return;
    }

    const Error error = reply.result.error();
    if (LlmErrors::retryable(error.code) && call->attempt < lane.limits.maxAttempts) {
        // The server's retry-after wins over our own backoff.
        const qint64 delay = reply.retryAfterMs ? *reply.retryAfterMs : [&] {
            const double nominal = std::min(double(lane.limits.backoffMaxMs),
                                            double(lane.limits.backoffBaseMs) * std::pow(2.0, call->attempt - 1));
            std::uniform_real_distribution<double> jitter(0.75, 1.25);
            return qint64(nominal * jitter(m_rng));
        }();
        record.retryDelayMs = delay;
        if (delay > lane.limits.waitCapMs) {
            const QString reason = QStringLiteral("%1 asked to wait %2 s before trying again, longer than the %3 s cap (%4)")
                                       .arg(lane.provider->endpoint())
                                       .arg(double(delay) / 1000.0, 0, 'f', 0)
                                       .arg(double(lane.limits.waitCapMs) / 1000.0, 0, 'f', 0)
                                       .arg(error.message);
            Q_EMIT paused(name, reason);
            complete(std::move(call), Error{reason, LlmErrors::hintFor(LlmErrors::kPaused), error.where, LlmErrors::kPaused});
            pump(name);
            return;
        }
        Q_EMIT waiting(name, QStringLiteral("attempt %1 failed: %2; trying again").arg(call->attempt).arg(error.message), delay);
        call->readyAt = now + delay;
        lane.waiting[id] = std::move(call);
        m_clock->callAfter(delay, this, [this, name, id] {
            auto lit = m_lanes.find(name);
            if (lit == m_lanes.end())
                return;
            auto wit = lit->second->waiting.find(id);
            if (wit == lit->second->waiting.end())
                return; // cancelled while waiting
            // A retry goes to the front: it has waited its turn already.
            lit->second->ready.push_front(std::move(wit->second));
            lit->second->waiting.erase(wit);
            pump(name);
        });
        pump(name);
        return;
    }

    Error final = error;
    if (call->attempt > 1)
        final.message += QStringLiteral(" (after %1 attempts)").arg(call->attempt);
    complete(std::move(call), final);
    pump(name);
}

void Scheduler::complete(std::unique_ptr<Call> call, Result<LlmResponse> result)
{
    // Delivered through the event loop: callers may submit or cancel from inside `done`.
    std::shared_ptr<Call> shared(std::move(call));
    auto boxed = std::make_shared<Result<LlmResponse>>(std::move(result));
    QMetaObject::invokeMethod(
        this, [shared, boxed] { shared->done(std::move(*boxed)); }, Qt::QueuedConnection);
}

void Scheduler::wakeAt(const QString& name, qint64 atMs)
{
    Lane& lane = *m_lanes[name];
    if (lane.wakeAt >= 0 && lane.wakeAt <= atMs)
        return;
    lane.wakeAt = atMs;
    m_clock->callAfter(atMs - m_clock->nowMs(), this, [this, name] {
        auto it = m_lanes.find(name);
        if (it == m_lanes.end())
            return;
        it->second->wakeAt = -1;
        pump(name);
    });
}

void Scheduler::cancel(quint64 id)
{
    for (auto& [name, lane] : m_lanes) {
        std::unique_ptr<Call> found;
        if (auto it = lane->running.find(id); it != lane->running.end()) {
            found = std::move(it->second);
            lane->running.erase(it);
            found->live->abort();
        } else if (auto wit = lane->waiting.find(id); wit != lane->waiting.end()) {
            found = std::move(wit->second);
            lane->waiting.erase(wit);
        } else {
            for (auto rit = lane->ready.begin(); rit != lane->ready.end(); ++rit) {
                if ((*rit)->id == id) {
                    found = std::move(*rit);
                    lane->ready.erase(rit);
                    break;
                }
            }
        }
        if (found) {
            complete(std::move(found), LlmErrors::make(LlmErrors::kCancelled, QStringLiteral("the request was cancelled"), lane->provider->endpoint()));
            pump(name);
            return;
        }
    }
}

void Scheduler::cancelAll()
{
    for (auto& [name, lane] : m_lanes) {
        std::vector<std::unique_ptr<Call>> calls;
        for (auto& [id, call] : lane->running) {
            call->live->abort();
            calls.push_back(std::move(call));
        }
        for (auto& [id, call] : lane->waiting)
            calls.push_back(std::move(call));
        for (auto& call : lane->ready)
            calls.push_back(std::move(call));
        lane->running.clear();
        lane->waiting.clear();
        lane->ready.clear();
        for (auto& call : calls)
            complete(std::move(call), LlmErrors::make(LlmErrors::kCancelled, QStringLiteral("the request was cancelled"), lane->provider->endpoint()));
    }
}

} // namespace sg
