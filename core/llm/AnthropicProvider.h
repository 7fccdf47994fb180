#pragma once

#include "HttpProvider.h"

namespace sg {

// The Anthropic Messages API (x-api-key, anthropic-version, tool use). The base URL does not
// include /v1.
class AnthropicProvider final : public HttpProvider
{
    Q_OBJECT
public:
    static QString defaultBaseUrl() { return QStringLiteral("https://api.anthropic.com"); }
    static constexpr const char* kApiVersion = "2023-06-01";

    explicit AnthropicProvider(ProviderSettings settings, QObject* parent = nullptr);
    QString kind() const override { return QStringLiteral("anthropic"); }

    nlohmann::json encode(const LlmRequest& request) const override;
    Result<LlmResponse> decode(const nlohmann::json& body) const override;

protected:
    QUrl url() const override;
    void addHeaders(QNetworkRequest& request) const override;
    QString errorMessage(const nlohmann::json& body) const override;
};

} // namespace sg
