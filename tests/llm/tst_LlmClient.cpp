#include "LlmTestKit.h"

#include "llm/Cassette.h"
#include "llm/LlmClient.h"
#include "llm/LlmErrors.h"
#include "llm/PriceTable.h"
#include "llm/ReplayProvider.h"
#include "llm/ResponseCache.h"
#include "llm/SimProvider.h"
#include "llm/UsageLedger.h"

#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>

using namespace sg;
using namespace sg::test;

namespace {

Result<LlmResponse> send(LlmClient& client, const LlmRequest& request)
{
    std::optional<Result<LlmResponse>> out;
    client.send(request, [&out](Result<LlmResponse> r) { out = std::move(r); });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, 10000))
        return Error{QStringLiteral("no answer"), {}, {}, QStringLiteral("test")};
    return std::move(*out);
}

LlmRequest executorRequest(const QString& text, int iteration = 1)
{
    LlmRequest r = LlmTestKit::ping(text);
    r.context.iteration = iteration;
    r.context.role = QStringLiteral("executor");
    return r;
}

// Every byte of every file under `dir`.
QByteArray everything(const QString& dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

} // namespace

class tst_LlmClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aCacheHitSendsNothingAndCostsNothing()
    {
        QTemporaryDir tmp;
        LlmTestKit kit;
        kit.use(SchedulerLimits{});
        auto cache = ResponseCache::open(tmp.filePath(QStringLiteral("cache/llm.sqlite")));
        QVERIFY2(cache, qPrintable(cache ? QString() : cache.error().text()));
        UsageLedger ledger;
        LlmClient client(kit.scheduler);
        client.setDefaultLane(QStringLiteral("p"));
        client.setCache(cache->get());
        client.setLedger(&ledger);

        auto first = send(client, executorRequest(QStringLiteral("same question")));
        QVERIFY(first && !first->cached);
        auto second = send(client, executorRequest(QStringLiteral("same question")));
        QVERIFY(second);
        QVERIFY(second->cached);
        QCOMPARE(second->content, first->content);
        QCOMPARE(kit.server.requestCount(), 1); // the mock saw one request
        QCOMPARE(ledger.total().calls, 1);
        QCOMPARE(ledger.total().cacheHits, 1);
        QCOMPARE(ledger.total().inputTokens, 12);

        // The context is not part of the key: another iteration asking the same thing hits too.
        auto third = send(client, executorRequest(QStringLiteral("same question"), 7));
        QVERIFY(third && third->cached);
        QCOMPARE(ledger.forIteration(7).cacheHits, 1);

        // A different sample index asks for a fresh sample.
        LlmRequest another = executorRequest(QStringLiteral("same question"));
        another.sampleIndex = 1;
        auto fresh = send(client, another);
        QVERIFY(fresh && !fresh->cached);
        QCOMPARE(kit.server.requestCount(), 2);
    }

    void errorsAreNeverCached()
    {
        QTemporaryDir tmp;
        LlmTestKit kit;
        SchedulerLimits limits;
        limits.maxAttempts = 1;
        kit.use(limits);
        auto cache = ResponseCache::open(tmp.filePath(QStringLiteral("llm.sqlite")));
        QVERIFY(cache);
        LlmClient client(kit.scheduler);
        client.setDefaultLane(QStringLiteral("p"));
        client.setCache(cache->get());
        for (auto fault : {MockReply::fault(MockReply::Kind::Truncated), MockReply::fault(MockReply::Kind::MalformedJson), MockReply::error(500)}) {
            kit.server.enqueue(fault);
            QVERIFY(!send(client, executorRequest(QStringLiteral("q"))));
        }
        MockReply length = MockReply::completion(QStringLiteral("cut"));
        length.finishReason = QStringLiteral("length");
        kit.server.enqueue(length);
        QVERIFY(!send(client, executorRequest(QStringLiteral("q"))));
        QCOMPARE((*cache)->size(), 0);
        auto ok = send(client, executorRequest(QStringLiteral("q")));
        QVERIFY(ok && !ok->cached);
        QCOMPARE((*cache)->size(), 1);
    }

    void withoutACacheEveryCallGoesOut()
    {
        LlmTestKit kit;
        kit.use(SchedulerLimits{});
        LlmClient client(kit.scheduler); // --no-cache: no cache set
        client.setDefaultLane(QStringLiteral("p"));
        QVERIFY(send(client, executorRequest(QStringLiteral("q"))));
        QVERIFY(send(client, executorRequest(QStringLiteral("q"))));
        QCOMPARE(kit.server.requestCount(), 2);
    }

    void keyDependsOnWhatDecidesTheAnswerOnly()
    {
        const LlmRequest base = executorRequest(QStringLiteral("q"));
        const QString key = ResponseCache::keyFor(base);
        QCOMPARE(key.size(), 64);
        LlmRequest r = base;
        r.context = {QStringLiteral("nt-9"), QStringLiteral("x"), 42};
        QCOMPARE(ResponseCache::keyFor(r), key);
        r = base;
        r.model = QStringLiteral("other");
        QVERIFY(ResponseCache::keyFor(r) != key);
        r = base;
        r.role = QStringLiteral("patcher");
        QVERIFY(ResponseCache::keyFor(r) != key);
        r = base;
        r.sampling.temperature = 0.7;
        QVERIFY(ResponseCache::keyFor(r) != key);
        r = base;
        r.tools.push_back({QStringLiteral("sql"), QStringLiteral("d"), nlohmann::json::object()});
        QVERIFY(ResponseCache::keyFor(r) != key);
    }

    void recordThenReplayWithTheServerGone()
    {
        QTemporaryDir tmp;
        const QString cassettePath = tmp.filePath(QStringLiteral("session.jsonl"));
        const QString key = QStringLiteral("sk-canary-record-0123456789");
        std::vector<LlmResponse> recorded;
        {
            LlmTestKit kit(QStringLiteral("openai"), key);
            kit.server.enqueue(MockReply::toolCall(QStringLiteral("sql"), {{"query", "SELECT 1"}}));
            kit.server.enqueue(MockReply::completion(QStringLiteral("one")));
            kit.use(SchedulerLimits{});
            auto writer = CassetteWriter::create(cassettePath);
            QVERIFY(writer);
            LlmClient client(kit.scheduler);
            client.setDefaultLane(QStringLiteral("p"));
            client.setRecorder(writer->get());
            for (const char* q : {"first", "second"}) {
                auto r = send(client, executorRequest(QString::fromLatin1(q)));
                QVERIFY(r);
                recorded.push_back(r.value());
            }
        } // the server is gone now

        auto cassette = Cassette::load(cassettePath);
        QVERIFY2(cassette, qPrintable(cassette ? QString() : cassette.error().text()));
        QCOMPARE(cassette->size(), 2);
        ReplayProvider replay(std::move(cassette.value()));
        VirtualClock clock;
        Scheduler scheduler(&clock);
        scheduler.addProvider(QStringLiteral("replay"), &replay, SchedulerLimits{});
        UsageLedger ledger;
        LlmClient client(scheduler);
        client.setDefaultLane(QStringLiteral("replay"));
        client.setLedger(&ledger);
        auto first = send(client, executorRequest(QStringLiteral("first")));
        QVERIFY2(first, qPrintable(first ? QString() : first.error().text()));
        QCOMPARE(first->toolCalls.size(), std::size_t(1));
        QVERIFY(first->toolCalls[0].arguments == recorded[0].toolCalls[0].arguments);
        auto second = send(client, executorRequest(QStringLiteral("second")));
        QVERIFY(second);
        QCOMPARE(second->content, QStringLiteral("one"));
        QCOMPARE(ledger.total().calls, 0); // replayed answers cost nothing
        QCOMPARE(ledger.total().cacheHits, 2);

        auto missing = send(client, executorRequest(QStringLiteral("never asked")));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ReplayProvider::kMissCode);
        QVERIFY(missing.error().message.contains(QStringLiteral("never asked")));

        // The key is in no file: not the cassette, not the cache.
        QVERIFY(!everything(tmp.path()).contains(key.toUtf8()));
        QVERIFY(!everything(tmp.path()).contains("canary"));
    }

    void theKeyIsAbsentFromTheCacheFile()
    {
        QTemporaryDir tmp;
        const QString key = QStringLiteral("sk-canary-cache-9876543210");
        LlmTestKit kit(QStringLiteral("anthropic"), key);
        kit.use(SchedulerLimits{});
        {
            auto cache = ResponseCache::open(tmp.filePath(QStringLiteral("llm.sqlite")));
            QVERIFY(cache);
            LlmClient client(kit.scheduler);
            client.setDefaultLane(QStringLiteral("p"));
            client.setCache(cache->get());
            QVERIFY(send(client, executorRequest(QStringLiteral("q"))));
            QCOMPARE((*cache)->size(), 1);
        }
        const QByteArray bytes = everything(tmp.path());
        QVERIFY(!bytes.isEmpty());
        QVERIFY(!bytes.contains(key.toUtf8()));
        QVERIFY(!bytes.contains("canary"));
        QVERIFY(!bytes.contains(kit.server.anthropicBaseUrl().toUtf8()));
    }

    void twoConnectionsShareTheCacheFile()
    {
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("llm.sqlite"));
        auto a = ResponseCache::open(file);
        auto b = ResponseCache::open(file);
        QVERIFY(a && b);
        LlmResponse r;
        r.content = QStringLiteral("shared");
        const LlmRequest request = executorRequest(QStringLiteral("q"));
        QVERIFY((*a)->store(ResponseCache::keyFor(request), request, r));
        auto hit = (*b)->lookup(ResponseCache::keyFor(request));
        QVERIFY(hit);
        QCOMPARE(hit->content, QStringLiteral("shared"));
    }

    void ledgerSumsAndPrices()
    {
        PriceTable prices = PriceTable::defaults();
        prices.set(QStringLiteral("my-model"), {1.0, 2.0});
        UsageLedger ledger(prices);
        ledger.recordCall(QStringLiteral("executor"), 1, QStringLiteral("my-model"), {1000000, 500000});
        ledger.recordCall(QStringLiteral("executor"), 2, QStringLiteral("gpt-4o-mini-2024-07-18"), {1000000, 1000000});
        ledger.recordCall(QStringLiteral("patcher"), 2, QStringLiteral("mystery-model"), {10, 10});
        ledger.recordCacheHit(QStringLiteral("patcher"), 2);
        QCOMPARE(ledger.forRole(QStringLiteral("executor")).calls, 2);
        QCOMPARE(ledger.forRole(QStringLiteral("executor")).costUsd, 2.0 + 0.15 + 0.60);
        QCOMPARE(ledger.forIteration(2).calls, 2);
        QCOMPARE(ledger.forIteration(2).cacheHits, 1);
        QCOMPARE(ledger.total().inputTokens, 2000010);
        QVERIFY(!ledger.total().fullyPriced);
        QCOMPARE(ledger.unpricedModels(), QStringList{QStringLiteral("mystery-model")});
        // Prefixes stop at a hyphen: gpt-4o-mini-… is not priced as gpt-4o.
        QCOMPARE(prices.find(QStringLiteral("gpt-4o-mini-2024-07-18"))->inputPerMTok, 0.15);
        QVERIFY(!prices.find(QStringLiteral("gpt-4oops")));

        QTemporaryDir tmp;
        QVERIFY(ledger.save(tmp.filePath(QStringLiteral("usage.json"))));
        auto back = UsageLedger::fromJson(ledger.toJson(), prices);
        QVERIFY(back);
        QCOMPARE(back->total().costUsd, ledger.total().costUsd);
        QCOMPARE(back->toJson()["by_role"]["patcher"]["cache_hits"].get<int>(), 1);
    }

    void simAnswersThroughTheEventQueueInTaskOrder()
    {
        SimProvider sim(7);
        VirtualClock clock;
        Scheduler scheduler(&clock);
        SchedulerLimits limits;
        limits.concurrency = 16;
        scheduler.addProvider(QStringLiteral("sim"), &sim, limits);
        LlmClient client(scheduler);
        client.setDefaultLane(QStringLiteral("sim"));
        QVERIFY(client.simulated(QStringLiteral("ping")));
        QStringList order;
        int answered = 0;
        for (const char* task : {"nt-3", "nt-1", "nt-2"}) {
            LlmRequest r = LlmTestKit::ping();
            r.role = QStringLiteral("ping");
            r.context.taskId = QString::fromLatin1(task);
            bool returned = false;
            client.send(r, [&order, &answered, &returned, task](Result<LlmResponse> reply) {
                QVERIFY(returned); // never inside send()
                QVERIFY(reply);
                QCOMPARE(reply->content, QStringLiteral("pong"));
                order << QString::fromLatin1(task);
                ++answered;
            });
            returned = true;
        }
        QTRY_COMPARE(answered, 3);
        QCOMPARE(order, (QStringList{QStringLiteral("nt-1"), QStringLiteral("nt-2"), QStringLiteral("nt-3")}));

        LlmRequest unknown = LlmTestKit::ping();
        unknown.role = QStringLiteral("oracle");
        auto r = send(client, unknown);
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QStringLiteral("oracle")));
    }

    void simDrawsAreDeterministicAndUniform()
    {
        QCOMPARE(SimProvider::draw(1, QStringLiteral("nt-0")), SimProvider::draw(1, QStringLiteral("nt-0")));
        QVERIFY(SimProvider::draw(1, QStringLiteral("nt-0")) != SimProvider::draw(2, QStringLiteral("nt-0")));
        int below = 0;
        for (int i = 0; i < 2000; ++i) {
            const double u = SimProvider::draw(1, QStringLiteral("t-%1").arg(i));
            QVERIFY(u >= 0 && u < 1);
            below += u < 0.5;
        }
        QVERIFY2(below > 900 && below < 1100, qPrintable(QString::number(below)));
    }
};

QTEST_GUILESS_MAIN(tst_LlmClient)
#include "tst_LlmClient.moc"
