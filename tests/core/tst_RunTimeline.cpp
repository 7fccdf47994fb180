#include "run/EventFollower.h"
#include "run/EventText.h"
#include "run/RunTimeline.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using nlohmann::json;

namespace {

json ev(const char* type, int iter = -1, json fields = json::object())
{
    fields["type"] = type;
    if (iter >= 0)
        fields["iter"] = iter;
    return fields;
}

json options(int batch, int epochs = 1, int maxIterations = 0)
{
    return {{"batch", batch}, {"epochs", epochs}, {"max_iterations", maxIterations}};
}

// The events of a run with two iterations: one accepted, one rejected.
std::vector<json> twoIterations()
{
    return {ev("run_started", -1, {{"skill", "s0"}, {"simulated", true}, {"options", options(2)}, {"time", "2026-01-01T10:00:00.000Z"}}),
            ev("selection_finished", -1, {{"passed", 1}, {"total", 5}, {"training", {"a", "b", "c", "d"}}}),
            ev("eval_finished", -1, {{"split", "val"}, {"score", 0.25}}),
            ev("eval_finished", -1, {{"split", "test"}, {"score", 0.3}, {"at", "start"}}),
            ev("iteration_started", 1, {{"batch", {"a", "b"}}, {"skill", "s0"}}),
            ev("task_finished", 1, {{"task", "a"}, {"passed", true}}),
            ev("task_finished", 1, {{"task", "b"}, {"passed", false}}),
            ev("proposal_ready", 1, {{"commit", "p1"}}),
            ev("commit", 1, {{"commit", "s1"}}),
            ev("decision", 1, {{"kind", "accepted"}, {"proposal", "p1"}, {"commit", "s1"}}),
            ev("scores", 1, {{"batch_pass_rate", 0.5}, {"val", 0.5}, {"decision", "accepted"}, {"time", "2026-01-01T10:00:10.000Z"}}),
            ev("iteration_started", 2, {{"batch", {"c", "d"}}, {"skill", "s1"}}),
            ev("task_finished", 2, {{"task", "c"}, {"passed", false}}),
            ev("task_finished", 2, {{"task", "d"}, {"passed", false}}),
            ev("proposal_ready", 2, {{"commit", "p2"}}),
            ev("decision", 2, {{"kind", "rejected"}, {"proposal", "p2"}}),
            ev("scores", 2, {{"batch_pass_rate", 0.0}, {"val", 0.5}, {"decision", "rejected"}, {"time", "2026-01-01T10:00:20.000Z"}})};
}

} // namespace

