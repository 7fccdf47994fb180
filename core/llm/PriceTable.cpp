#include "PriceTable.h"

namespace sg {

PriceTable PriceTable::defaults()
{
    PriceTable t;
    const std::pair<const char*, ModelPrice> list[] = {
        {"gpt-4o", {2.50, 10.00}},          {"gpt-4o-mini", {0.15, 0.60}},     {"gpt-4.1", {2.00, 8.00}},
        {"gpt-4.1-mini", {0.40, 1.60}},     {"gpt-4.1-nano", {0.10, 0.40}},    {"o3-mini", {1.10, 4.40}},
        {"o4-mini", {1.10, 4.40}},          {"o3", {2.00, 8.00}},              {"gpt-5", {1.25, 10.00}},
        {"gpt-5-mini", {0.25, 2.00}},       {"gpt-5-nano", {0.05, 0.40}},      {"claude-3-5-haiku", {0.80, 4.00}},
        {"claude-3-5-sonnet", {3.00, 15.00}}, {"claude-3-7-sonnet", {3.00, 15.00}}, {"claude-sonnet-4", {3.00, 15.00}},
        {"claude-opus-4", {15.00, 75.00}},  {"claude-haiku-4-5", {1.00, 5.00}}, {"sim", {0, 0}},
    };
    for (const auto& [model, price] : list)
        t.m_prices[QString::fromLatin1(model)] = price;
    return t;
}

void PriceTable::merge(const std::map<QString, ModelPrice>& overrides)
{
    for (const auto& [model, price] : overrides)
        m_prices[model] = price;
}

std::optional<ModelPrice> PriceTable::find(const QString& model) const
{
    if (auto it = m_prices.find(model); it != m_prices.end())
        return it->second;
    // The longest listed prefix that ends at a word boundary: "gpt-4o-mini-2024-07-18" is
    // gpt-4o-mini, never gpt-4o; "claude-sonnet-4-20250514" is claude-sonnet-4.
    const ModelPrice* best = nullptr;
    qsizetype bestLength = 0;
    for (const auto& [name, price] : m_prices) {
        if (name.size() > bestLength && model.startsWith(name) && model.size() > name.size() && model[name.size()] == QLatin1Char('-')) {
            best = &price;
            bestLength = name.size();
        }
    }
    return best ? std::optional<ModelPrice>(*best) : std::nullopt;
}

double PriceTable::cost(const QString& model, qint64 inputTokens, qint64 outputTokens, bool* priced) const
{
    const auto price = find(model);
    if (priced)
        *priced = price.has_value();
    if (!price)
        return 0;
    return (double(inputTokens) * price->inputPerMTok + double(outputTokens) * price->outputPerMTok) / 1e6;
}

} // namespace sg
