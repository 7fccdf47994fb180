#include "LlmClient.h"

#include "Cassette.h"
#include "ResponseCache.h"
#include "Scheduler.h"
#include "UsageLedger.h"

#include <QMetaObject>

namespace sg {

LlmClient::LlmClient(Scheduler& scheduler, QObject* parent) : QObject(parent), m_scheduler(scheduler) {}

QString LlmClient::laneFor(const QString& role) const
{
    auto it = m_routes.find(role);
    return it == m_routes.end() ? m_defaultLane : it->second;
}

bool LlmClient::simulated(const QString& role) const
{
    const Provider* provider = m_scheduler.provider(laneFor(role));
    return provider && provider->simulated();
}

void LlmClient::note(const Result<void>& result)
{
    if (!result)
        Q_EMIT warning(result.error().text());
}

void LlmClient::send(LlmRequest request, Done done)
{
    const QString lane = laneFor(request.role);
    const Provider* provider = m_scheduler.provider(lane);
    const bool simulated = provider && provider->simulated();
    const bool cacheable = m_cache && provider && !simulated && provider->kind() != QLatin1String("replay");
    const QString key = (cacheable || m_recorder) ? ResponseCache::keyFor(request) : QString();

    if (cacheable) {
        if (auto hit = m_cache->lookup(key)) {
            if (m_ledger && !(m_alreadyBooked && m_alreadyBooked(request.context.iteration)))
                m_ledger->recordCacheHit(request.role, request.context.iteration);
            if (m_recorder)
                note(m_recorder->append(key, request, *hit, false));
            QMetaObject::invokeMethod(
                this, [done = std::move(done), answer = std::move(*hit)]() mutable { done(std::move(answer)); }, Qt::QueuedConnection);
            return;
        }
    }

    const QString role = request.role;
    const int iteration = request.context.iteration;
    const QString model = request.model;
    auto kept = std::make_shared<LlmRequest>(request); // for the cache and the cassette
    m_scheduler.submit(lane, std::move(request), [this, cacheable, simulated, key, role, iteration, model, kept, done = std::move(done)](Result<LlmResponse> result) {
        if (result) {
            const bool free = result->cached || simulated;
            if (m_ledger && !(free && m_alreadyBooked && m_alreadyBooked(iteration))) {
                if (result->cached)
                    m_ledger->recordCacheHit(role, iteration);
                else
                    m_ledger->recordCall(role, iteration, model, result->usage);
            }
            // Only complete, successful answers are kept; a failed store costs a repeat, nothing more.
            if (cacheable)
                note(m_cache->store(key, *kept, result.value()));
            if (m_recorder)
                note(m_recorder->append(key, *kept, result.value(), simulated));
        }
        done(std::move(result));
    });
}

} // namespace sg
