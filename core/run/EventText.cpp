#include "EventText.h"

#include <QDateTime>

namespace sg {

namespace {

QString str(const nlohmann::json& e, const char* key)
{
    const auto it = e.find(key);
    if (it == e.end())
        return {};
    if (it->is_string())
        return QString::fromStdString(it->get<std::string>());
    if (it->is_number_float())
        return QString::number(it->get<double>(), 'f', 3);
    if (it->is_number() || it->is_boolean())
        return QString::fromStdString(it->dump());
    return {};
}

bool flag(const nlohmann::json& e, const char* key, bool fallback = false)
{
    const auto it = e.find(key);
    return it != e.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

QString shortSha(const nlohmann::json& e, const char* key)
{
    return str(e, key).left(7);
}

QString what(const nlohmann::json& e, const QString& type)
{
    if (type == QLatin1String("run_started"))
        return QStringLiteral("run started from %1%2").arg(shortSha(e, "skill"), flag(e, "simulated", false) ? QStringLiteral(" (SIMULATED: sim provider)") : QString());
    if (type == QLatin1String("run_resumed"))
        return QStringLiteral("run resumed from iteration %1").arg(str(e, "from_iteration"));
    if (type == QLatin1String("selection_finished")) {
        const auto training = e.find("training");
        return QStringLiteral("selection pass: %1/%2 train tasks passed; %3 to learn from")
            .arg(str(e, "passed"), str(e, "total"))
            .arg(training != e.end() && training->is_array() ? int(training->size()) : 0);
    }
    if (type == QLatin1String("eval_finished"))
        return QStringLiteral("%1 score %2 (%3)").arg(str(e, "split"), str(e, "score").isEmpty() ? QStringLiteral("-") : str(e, "score"), shortSha(e, "version"));
    if (type == QLatin1String("iteration_started")) {
        const auto batch = e.find("batch");
        QStringList ids;
        if (batch != e.end() && batch->is_array())
            for (const auto& id : *batch)
                ids << QString::fromStdString(id.is_string() ? id.get<std::string>() : id.dump());
        return QStringLiteral("iteration started: batch %1").arg(ids.join(QStringLiteral(", ")));
    }
    if (type == QLatin1String("task_finished"))
        return QStringLiteral("%1 %2").arg(str(e, "task"), flag(e, "passed", false) ? QStringLiteral("passed") : QStringLiteral("failed"));
    if (type == QLatin1String("diagnosis"))
        return QStringLiteral("%1 diagnosis of %2: %3").arg(str(e, "kind"), str(e, "task"), str(e, "label"));
    if (type == QLatin1String("momentum_updated"))
        return QStringLiteral("momentum: %1 pattern(s), %2 theme(s) this iteration").arg(str(e, "patterns"), str(e, "themes"));
    if (type == QLatin1String("caps_violated"))
        return QStringLiteral("the patch broke a cap; asking for a repair");
    if (type == QLatin1String("proposal_ready"))
        return QStringLiteral("proposal %1: %2 changed line(s)%3")
            .arg(shortSha(e, "commit"), str(e, "changed_lines"), flag(e, "caps_ok", true) ? QString() : QStringLiteral(", caps broken"));
    if (type == QLatin1String("awaiting_decision"))
        return QStringLiteral("waiting for a review decision on %1").arg(shortSha(e, "proposal"));
    if (type == QLatin1String("commit"))
        return QStringLiteral("committed %1: %2").arg(shortSha(e, "commit"), str(e, "summary"));
    if (type == QLatin1String("decision"))
        return QStringLiteral("%1 by %2%3").arg(str(e, "kind"), str(e, "by"), str(e, "reason").isEmpty() ? QString() : QStringLiteral(" (%1)").arg(str(e, "reason")));
    if (type == QLatin1String("scores"))
        return QStringLiteral("batch pass rate %1, val %2: %3").arg(str(e, "batch_pass_rate"), str(e, "val"), str(e, "decision"));
    if (type == QLatin1String("usage"))
        return QStringLiteral("%1 call(s), %2 in / %3 out tokens, $%4")
            .arg(str(e, "calls"), str(e, "input_tokens"), str(e, "output_tokens"))
            .arg(e.contains("cost_usd") && e["cost_usd"].is_number() ? e["cost_usd"].get<double>() : 0.0, 0, 'f', 4);
    if (type == QLatin1String("stopped"))
        return QStringLiteral("stopped: %1").arg(str(e, "reason"));
    if (type == QLatin1String("error"))
        return QStringLiteral("error in %1: %2").arg(str(e, "step"), str(e, "message"));
    if (type == QLatin1String("run_finished"))
        return QStringLiteral("run %1: %2; final val %3").arg(str(e, "status"), str(e, "reason"), str(e, "final_val"));
    return type;
}

} // namespace

QString EventText::describe(const nlohmann::json& event)
{
    const QString type = str(event, "type");
    const QDateTime time = QDateTime::fromString(str(event, "time"), Qt::ISODateWithMs);
    const QString clock = time.isValid() ? time.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : QStringLiteral("--:--:--");
    const QString iteration = event.contains("iter") ? QStringLiteral("#%1").arg(str(event, "iter")) : QString();
    return QStringLiteral("%1  %2  %3").arg(clock).arg(iteration, -4).arg(what(event, type));
}

bool EventText::isProblem(const nlohmann::json& event)
{
    const QString type = str(event, "type");
    return type == QLatin1String("error") || type == QLatin1String("caps_violated") ||
           (type == QLatin1String("run_finished") && str(event, "status") == QLatin1String("failed"));
}

} // namespace sg
