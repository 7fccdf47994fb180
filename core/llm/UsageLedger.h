#pragma once

#include "LlmResponse.h"
#include "PriceTable.h"
#include "common/Result.h"

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <vector>

namespace sg {

// What the LLM calls of a run cost, per role and per iteration (DESIGN.md 6): calls, cache
// hits, tokens and money. A cache hit or a replayed answer counts as a hit and costs nothing.
class UsageLedger
{
public:
    struct Row
    {
        QString role;
        int iteration = -1;
        qint64 calls = 0;
        qint64 cacheHits = 0;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        double costUsd = 0;
        bool fullyPriced = true; // false when a model had no price: the cost is a lower bound
    };

    // One booking, as a journal keeps it (a run's calls.jsonl), so a resumed run knows what the
    // calls before the kill cost.
    struct Entry
    {
        QString role;
        int iteration = -1;
        QString model;
        Usage usage;
        bool cacheHit = false;

        nlohmann::json toJson() const;
        static Result<Entry> fromJson(const nlohmann::json& json);
    };
    using Observer = std::function<void(const Entry&)>;

    explicit UsageLedger(PriceTable prices = PriceTable::defaults());

    void recordCall(const QString& role, int iteration, const QString& model, const Usage& usage);
    void recordCacheHit(const QString& role, int iteration);
    // Books an entry from a journal without telling the observer.
    void apply(const Entry& entry);
    // Sees every booking made through recordCall and recordCacheHit.
    void setObserver(Observer observer) { m_observer = std::move(observer); }

    std::vector<Row> rows() const; // by role, then iteration
    Row total() const;
    Row forRole(const QString& role) const;
    Row forIteration(int iteration) const;
    QStringList unpricedModels() const;

    nlohmann::json toJson() const;
    static Result<UsageLedger> fromJson(const nlohmann::json& json, PriceTable prices = PriceTable::defaults());
    Result<void> save(const QString& file) const;
    static nlohmann::json rowJson(const Row& row);

private:
    static void add(Row& into, const Row& row);
    void book(const Entry& entry);

    PriceTable m_prices;
    std::map<std::pair<QString, int>, Row> m_rows;
    QStringList m_unpriced;
    Observer m_observer;
};

} // namespace sg
