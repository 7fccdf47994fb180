#include "RunTimeline.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace sg {

namespace {

QString str(const nlohmann::json& event, const char* key)
{
    const auto it = event.find(key);
    return it != event.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

std::optional<double> number(const nlohmann::json& event, const char* key)
{
    const auto it = event.find(key);
    return it != event.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

int integer(const nlohmann::json& event, const char* key, int fallback = 0)
{
    const auto it = event.find(key);
    return it != event.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

bool flag(const nlohmann::json& event, const char* key)
{
    const auto it = event.find(key);
    return it != event.end() && it->is_boolean() && it->get<bool>();
}

double seconds(const nlohmann::json& event)
{
    const QDateTime t = QDateTime::fromString(str(event, "time"), Qt::ISODateWithMs);
    return t.isValid() ? double(t.toMSecsSinceEpoch()) / 1000.0 : 0;
}

} // namespace

TimelinePoint& RunTimeline::at(int iteration)
{
    auto it = std::lower_bound(m_points.begin(), m_points.end(), iteration,
                               [](const TimelinePoint& p, int i) { return p.iteration < i; });
    if (it == m_points.end() || it->iteration != iteration) {
        TimelinePoint p;
        p.iteration = iteration;
        it = m_points.insert(it, p);
    }
    return *it;
}

const TimelinePoint* RunTimeline::point(int iteration) const
{
    for (const TimelinePoint& p : m_points)
        if (p.iteration == iteration)
            return &p;
    return nullptr;
}

void RunTimeline::apply(const nlohmann::json& event)
{
    if (!event.is_object())
        return;
    ++m_events;
    const QString type = str(event, "type");
    const int iteration = integer(event, "iter", -1);

    if (type == QLatin1String("run_started") || type == QLatin1String("run_resumed")) {
        const auto found = event.find("options");
        const nlohmann::json options = found != event.end() && found->is_object() ? *found : nlohmann::json::object();
        m_batch = std::max(1, integer(options, "batch", 4));
        m_epochs = std::max(1, integer(options, "epochs", 1));
        m_maxIterations = integer(options, "max_iterations", 0);
        m_status = QStringLiteral("running");
        m_stopReason.clear();
        m_startedAt = seconds(event);
        m_iterationsEndedSinceStart = 0;
        m_iterationsEndedAt = m_startedAt;
        if (type == QLatin1String("run_started")) {
            m_simulated = flag(event, "simulated");
            at(0).decision = QStringLiteral("seed");
            at(0).commit = str(event, "skill");
        } else {
            // The iterations from `from_iteration` on are run again and logged anew.
            const int from = integer(event, "from_iteration", 1);
            m_points.erase(std::remove_if(m_points.begin(), m_points.end(), [from](const TimelinePoint& p) { return p.iteration >= from; }),
                           m_points.end());
            m_current = std::max(0, from - 1);
            // A test score at the end of the earlier attempt belongs to no point any more.
        }
        return;
    }
    if (type == QLatin1String("selection_finished")) {
        TimelinePoint& seed = at(0);
        seed.passed = integer(event, "passed");
        seed.total = integer(event, "total");
        seed.finished = seed.total;
        const auto training = event.find("training");
        const int n = training != event.end() && training->is_array() ? int(training->size()) : 0;
        m_planned = (n + m_batch - 1) / m_batch * m_epochs;
        if (m_maxIterations > 0)
            m_planned = std::min(m_planned, m_maxIterations);
        return;
    }
    if (type == QLatin1String("eval_finished")) {
        const std::optional<double> score = number(event, "score");
        if (str(event, "split") == QLatin1String("val")) {
            at(0).val = score;
        } else if (str(event, "at") == QLatin1String("end") && !m_points.empty()) {
            m_points.back().test = score;
        } else {
            at(0).test = score;
        }
        return;
    }
    if (type == QLatin1String("run_finished")) {
        m_status = str(event, "status");
        m_stopReason = str(event, "reason");
        return;
    }
    if (type == QLatin1String("error")) {
        m_lastError = str(event, "message");
        return;
    }
    if (iteration < 1)
        return;

    TimelinePoint& p = at(iteration);
    if (type == QLatin1String("iteration_started")) {
        const auto batch = event.find("batch");
        p = TimelinePoint();
        p.iteration = iteration;
        p.total = batch != event.end() && batch->is_array() ? int(batch->size()) : 0;
        p.decision = QStringLiteral("running");
        p.commit = str(event, "skill");
        m_current = iteration;
    } else if (type == QLatin1String("task_finished")) {
        ++p.finished;
        p.passed += flag(event, "passed") ? 1 : 0;
    } else if (type == QLatin1String("proposal_ready")) {
        p.proposal = str(event, "commit");
    } else if (type == QLatin1String("commit")) {
        p.commit = str(event, "commit");
    } else if (type == QLatin1String("decision")) {
        p.decision = str(event, "kind");
        if (!str(event, "proposal").isEmpty())
            p.proposal = str(event, "proposal");
        if (!str(event, "commit").isEmpty())
            p.commit = str(event, "commit");
    } else if (type == QLatin1String("scores")) {
        p.batchPassRate = number(event, "batch_pass_rate");
        p.val = number(event, "val");
        p.decision = str(event, "decision");
        p.ended = true;
        ++m_iterationsEndedSinceStart;
        m_iterationsEndedAt = seconds(event);
    }
}

std::optional<double> RunTimeline::etaSeconds(double now) const
{
    if (!running() || m_planned <= 0 || m_iterationsEndedSinceStart == 0 || m_startedAt <= 0)
        return std::nullopt;
    // Iterations run at a fairly even pace once the selection pass is done, so the mean of the
    // ones this process has seen end is the estimate; the one in flight is counted as begun.
    const double perIteration = (m_iterationsEndedAt - m_startedAt) / m_iterationsEndedSinceStart;
    const int remaining = std::max(0, m_planned - m_current);
    const double inFlight = std::max(0.0, perIteration - (now - m_iterationsEndedAt));
    const TimelinePoint* current = point(m_current);
    const double left = remaining * perIteration + (current && !current->ended ? inFlight : 0.0);
    return std::max(0.0, std::round(left));
}

} // namespace sg