class tst_RunTimeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void foldsARun()
    {
        RunTimeline t;
        for (const json& e : twoIterations())
            t.apply(e);
        QVERIFY(t.simulated());
        QCOMPARE(t.status(), QStringLiteral("running"));
        QCOMPARE(t.plannedIterations(), 2); // 4 training tasks in batches of 2
        QCOMPARE(int(t.points().size()), 3);
        const TimelinePoint* seed = t.point(0);
        QCOMPARE(seed->val.value(), 0.25);
        QCOMPARE(seed->test.value(), 0.3);
        QCOMPARE(seed->commit, QStringLiteral("s0"));
        const TimelinePoint* one = t.point(1);
        QCOMPARE(one->decision, QStringLiteral("accepted"));
        QCOMPARE(one->commit, QStringLiteral("s1"));
        QCOMPARE(one->proposal, QStringLiteral("p1"));
        QCOMPARE(one->passed, 1);
        QCOMPARE(one->batchPassRate.value(), 0.5);
        const TimelinePoint* two = t.point(2);
        QCOMPARE(two->decision, QStringLiteral("rejected"));
        QCOMPARE(two->commit, QStringLiteral("s1")); // main did not move
        QCOMPARE(two->proposal, QStringLiteral("p2"));

        t.apply(ev("eval_finished", -1, {{"split", "test"}, {"score", 0.6}, {"at", "end"}}));
        t.apply(ev("run_finished", -1, {{"status", "completed"}, {"reason", "finished the epochs"}}));
        QCOMPARE(t.point(2)->test.value(), 0.6);
        QCOMPARE(t.status(), QStringLiteral("completed"));
        QVERIFY(!t.etaSeconds(0));
    }

    void partialIterationAndEta()
    {
        RunTimeline t;
        auto events = twoIterations();
        events.resize(13); // iteration 2 started, one task finished
        for (const json& e : events)
            t.apply(e);
        const TimelinePoint* two = t.point(2);
        QCOMPARE(two->decision, QStringLiteral("running"));
        QCOMPARE(two->finished, 1);
        QCOMPARE(two->total, 2);
        QVERIFY(!two->batchPassRate);
        QCOMPARE(t.currentIteration(), 2);
        // One iteration took 10 s from the start; 4 s into the second, about 6 s are left.
        const double now = QDateTime::fromString(QStringLiteral("2026-01-01T10:00:14.000Z"), Qt::ISODateWithMs).toMSecsSinceEpoch() / 1000.0;
        QCOMPARE(t.etaSeconds(now).value(), 6.0);
    }

    void resumeDropsSupersededIterations()
    {
        RunTimeline t;
        auto events = twoIterations();
        events.resize(14); // killed in iteration 2
        for (const json& e : events)
            t.apply(e);
        t.apply(ev("run_resumed", -1, {{"from_iteration", 2}, {"options", options(2)}}));
        QCOMPARE(int(t.points().size()), 2); // seed and iteration 1 stand
        QCOMPARE(t.point(1)->decision, QStringLiteral("accepted"));
        QVERIFY(!t.point(2));
        QCOMPARE(t.plannedIterations(), 2);
        t.apply(ev("iteration_started", 2, {{"batch", {"c", "d"}}}));
        t.apply(ev("task_finished", 2, {{"task", "c"}, {"passed", true}}));
        QCOMPARE(t.point(2)->finished, 1); // counted once, not on top of the killed attempt's
    }

    void ignoresGarbage()
    {
        RunTimeline t;
        t.apply(json::array());
        t.apply(json("text"));
        t.apply(ev("task_finished", 7, {{"passed", "yes"}}));
        t.apply(ev("scores", 7, {{"val", "high"}}));
        QCOMPARE(t.point(7)->finished, 1);
        QVERIFY(!t.point(7)->val);
    }

    void followerDeliversCompleteLinesOnly()
    {
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("events.jsonl"));
        EventFollower follower;
        QSignalSpy arrived(&follower, &EventFollower::eventsArrived);
        QSignalSpy restarted(&follower, &EventFollower::restarted);
        follower.follow(file); // not there yet
        QCOMPARE(arrived.count(), 0);

        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
        f.write("{\"seq\":0,\"type\":\"run_started\"}\n{\"seq\":1,\"ty");
        f.flush();
        follower.poll();
        QCOMPARE(arrived.count(), 1);
        QCOMPARE(arrived.at(0).at(0).value<std::vector<json>>().size(), std::size_t(1));
        f.write("pe\":\"selection_finished\"}\nnot json\n{\"seq\":2,\"type\":\"eval_finished\"}\n");
        f.flush();
        follower.poll();
        QCOMPARE(arrived.count(), 2);
        const auto second = arrived.at(1).at(0).value<std::vector<json>>();
        QCOMPARE(second.size(), std::size_t(2)); // the torn line joined up, the damaged one skipped
        QCOMPARE(second[0].value("type", std::string()), std::string("selection_finished"));
        follower.poll();
        QCOMPARE(arrived.count(), 2); // nothing new, nothing delivered

        // Replaced by a new file (a run folder made again): read from its start.
        f.close();
        QVERIFY(QFile::remove(file));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"seq\":0,\"type\":\"run_started\"}\n");
        f.close();
        follower.poll();
        QCOMPARE(restarted.count(), 1);
        QCOMPARE(arrived.count(), 3);
    }

    void followerWakesOnAppend()
    {
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("events.jsonl"));
        EventFollower follower;
        follower.setPollInterval(60000); // only the file watcher can deliver in time
        QSignalSpy arrived(&follower, &EventFollower::eventsArrived);
        follower.follow(file);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
        f.write("{\"seq\":0,\"type\":\"run_started\"}\n");
        f.flush();
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 5000);
        f.write("{\"seq\":1,\"type\":\"run_finished\"}\n");
        f.flush();
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 2, 5000);
    }

    void describesEvents()
    {
        QVERIFY(EventText::describe(ev("task_finished", 3, {{"task", "nt-12"}, {"passed", true}})).contains(QStringLiteral("#3")));
        QVERIFY(EventText::describe(ev("task_finished", 3, {{"task", "nt-12"}, {"passed", true}})).contains(QStringLiteral("nt-12 passed")));
        QVERIFY(EventText::describe(ev("run_started", -1, {{"skill", "abcdef123"}, {"simulated", true}})).contains(QStringLiteral("SIMULATED")));
        QVERIFY(EventText::isProblem(ev("error", 2, {{"message", "x"}})));
        QVERIFY(!EventText::isProblem(ev("scores", 2)));
        // Wrong types never throw: a line from a newer or damaged writer is shown as it can be.
        QVERIFY(!EventText::describe(ev("usage", 1, {{"cost_usd", "free"}, {"calls", json::array()}})).isEmpty());
        QVERIFY(!EventText::describe(ev("run_started", -1, {{"simulated", "yes"}})).contains(QStringLiteral("SIMULATED")));
    }
};

QTEST_GUILESS_MAIN(tst_RunTimeline)
#include "tst_RunTimeline.moc"
