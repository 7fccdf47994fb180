#include "UsageLedger.h"

#include "common/AtomicFile.h"

namespace sg {

UsageLedger::UsageLedger(PriceTable prices) : m_prices(std::move(prices)) {}

void UsageLedger::recordCall(const QString& role, int iteration, const QString& model, const Usage& usage)
{
    const Entry entry{role, iteration, model, usage, false};
    book(entry);
    if (m_observer)
        m_observer(entry);
}

void UsageLedger::recordCacheHit(const QString& role, int iteration)
{
    const Entry entry{role, iteration, QString(), Usage{}, true};
    book(entry);
    if (m_observer)
        m_observer(entry);
}

void UsageLedger::apply(const Entry& entry)
{
    book(entry);
}

void UsageLedger::book(const Entry& entry)
{
    Row& row = m_rows[{entry.role, entry.iteration}];
    row.role = entry.role;
    row.iteration = entry.iteration;
    if (entry.cacheHit) {
        row.cacheHits++;
        return;
    }
    row.calls++;
    row.inputTokens += entry.usage.inputTokens;
    row.outputTokens += entry.usage.outputTokens;
    bool priced = true;
    row.costUsd += m_prices.cost(entry.model, entry.usage.inputTokens, entry.usage.outputTokens, &priced);
    if (!priced) {
        row.fullyPriced = false;
        if (!m_unpriced.contains(entry.model))
            m_unpriced << entry.model;
    }
}

nlohmann::json UsageLedger::Entry::toJson() const
{
    nlohmann::json j{{"role", role.toStdString()}, {"iteration", iteration}, {"cache_hit", cacheHit}};
    if (!cacheHit)
        j.update({{"model", model.toStdString()}, {"input_tokens", usage.inputTokens}, {"output_tokens", usage.outputTokens}});
    return j;
}

Result<UsageLedger::Entry> UsageLedger::Entry::fromJson(const nlohmann::json& json)
{
    try {
        Entry e;
        e.role = QString::fromStdString(json.at("role").get<std::string>());
        e.iteration = json.at("iteration").get<int>();
        e.cacheHit = json.value("cache_hit", false);
        if (!e.cacheHit) {
            e.model = QString::fromStdString(json.at("model").get<std::string>());
            e.usage.inputTokens = json.at("input_tokens").get<qint64>();
            e.usage.outputTokens = json.at("output_tokens").get<qint64>();
        }
        return e;
    } catch (const nlohmann::json::exception& ex) {
        return Error{QStringLiteral("a usage entry is malformed: %1").arg(QString::fromUtf8(ex.what())), {}, {}, QStringLiteral("invalid")};
    }
}

void UsageLedger::add(Row& into, const Row& row)
{
    into.calls += row.calls;
    into.cacheHits += row.cacheHits;
    into.inputTokens += row.inputTokens;
    into.outputTokens += row.outputTokens;
    into.costUsd += row.costUsd;
    into.fullyPriced = into.fullyPriced && row.fullyPriced;
}

std::vector<UsageLedger::Row> UsageLedger::rows() const
{
    std::vector<Row> out;
    for (const auto& [key, row] : m_rows)
        out.push_back(row);
    return out;
}

UsageLedger::Row UsageLedger::total() const
{
    Row sum;
    for (const auto& [key, row] : m_rows)
        add(sum, row);
    return sum;
}

UsageLedger::Row UsageLedger::forRole(const QString& role) const
{
    Row sum;
    sum.role = role;
    for (const auto& [key, row] : m_rows) {
        if (key.first == role)
            add(sum, row);
    }
    return sum;
}

UsageLedger::Row UsageLedger::forIteration(int iteration) const
{
    Row sum;
    sum.iteration = iteration;
    for (const auto& [key, row] : m_rows) {
        if (key.second == iteration)
            add(sum, row);
    }
    return sum;
}

QStringList UsageLedger::unpricedModels() const
{
    return m_unpriced;
}

nlohmann::json UsageLedger::rowJson(const Row& row)
{
    nlohmann::json j{{"calls", row.calls},
                     {"cache_hits", row.cacheHits},
                     {"input_tokens", row.inputTokens},
                     {"output_tokens", row.outputTokens},
                     {"cost_usd", row.costUsd},
                     {"fully_priced", row.fullyPriced}};
    if (!row.role.isEmpty())
        j["role"] = row.role.toStdString();
    if (row.iteration >= 0)
        j["iteration"] = row.iteration;
    return j;
}

nlohmann::json UsageLedger::toJson() const
{
    nlohmann::json rowsJson = nlohmann::json::array();
    for (const auto& [key, row] : m_rows) {
        nlohmann::json j = rowJson(row);
        j["role"] = row.role.toStdString();
        j["iteration"] = row.iteration;
        rowsJson.push_back(j);
    }
    nlohmann::json unpriced = nlohmann::json::array();
    for (const QString& m : m_unpriced)
        unpriced.push_back(m.toStdString());
    nlohmann::json byRole = nlohmann::json::object();
    for (const auto& [key, row] : m_rows)
        byRole[row.role.toStdString()] = rowJson(forRole(row.role));
    return {{"total", rowJson(total())}, {"by_role", byRole}, {"rows", rowsJson}, {"unpriced_models", unpriced}};
}

Result<UsageLedger> UsageLedger::fromJson(const nlohmann::json& json, PriceTable prices)
{
    UsageLedger ledger(std::move(prices));
    try {
        for (const auto& j : json.at("rows")) {
            Row row;
            row.role = QString::fromStdString(j.at("role").get<std::string>());
            row.iteration = j.at("iteration").get<int>();
            row.calls = j.at("calls").get<qint64>();
            row.cacheHits = j.at("cache_hits").get<qint64>();
            row.inputTokens = j.at("input_tokens").get<qint64>();
            row.outputTokens = j.at("output_tokens").get<qint64>();
            row.costUsd = j.at("cost_usd").get<double>();
            row.fullyPriced = j.value("fully_priced", true);
            ledger.m_rows[{row.role, row.iteration}] = row;
        }
        for (const auto& m : json.value("unpriced_models", nlohmann::json::array()))
            ledger.m_unpriced << QString::fromStdString(m.get<std::string>());
    } catch (const nlohmann::json::exception& e) {
        return Error{QStringLiteral("the usage record is damaged: %1").arg(QString::fromUtf8(e.what())), {}, {}, QStringLiteral("invalid")};
    }
    return ledger;
}

Result<void> UsageLedger::save(const QString& file) const
{
    return AtomicFile::write(file, QByteArray::fromStdString(toJson().dump(2) + "\n"));
}

} // namespace sg
