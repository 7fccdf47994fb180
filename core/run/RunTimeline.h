#pragma once

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sg {

// One iteration of a run as its events tell it; iteration 0 is the seed (the selection pass and
// the seed's val/test scores).
struct TimelinePoint
{
    int iteration = 0;
    int passed = 0; // tasks of the batch (or the selection pass) finished and passed so far
    int finished = 0;
    int total = 0;
    std::optional<double> batchPassRate; // when the iteration has ended
    std::optional<double> val;           // main's val score after the decision (the seed's for 0)
    std::optional<double> test;          // the seed's (0) or the final version's (last point)
    QString decision; // seed, running, accepted, edited, rejected, no-change, failed, stopped
    QString proposal; // the proposal commit's sha, when one was made
    QString commit;   // main's version after this iteration (the new commit when accepted)
    bool ended = false;
};

// What a run's events.jsonl says, folded event by event (DESIGN.md 3): the points for the chart,
// the status, and the progress for an ETA. The Studio feeds it from a file it follows, so it
// must accept a run that is still being written, and a resumed run: after
// `run_resumed {from_iteration: k}`, what the log said about iterations ≥ k is dropped (they are
// run again and logged anew).
class RunTimeline
{
public:
    void apply(const nlohmann::json& event);
    void clear() { *this = RunTimeline(); }

    const std::vector<TimelinePoint>& points() const { return m_points; }
    const TimelinePoint* point(int iteration) const;
    QString status() const { return m_status; } // "", running, completed, stopped, failed, cancelled
    QString stopReason() const { return m_stopReason; }
    bool simulated() const { return m_simulated; }
    bool running() const { return m_status == QLatin1String("running"); }
    // Iterations the run will make at most (0 until the selection pass has ended).
    int plannedIterations() const { return m_planned; }
    int currentIteration() const { return m_current; }
    // The last error event's message, for the log panel and the status bar.
    QString lastError() const { return m_lastError; }
    // Seconds since the run (or its resumption) started, from the events' times, and how many
    // iterations ended in that time: what the ETA is computed from.
    std::optional<double> etaSeconds(double nowSinceEpoch) const;
    qint64 eventsSeen() const { return m_events; }

private:
    TimelinePoint& at(int iteration);

    std::vector<TimelinePoint> m_points;
    QString m_status;
    QString m_stopReason;
    QString m_lastError;
    bool m_simulated = false;
    int m_planned = 0;
    int m_current = 0;
    int m_batch = 0;
    int m_epochs = 1;
    int m_maxIterations = 0;
    double m_startedAt = 0;     // seconds since the epoch of run_started / run_resumed
    double m_iterationsEndedAt = 0;
    int m_iterationsEndedSinceStart = 0;
    qint64 m_events = 0;
};

} // namespace sg
