#pragma once

#include "LlmRequest.h"
#include "LlmResponse.h"
#include "common/Result.h"

#include <QFile>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace sg {

// A recorded session: one JSON object a line, {"key", "role", "model", "simulated", "response"}, where key is
// the request's cache key. It holds answers, never keys or URLs, so it can be shared.
class Cassette
{
public:
    static Result<Cassette> load(const QString& file);
    std::optional<LlmResponse> find(const QString& key) const;
    int size() const { return int(m_answers.size()); }
    // The models the answers were recorded from, so a replay can ask with the same one.
    QStringList models() const { return m_models; }
    // Whether any answer came from the sim provider: a replay of it is just as synthetic.
    bool simulated() const { return m_simulated; }
    const QString& file() const { return m_file; }

private:
    QString m_file;
    QHash<QString, LlmResponse> m_answers;
    QStringList m_models;
    bool m_simulated = false;
};

// Appends answers to a cassette as they come, a line at a time, flushed.
class CassetteWriter
{
public:
    static Result<std::unique_ptr<CassetteWriter>> create(const QString& file);
    Result<void> append(const QString& key, const LlmRequest& request, const LlmResponse& response, bool simulated);
    const QString& file() const { return m_file; }

private:
    QString m_file;
    std::unique_ptr<QFile> m_out;
    QHash<QString, bool> m_written;
};

} // namespace sg
