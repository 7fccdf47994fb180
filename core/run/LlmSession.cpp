#include "LlmSession.h"

#include "agent/SimExecutor.h"
#include "llm/Cassette.h"
#include "llm/LlmClient.h"
#include "llm/ResponseCache.h"
#include "llm/Scheduler.h"
#include "llm/UsageLedger.h"

namespace sg {

nlohmann::json LlmSession::Options::rolesJson() const
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, role] : roles) {
        const ProviderFactory::Options& p = role.provider;
        out[name.toStdString()] = {{"provider", p.kind.toStdString()},       {"base_url", p.baseUrl.toStdString()},
                                   {"api_key_env", p.apiKeyEnv.toStdString()}, {"concurrency", p.concurrency},
                                   {"connect_timeout_ms", p.connectTimeoutMs}, {"idle_timeout_ms", p.idleTimeoutMs},
                                   {"total_timeout_ms", p.totalTimeoutMs},     {"cassette", p.cassette.toStdString()},
                                   {"sim_seed", p.simSeed},                    {"model", role.model.toStdString()},
                                   {"max_attempts", role.maxAttempts}};
    }
    return out;
}

Result<void> LlmSession::Options::setRolesFromJson(const nlohmann::json& json)
{
    if (!json.is_object() || json.empty())
        return Error{QStringLiteral("the run recorded no roles"), QStringLiteral("start a new run"), QStringLiteral("run.json"), QStringLiteral("invalid")};
    try {
        roles.clear();
        for (const auto& [name, j] : json.items()) {
            Role role;
            role.provider.kind = QString::fromStdString(j.at("provider").get<std::string>());
            role.provider.baseUrl = QString::fromStdString(j.value("base_url", std::string()));
            role.provider.apiKeyEnv = QString::fromStdString(j.value("api_key_env", std::string()));
            role.provider.concurrency = j.value("concurrency", role.provider.concurrency);
            role.provider.connectTimeoutMs = j.value("connect_timeout_ms", role.provider.connectTimeoutMs);
            role.provider.idleTimeoutMs = j.value("idle_timeout_ms", role.provider.idleTimeoutMs);
            role.provider.totalTimeoutMs = j.value("total_timeout_ms", role.provider.totalTimeoutMs);
            role.provider.cassette = QString::fromStdString(j.value("cassette", std::string()));
            role.provider.simSeed = j.value("sim_seed", role.provider.simSeed);
            role.model = QString::fromStdString(j.at("model").get<std::string>());
            role.maxAttempts = j.value("max_attempts", role.maxAttempts);
            roles[QString::fromStdString(name)] = role;
        }
    } catch (const nlohmann::json::exception& e) {
        return Error{QStringLiteral("the run's roles are malformed: %1").arg(QString::fromUtf8(e.what())), {}, QStringLiteral("run.json"),
                     QStringLiteral("invalid")};
    }
    return {};
}

LlmSession::LlmSession(QObject* parent) : QObject(parent) {}

LlmSession::~LlmSession()
{
    // The scheduler aborts its calls before the providers it calls go away.
    m_client.reset();
    m_scheduler.reset();
}

Result<std::unique_ptr<LlmSession>> LlmSession::create(const Options& options, QObject* parent)
{
    std::unique_ptr<LlmSession> session(new LlmSession(parent));
    session->m_scheduler = std::make_unique<Scheduler>(nullptr, session.get());
    session->m_client = std::make_unique<LlmClient>(*session->m_scheduler);
    session->m_ledger = std::make_unique<UsageLedger>(options.prices);
    session->m_client->setLedger(session->m_ledger.get());

    std::map<QString, Provider*> lanes; // endpoint key -> provider
    for (const auto& [role, setup] : options.roles) {
        const ProviderFactory::Options& p = setup.provider;
        const QString lane = QStringList{p.kind, p.baseUrl, p.apiKeyEnv, p.cassette, QString::number(p.simSeed)}.join(QLatin1Char('|'));
        if (!lanes.count(lane)) {
            auto provider = ProviderFactory::create(p);
            if (!provider)
                return Error{provider.error().message, provider.error().hint,
                             QStringLiteral("%1 (%2)").arg(role, provider.error().where.isEmpty() ? p.kind : provider.error().where),
                             provider.error().code};
            if (auto* sim = dynamic_cast<SimProvider*>(provider->get()))
                sim->setRole(QStringLiteral("executor"), std::make_shared<SimExecutor>());
            SchedulerLimits limits;
            limits.concurrency = p.concurrency;
            limits.maxAttempts = setup.maxAttempts;
            session->m_scheduler->addProvider(lane, provider->get(), limits);
            lanes[lane] = provider->get();
            session->m_providers.push_back(std::move(provider.value()));
        }
        session->m_client->route(role, lane);
        session->m_models[role] = setup.model;
        session->m_byRole[role] = lanes[lane];
    }
    if (!options.cacheFile.isEmpty()) {
        auto cache = ResponseCache::open(options.cacheFile);
        if (!cache)
            return cache.error();
        session->m_cache = std::move(cache.value());
        session->m_client->setCache(session->m_cache.get());
    }
    if (!options.recordFile.isEmpty()) {
        auto recorder = CassetteWriter::create(options.recordFile);
        if (!recorder)
            return recorder.error();
        session->m_recorder = std::move(recorder.value());
        session->m_client->setRecorder(session->m_recorder.get());
    }
    return session;
}

QString LlmSession::model(const QString& role) const
{
    auto it = m_models.find(role);
    return it == m_models.end() ? QString() : it->second;
}

QString LlmSession::endpoint(const QString& role) const
{
    auto it = m_byRole.find(role);
    return it == m_byRole.end() ? QString() : it->second->endpoint();
}

bool LlmSession::simulated() const
{
    for (const auto& p : m_providers) {
        if (p->simulated())
            return true;
    }
    return false;
}

bool LlmSession::simulated(const QString& role) const
{
    auto it = m_byRole.find(role);
    return it != m_byRole.end() && it->second->simulated();
}

void LlmSession::setGold(SimProvider::GoldLookup gold)
{
    for (auto& p : m_providers) {
        if (auto* sim = dynamic_cast<SimProvider*>(p.get()))
            sim->setGold(gold);
    }
}

void LlmSession::addSimRole(const QString& role, std::shared_ptr<SimRole> player)
{
    for (auto& p : m_providers) {
        if (auto* sim = dynamic_cast<SimProvider*>(p.get()))
            sim->setRole(role, player);
    }
}

} // namespace sg
