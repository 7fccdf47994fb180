#pragma once

#include "common/Result.h"
#include "llm/PriceTable.h"
#include "llm/ProviderFactory.h"
#include "llm/SimProvider.h"

#include <nlohmann/json.hpp>

#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <vector>

namespace sg {

class CassetteWriter;
class LlmClient;
class Provider;
class ResponseCache;
class Scheduler;
class UsageLedger;

// Everything a run needs to talk to models, built from the roles' settings: one provider and one
// scheduler lane per distinct endpoint (roles that share an endpoint share its concurrency), the
// response cache, the usage ledger, the cassette recorder, and the sim provider's roles.
class LlmSession : public QObject
{
    Q_OBJECT
public:
    struct Role
    {
        ProviderFactory::Options provider;
        QString model;
        int maxAttempts = 6; // first try included
    };
    struct Options
    {
        std::map<QString, Role> roles; // executor, failure-diagnoser, …
        QString cacheFile;             // empty: no cache (--no-cache)
        QString recordFile;            // empty: no cassette
        PriceTable prices = PriceTable::defaults();

        // The roles' providers and models, for run.json: what a resumed run talks to again.
        // Never a key (only the name of its variable); no cache file, cassette or prices.
        nlohmann::json rolesJson() const;
        Result<void> setRolesFromJson(const nlohmann::json& json);
    };

    static Result<std::unique_ptr<LlmSession>> create(const Options& options, QObject* parent = nullptr);
    ~LlmSession() override;

    LlmClient& client() { return *m_client; }
    Scheduler& scheduler() { return *m_scheduler; }
    UsageLedger& ledger() { return *m_ledger; }
    QString model(const QString& role) const;
    QString endpoint(const QString& role) const;
    // Whether any role's answers are synthetic: every report of the run must say "simulated".
    bool simulated() const;
    bool simulated(const QString& role) const;
    // The gold answers the sim's executor may consult (nothing when no role uses sim).
    void setGold(SimProvider::GoldLookup gold);
    // Registers a sim role on every sim provider (the optimizer's roles arrive this way).
    void addSimRole(const QString& role, std::shared_ptr<SimRole> player);

private:
    explicit LlmSession(QObject* parent);

    std::vector<std::unique_ptr<Provider>> m_providers;
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<LlmClient> m_client;
    std::unique_ptr<UsageLedger> m_ledger;
    std::unique_ptr<ResponseCache> m_cache;
    std::unique_ptr<CassetteWriter> m_recorder;
    std::map<QString, QString> m_models;
    std::map<QString, Provider*> m_byRole;
};

} // namespace sg
