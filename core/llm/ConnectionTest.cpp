#include "ConnectionTest.h"

#include "Cassette.h"
#include "HttpProvider.h"
#include "LlmClient.h"
#include "LlmErrors.h"
#include "Provider.h"
#include "Redactor.h"
#include "Scheduler.h"

#include <QFutureWatcher>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

namespace sg {

namespace {

const QString kLane = QStringLiteral("ping");

// The provider is made on a pool thread and handed to the test's thread; whoever drops the last
// reference deletes it in its own thread.
void deleteProvider(Provider* provider)
{
    if (provider->thread() == QThread::currentThread())
        delete provider;
    else
        provider->deleteLater();
}

Error scrubbed(Error e)
{
    e.message = Redactor::scrub(e.message);
    e.hint = Redactor::scrub(e.hint);
    e.where = Redactor::scrub(e.where);
    return e;
}

} // namespace

ConnectionTest::ConnectionTest(Options options, QObject* parent)
    : QObject(parent), m_options(std::move(options))
{
    m_model = m_options.model.isEmpty() ? ProviderFactory::defaultModel(m_options.provider.kind)
                                        : m_options.model;
}

ConnectionTest::~ConnectionTest()
{
    m_done = true; // nothing reports from here on
    m_client.reset();
    m_scheduler.reset(); // aborts the attempt in flight before its provider goes
    m_provider.reset();
}

void ConnectionTest::start()
{
    if (m_started)
        return;
    m_started = true;
    // Making a provider may read the keychain, which runs a local event loop: not on this thread.
    QThread* target = thread();
    const ProviderFactory::Options factoryOptions = m_options.provider;
    m_watcher = new QFutureWatcher<Made>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ConnectionTest::onProviderMade);
    m_watcher->setFuture(QtConcurrent::run([factoryOptions, target] {
        Made made;
        auto created = ProviderFactory::create(factoryOptions);
        if (!created) {
            made.error = created.error();
            return made;
        }
        Provider* provider = created.value().release();
        provider->moveToThread(target);
        made.provider = std::shared_ptr<Provider>(provider, &deleteProvider);
        return made;
    }));
}

void ConnectionTest::cancel()
{
    if (!m_started || m_done)
        return;
    if (m_scheduler) {
        m_scheduler->cancelAll(); // its callback finishes the test
        return;
    }
    finish(failure(LlmErrors::make(LlmErrors::kCancelled,
                                   QStringLiteral("the connection test was cancelled"), {}),
                   false));
}

void ConnectionTest::onProviderMade()
{
    Made made = m_watcher->result();
    if (m_done)
        return; // cancelled while the provider was being made
    if (!made.provider) {
        finish(failure(made.error, false));
        return;
    }
    m_provider = std::move(made.provider);
    if (!m_options.recordTo.isEmpty()) {
        auto recorder = CassetteWriter::create(m_options.recordTo);
        if (!recorder) {
            finish(failure(recorder.error(), false));
            return;
        }
        m_recorder = std::move(recorder.value());
    }

    SchedulerLimits limits;
    limits.concurrency = 1;
    limits.maxAttempts = std::max(1, m_options.maxAttempts);
    limits.waitCapMs = m_options.waitCapMs;
    m_scheduler = std::make_unique<Scheduler>();
    m_scheduler->addProvider(kLane, m_provider.get(), limits);
    connect(
        m_scheduler.get(), &Scheduler::waiting, this,
        [this](const QString&, const QString& reason, qint64 ms) { Q_EMIT waiting(reason, ms); });
    // A connection test checks the endpoint, so it never answers from the cache.
    m_client = std::make_unique<LlmClient>(*m_scheduler);
    m_client->setDefaultLane(kLane);
    m_client->setRecorder(m_recorder.get());

    LlmRequest request;
    request.role = QStringLiteral("ping");
    request.model = m_model;
    request.messages = {
        LlmMessage::system(QStringLiteral("You are a connectivity check. Answer with one word.")),
        LlmMessage::user(QStringLiteral("Reply with the single word: pong"))};
    request.sampling.maxTokens = 16;
    m_client->send(request, [this](sg::Result<LlmResponse> answer) { onAnswer(answer); });

    const auto* http = dynamic_cast<const HttpProvider*>(m_provider.get());
    Q_EMIT sending(m_provider->endpoint(), m_model,
                   http ? http->settings().keySource : QStringLiteral("none"));
}

void ConnectionTest::onAnswer(const sg::Result<LlmResponse>& answer)
{
    if (m_done)
        return;
    if (!answer) {
        finish(failure(answer.error(), true));
        return;
    }
    const LlmResponse& r = answer.value();
    Result result = failure(Error{}, true);
    result.ok = true;
    result.error = Error{};
    result.model = r.model.isEmpty() ? m_model : r.model;
    result.latencyMs = r.latencyMs;
    result.attempts = r.attempts;
    result.inputTokens = r.usage.inputTokens;
    result.outputTokens = r.usage.outputTokens;
    result.reply = Redactor::scrub(r.content);
    result.message =
        QStringLiteral("OK: model %1 answered in %2 ms").arg(result.model).arg(result.latencyMs);
    if (result.attempts > 1)
        result.message += QStringLiteral(" (%1 attempts)").arg(result.attempts);
    if (result.simulated)
        result.message += QStringLiteral(
            " (the sim provider is an offline simulator: its answers are synthetic)");
    finish(std::move(result));
}

ConnectionTest::Result ConnectionTest::failure(const Error& error, bool sent) const
{
    Result result;
    result.sent = sent;
    result.model = m_model;
    result.error = scrubbed(error);
    if (m_provider) {
        result.endpoint = m_provider->endpoint();
        result.simulated = m_provider->simulated();
        const auto* http = dynamic_cast<const HttpProvider*>(m_provider.get());
        result.keySource = http ? http->settings().keySource : QStringLiteral("none");
    }
    // Name the endpoint once: errors from a call carry it as their `where` already.
    Error shown = result.error;
    if (shown.where.isEmpty())
        shown.where = result.endpoint;
    result.message = shown.text();
    return result;
}

void ConnectionTest::finish(Result result)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(result);
}

} // namespace sg
