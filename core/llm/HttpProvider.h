#pragma once

#include "Provider.h"

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QList>
#include <QNetworkRequest>
#include <QPair>
#include <QUrl>

#include <vector>

class QNetworkAccessManager;

namespace sg {

// The HTTP mechanics shared by the OpenAI and Anthropic dialects: a pool of network managers
// (Qt 6.4 opens at most 6 connections per host per manager, DESIGN.md 10), connect, idle and
// total timeouts, and the classification of every way an answer can fail. Subclasses only
// translate requests and answers.
class HttpProvider : public Provider
{
    Q_OBJECT
public:
    HttpProvider(ProviderSettings settings, QObject* parent = nullptr);
    ~HttpProvider() override;

    QString endpoint() const override;
    std::unique_ptr<ProviderCall> start(const LlmRequest& request, Done done) override;
    const ProviderSettings& settings() const { return m_settings; }
    int managerCount() const { return int(m_managers.size()); }

    // Parses "retry-after-ms" (milliseconds) or "retry-after" (seconds or an HTTP date).
    static std::optional<qint64> retryAfter(const QList<QPair<QByteArray, QByteArray>>& headers);

protected:
    virtual QUrl url() const = 0;
    virtual void addHeaders(QNetworkRequest& request) const = 0;
    virtual nlohmann::json encode(const LlmRequest& request) const = 0;
    // A 2xx body into an answer; an error with code invalid-response, length or content-filter.
    virtual Result<LlmResponse> decode(const nlohmann::json& body) const = 0;
    // The human part of an error body ({"error": {"message": …}} and the like).
    virtual QString errorMessage(const nlohmann::json& body) const = 0;

    ProviderSettings m_settings;

private:
    class Call;
    QNetworkAccessManager* pickManager();

    std::vector<QNetworkAccessManager*> m_managers;
    std::vector<int> m_load;
};

} // namespace sg
