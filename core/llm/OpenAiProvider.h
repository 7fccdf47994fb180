#pragma once

#include "HttpProvider.h"

namespace sg {

// Any OpenAI-compatible /chat/completions endpoint with tool calls: OpenAI, vLLM, llama.cpp's
// server, Ollama's /v1, LM Studio, OpenRouter. Strict in what it sends, lenient in what it reads.
class OpenAiProvider final : public HttpProvider
{
    Q_OBJECT
public:
    static QString defaultBaseUrl() { return QStringLiteral("https://api.openai.com/v1"); }

    explicit OpenAiProvider(ProviderSettings settings, QObject* parent = nullptr);
    QString kind() const override { return QStringLiteral("openai"); }

    nlohmann::json encode(const LlmRequest& request) const override;
    Result<LlmResponse> decode(const nlohmann::json& body) const override;

protected:
    QUrl url() const override;
    void addHeaders(QNetworkRequest& request) const override;
    QString errorMessage(const nlohmann::json& body) const override;
};

} // namespace sg
