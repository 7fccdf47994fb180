#pragma once

#include "ProviderFactory.h"
#include "common/Result.h"

#include <QObject>
#include <QString>

#include <memory>

template <typename T> class QFutureWatcher;

namespace sg {

class CassetteWriter;
class LlmClient;
class Provider;
class Scheduler;
struct LlmResponse;

// One small request to an endpoint: is it there, is the key accepted, which model answers and
// how fast. `skillgrad llm ping` and the Studio's settings dialog both use it. Asynchronous and
// safe on a UI thread: the provider is made on a worker thread (reading the keychain runs a
// local event loop), the request goes through a Scheduler like every other call, and finished()
// reports exactly once, never inside start().
class ConnectionTest : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        ProviderFactory::Options provider;
        QString model;            // empty: the kind's default model
        int maxAttempts = 3;      // a quick check: two retries
        qint64 waitCapMs = 30000; // a longer wait (rate limit) ends the check with a message
        QString recordTo;         // a cassette to record the exchange into; empty: none
    };

    struct Result
    {
        bool ok = false;
        QString model;        // as the server named it, else the model asked for
        qint64 latencyMs = 0; // of the attempt that answered
        QString message;      // one line for a person; never holds a key
        QString endpoint;     // "openai at http://…"; empty when no provider could be made
        QString keySource;    // "OPENAI_API_KEY", "keychain", "none": safe to show
        bool simulated = false;
        bool sent = false; // false: the settings were refused before anything was sent
        int attempts = 0;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        QString reply; // the model's answer as sent (keys scrubbed)
        Error error;   // when !ok; its texts are scrubbed of keys
    };

    explicit ConnectionTest(Options options, QObject* parent = nullptr);
    ~ConnectionTest() override;

    const Options& options() const { return m_options; }
    // Starts the check once; later calls do nothing.
    void start();
    // Ends the check at once with code "cancelled" (finished() still comes).
    void cancel();
    bool running() const { return m_started && !m_done; }

Q_SIGNALS:
    // The request is on its way (for a progress note).
    void sending(const QString& endpoint, const QString& model, const QString& keySource);
    // The request waits before its next attempt (rate limit or backoff).
    void waiting(const QString& reason, qint64 waitMs);
    void finished(const sg::ConnectionTest::Result& result);

private:
    struct Made
    {
        std::shared_ptr<Provider> provider;
        Error error;
    };

    void onProviderMade();
    void onAnswer(const sg::Result<LlmResponse>& answer);
    void finish(Result result);
    Result failure(const Error& error, bool sent) const;

    Options m_options;
    QString m_model;
    bool m_started = false;
    bool m_done = false;
    QFutureWatcher<Made>* m_watcher = nullptr;
    std::shared_ptr<Provider> m_provider;
    std::unique_ptr<CassetteWriter> m_recorder;
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<LlmClient> m_client;
};

} // namespace sg

Q_DECLARE_METATYPE(sg::ConnectionTest::Result)
