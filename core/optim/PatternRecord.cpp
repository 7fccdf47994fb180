#include "PatternRecord.h"

#include <QRegularExpression>

#include <algorithm>

namespace sg {

namespace {

QString str(const nlohmann::json& j, const char* key)
{
    if (!j.is_object() || !j.contains(key))
        return {};
    const auto& v = j.at(key);
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_number())
        return QString::fromStdString(v.dump());
    return {};
}

std::string s(const QString& q)
{
    return q.toStdString();
}

QString slug(const QString& text)
{
    QString out = text.toLower();
    out.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    while (out.startsWith(QLatin1Char('-')))
        out.remove(0, 1);
    while (out.endsWith(QLatin1Char('-')))
        out.chop(1);
    return out.left(40);
}

} // namespace

bool Pattern::needsEscalation() const
{
    if (appearedIn.size() < 3 || remedyLog.empty())
        return false;
    // It came back after an in-place remedy: seen in a later iteration than the first remedy.
    const int firstRemedy = remedyLog.front().iteration;
    return std::any_of(appearedIn.begin(), appearedIn.end(), [firstRemedy](int i) { return i > firstRemedy; });
}

const Pattern* PatternRecord::find(const QString& id) const
{
    for (const Pattern& p : patterns) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

Pattern* PatternRecord::find(const QString& id)
{
    for (Pattern& p : patterns) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

nlohmann::json PatternRecord::patternJson(const Pattern& p)
{
    nlohmann::json remedies = nlohmann::json::array();
    for (const Pattern::Remedy& r : p.remedyLog)
        remedies.push_back({{"iter", r.iteration}, {"diagnosis", s(r.diagnosis)}, {"patch", s(r.patch)}});
    return {{"id", s(p.id)},
            {"kind", s(p.kind)},
            {"summary", s(p.summary)},
            {"anchor", s(p.anchor)},
            {"appeared_in", p.appearedIn},
            {"description", s(p.description)},
            {"latest_executor_action", s(p.latestExecutorAction)},
            {"remedy_log", remedies}};
}

Pattern PatternRecord::patternFromJson(const nlohmann::json& j)
{
    Pattern p;
    p.id = str(j, "id");
    p.kind = str(j, "kind");
    if (p.kind != QLatin1String("operation") && p.kind != QLatin1String("workflow") && p.kind != QLatin1String("mixed"))
        p.kind = QStringLiteral("operation");
    p.summary = str(j, "summary");
    p.anchor = str(j, "anchor");
    p.description = str(j, "description");
    p.latestExecutorAction = str(j, "latest_executor_action");
    if (p.id.isEmpty())
        p.id = slug(p.summary.isEmpty() ? p.description : p.summary);
    if (j.is_object() && j.contains("appeared_in") && j.at("appeared_in").is_array()) {
        for (const auto& i : j.at("appeared_in"))
            if (i.is_number_integer())
                p.appearedIn.push_back(i.get<int>());
    }
    std::sort(p.appearedIn.begin(), p.appearedIn.end());
    p.appearedIn.erase(std::unique(p.appearedIn.begin(), p.appearedIn.end()), p.appearedIn.end());
    if (j.is_object() && j.contains("remedy_log") && j.at("remedy_log").is_array()) {
        for (const auto& r : j.at("remedy_log")) {
            Pattern::Remedy remedy;
            remedy.iteration = r.is_object() && r.contains("iter") && r.at("iter").is_number_integer() ? r.at("iter").get<int>() : 0;
            remedy.diagnosis = str(r, "diagnosis");
            remedy.patch = str(r, "patch");
            p.remedyLog.push_back(remedy);
        }
    }
    return p;
}

nlohmann::json PatternRecord::toJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const Pattern& p : patterns)
        list.push_back(patternJson(p));
    return {{"patterns", list}};
}

PatternRecord PatternRecord::fromJson(const nlohmann::json& json)
{
    PatternRecord record;
    const nlohmann::json list = json.is_object() ? json.value("patterns", nlohmann::json::array()) : json;
    if (!list.is_array())
        return record;
    for (const auto& j : list) {
        Pattern p = patternFromJson(j);
        if (p.id.isEmpty() || record.find(p.id))
            continue;
        record.patterns.push_back(p);
    }
    return record;
}

std::vector<const Pattern*> PatternRecord::ranked() const
{
    std::vector<const Pattern*> out;
    for (const Pattern& p : patterns)
        out.push_back(&p);
    std::stable_sort(out.begin(), out.end(), [](const Pattern* a, const Pattern* b) {
        if (a->appearedIn.size() != b->appearedIn.size())
            return a->appearedIn.size() > b->appearedIn.size();
        return a->lastSeen() > b->lastSeen();
    });
    return out;
}

nlohmann::json Overlay::toJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const OverlayEntry& e : entries)
        list.push_back({{"task", s(e.task)},
                        {"signal", s(e.signal)},
                        {"pattern", s(e.pattern)},
                        {"anchor", s(e.anchor)},
                        {"gap", s(e.gap)},
                        {"proposed_change", s(e.proposedChange)}});
    nlohmann::json themesJson = nlohmann::json::array();
    for (const QString& t : themes)
        themesJson.push_back(s(t));
    return {{"iteration", iteration}, {"overlay", list}, {"themes", themesJson}};
}

Overlay Overlay::fromJson(const nlohmann::json& json, int iteration)
{
    Overlay o;
    o.iteration = iteration;
    if (!json.is_object())
        return o;
    for (const auto& e : json.value("overlay", nlohmann::json::array())) {
        OverlayEntry entry;
        entry.task = str(e, "task");
        entry.signal = str(e, "signal");
        entry.pattern = str(e, "pattern");
        entry.anchor = str(e, "anchor");
        entry.gap = str(e, "gap");
        entry.proposedChange = str(e, "proposed_change");
        if (!entry.task.isEmpty())
            o.entries.push_back(entry);
    }
    for (const auto& t : json.value("themes", nlohmann::json::array())) {
        if (t.is_string() && o.themes.size() < kMaxThemes)
            o.themes << QString::fromStdString(t.get<std::string>());
    }
    return o;
}

} // namespace sg
