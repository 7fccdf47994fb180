#pragma once

#include "Provider.h"

#include <QStringList>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace sg {

class SimProvider;

// One role the simulator can play (executor, diagnosers, momentum, patcher …). Roles arrive with
// the issues that build them; the frame plays "ping" on its own.
class SimRole
{
public:
    virtual ~SimRole() = default;
    virtual Result<LlmResponse> answer(const LlmRequest& request, const SimProvider& sim) = 0;
};

// The offline `sim` provider (DESIGN.md 9): a deterministic, oracle-backed stand-in for an LLM
// so the whole loop, the Studio and the tests run without a network. Its scores are synthetic and
// never a source of accuracy claims. It reads the request's context (task id, role, iteration),
// answers through the event queue (never inside start()), and delivers the answers that are due
// together in task-id order, so concurrency never changes what happens.
class SimProvider final : public Provider
{
    Q_OBJECT
public:
    using GoldLookup = std::function<QStringList(const QString& taskId)>;

    explicit SimProvider(quint64 seed = 1, QObject* parent = nullptr);

    QString kind() const override { return QStringLiteral("sim"); }
    QString endpoint() const override;
    bool simulated() const override { return true; }
    std::unique_ptr<ProviderCall> start(const LlmRequest& request, Done done) override;

    void setRole(const QString& role, std::shared_ptr<SimRole> player);
    void setGold(GoldLookup gold) { m_gold = std::move(gold); }
    QStringList gold(const QString& taskId) const { return m_gold ? m_gold(taskId) : QStringList{}; }
    quint64 seed() const { return m_seed; }

    // u in [0, 1) from (seed, salt): the monotone draw of DESIGN.md 9.
    static double draw(quint64 seed, const QString& salt);
    // The role a request plays: its context's, else the request's own.
    static QString roleOf(const LlmRequest& request);
    // Token counts that look like a real model's, for the ledger (about four characters a token).
    static Usage estimateUsage(const LlmRequest& request, const LlmResponse& response);

private:
    struct Pending
    {
        quint64 sequence;
        QString taskId;
        LlmRequest request;
        Done done;
        std::shared_ptr<bool> alive;
    };
    void flush();
    Result<LlmResponse> answer(const LlmRequest& request);

    quint64 m_seed;
    quint64 m_sequence = 0;
    bool m_flushQueued = false;
    std::vector<Pending> m_pending;
    std::map<QString, std::shared_ptr<SimRole>> m_roles;
    GoldLookup m_gold;
};

} // namespace sg
