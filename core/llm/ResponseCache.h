#pragma once

#include "LlmRequest.h"
#include "LlmResponse.h"
#include "common/Result.h"

#include <QString>

#include <memory>
#include <optional>

namespace sg {

// Complete, successful answers in SQLite (cache/llm.sqlite), keyed by the SHA-256 of the
// canonical request: model, messages, tools, sampling, role and sample index; never the key, the
// base URL or the context. The CLI and the Studio share the file: WAL and a busy timeout. One
// object is one connection and belongs to the thread that opened it (DESIGN.md 14).
class ResponseCache
{
public:
    static Result<std::unique_ptr<ResponseCache>> open(const QString& file);
    ~ResponseCache();
    ResponseCache(const ResponseCache&) = delete;
    ResponseCache& operator=(const ResponseCache&) = delete;

    static QString keyFor(const LlmRequest& request);

    std::optional<LlmResponse> lookup(const QString& key);
    Result<void> store(const QString& key, const LlmRequest& request, const LlmResponse& response);
    qint64 size();
    const QString& file() const { return m_file; }

private:
    ResponseCache(QString file, QString connection);

    QString m_file;
    QString m_connection;
};

} // namespace sg
