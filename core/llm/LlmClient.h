#pragma once

#include "LlmRequest.h"
#include "LlmResponse.h"
#include "common/Result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <map>

namespace sg {

class CassetteWriter;
class ResponseCache;
class Scheduler;
class UsageLedger;

// What the agent and the optimizer call: routes each role to a scheduler lane, answers from the
// response cache when it can (a hit sends nothing and costs nothing), stores complete answers,
// books every call in the usage ledger, and records a cassette when asked. The simulator and
// replayed cassettes bypass the cache: their answers are already free and deterministic.
class LlmClient : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<LlmResponse>)>;

    explicit LlmClient(Scheduler& scheduler, QObject* parent = nullptr);

    void setCache(ResponseCache* cache) { m_cache = cache; }
    void setLedger(UsageLedger* ledger) { m_ledger = ledger; }
    void setRecorder(CassetteWriter* recorder) { m_recorder = recorder; }
    // For a resumed run: the iterations whose calls were booked before the kill. Their cache
    // hits and simulated answers are not booked again; a call that cost money still is.
    void setAlreadyBooked(std::function<bool(int iteration)> booked) { m_alreadyBooked = std::move(booked); }
    // The scheduler lane that serves `role`; roles without a route use `defaultLane`.
    void route(const QString& role, const QString& lane) { m_routes[role] = lane; }
    void setDefaultLane(const QString& lane) { m_defaultLane = lane; }
    QString laneFor(const QString& role) const;
    // Whether the answers for `role` are synthetic (the sim provider): reports must say so.
    bool simulated(const QString& role) const;

    // `done` runs exactly once, on this thread, never inside send().
    void send(LlmRequest request, Done done);

    Scheduler& scheduler() { return m_scheduler; }

Q_SIGNALS:
    // Something went wrong on the side (the cache or the cassette could not be written); the
    // call itself went on.
    void warning(const QString& message);

private:
    void note(const Result<void>& result);

    Scheduler& m_scheduler;
    ResponseCache* m_cache = nullptr;
    UsageLedger* m_ledger = nullptr;
    CassetteWriter* m_recorder = nullptr;
    std::function<bool(int)> m_alreadyBooked;
    std::map<QString, QString> m_routes;
    QString m_defaultLane = QStringLiteral("default");
};

} // namespace sg
