#pragma once

#include "workspace/WorkspaceConfig.h"

#include <QString>

#include <map>
#include <optional>

namespace sg {

// USD per million tokens by model. The defaults are the providers' published list prices for
// common models (2025); skillgrad.json's "prices" override or extend them. A dated model name
// ("gpt-4o-mini-2024-07-18") takes the price of its longest listed prefix.
class PriceTable
{
public:
    static PriceTable defaults();
    void set(const QString& model, const ModelPrice& price) { m_prices[model] = price; }
    void merge(const std::map<QString, ModelPrice>& overrides);
    std::optional<ModelPrice> find(const QString& model) const;
    double cost(const QString& model, qint64 inputTokens, qint64 outputTokens, bool* priced = nullptr) const;

private:
    std::map<QString, ModelPrice> m_prices;
};

} // namespace sg
