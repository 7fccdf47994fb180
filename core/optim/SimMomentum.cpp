#include "SimMomentum.h"

#include "Diagnosis.h"
#include "PatternRecord.h"
#include "SimGuidance.h"

#include <QRegularExpression>

#include <algorithm>
#include <map>

namespace sg {

namespace {

using Category = SimExecutor::Category;

struct Tally
{
    int failures = 0;
    int successes = 0;
    const Diagnosis* latest = nullptr;
};

bool isSuccess(const Diagnosis& d)
{
    return d.kind == QLatin1String("contrastive");
}

// The sim diagnoser says "despite guidance" when the agent had guidance and still failed.
bool guidedFailure(const Diagnosis& d)
{
    return !isSuccess(d) && d.label.contains(QLatin1String("despite"), Qt::CaseInsensitive);
}

const Category* categoryOf(const Diagnosis& d)
{
    const Category* c = SimGuidance::named(d.label);
    return c ? c : SimGuidance::named(d.prose);
}

int iterationOf(const LlmRequest& request, const QString& user, const std::vector<Diagnosis>& diagnoses)
{
    if (request.context.iteration >= 1)
        return request.context.iteration;
    static const QRegularExpression line(QStringLiteral("^Iteration (\\d+)"), QRegularExpression::MultilineOption);
    if (const auto m = line.match(user); m.hasMatch())
        return m.captured(1).toInt();
    int latest = 0;
    for (const Diagnosis& d : diagnoses)
        latest = std::max(latest, d.iteration);
    return latest;
}

QString joinIterations(const std::vector<int>& list)
{
    QStringList out;
    for (int i : list)
        out << QString::number(i);
    return out.join(QStringLiteral(", "));
}

QString plural(int n, const QString& one, const QString& many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

void mergeCategory(Pattern& p, const Category& c, int iteration)
{
    if (p.summary.isEmpty())
        p.summary = SimGuidance::summary(c);
    if (p.anchor.isEmpty())
        p.anchor = SimGuidance::anchor(c);
    p.appearedIn.push_back(iteration);
    std::sort(p.appearedIn.begin(), p.appearedIn.end());
    p.appearedIn.erase(std::unique(p.appearedIn.begin(), p.appearedIn.end()), p.appearedIn.end());
}

// Rewritten in place each time the category is seen, once the remedy log is up to date.
void describe(Pattern& p, const Category& c, const Tally& t, int iteration)
{
    p.description = QStringLiteral("Iteration %1: %2 diagnosed, %3 and %4. Seen in %5; %6 so far.")
                        .arg(iteration)
                        .arg(plural(t.failures + t.successes, QStringLiteral("%1 task").arg(c.name), QStringLiteral("%1 tasks").arg(c.name)),
                             plural(t.failures, QStringLiteral("failure"), QStringLiteral("failures")),
                             plural(t.successes, QStringLiteral("success"), QStringLiteral("successes")),
                             (p.appearedIn.size() == 1 ? QStringLiteral("iteration ") : QStringLiteral("iterations ")) + joinIterations(p.appearedIn),
                             plural(int(p.remedyLog.size()), QStringLiteral("remedy"), QStringLiteral("remedies")));
    const Diagnosis& d = *t.latest;
    p.latestExecutorAction = isSuccess(d) ? QStringLiteral("followed the %1 guidance and passed").arg(c.name)
                             : guidedFailure(d)
                                 ? QStringLiteral("had the %1 guidance but still submitted a wrong answer").arg(c.name)
                                 : QStringLiteral("answered a %1 question without a %1 method and submitted a wrong answer").arg(c.name);
}

OverlayEntry overlayEntry(const Diagnosis& d, const Category* c, const Pattern* p)
{
    OverlayEntry e;
    e.task = d.task;
    e.signal = isSuccess(d) ? QStringLiteral("success") : QStringLiteral("failure");
    if (!c || !p) {
        e.pattern = QStringLiteral("none");
        e.gap = QStringLiteral("the diagnosis names no known question type");
        e.proposedChange = QStringLiteral("none");
        return e;
    }
    e.pattern = p->id;
    e.anchor = p->anchor;
    const QString lift = QStringLiteral("lift the %1 guidance into %2 with a pointer line").arg(c->name, SimGuidance::referencePath(*c));
    if (isSuccess(d)) {
        e.gap = QStringLiteral("none: the %1 guidance was followed").arg(c->name);
        e.proposedChange = QStringLiteral("keep the %1 guidance").arg(c->name);
    } else if (guidedFailure(d)) {
        e.gap = QStringLiteral("the %1 guidance was there but applied loosely").arg(c->name);
        e.proposedChange = p->needsEscalation() ? lift : QStringLiteral("make the %1 guidance more explicit").arg(c->name);
    } else {
        e.gap = QStringLiteral("the skill has no guidance for %1 questions").arg(c->name);
        e.proposedChange = p->needsEscalation() ? lift : QStringLiteral("add a %1 section with a %2 method").arg(SimGuidance::heading(*c).mid(3), c->name);
    }
    return e;
}

QStringList themesFor(const std::vector<Diagnosis>& diagnoses)
{
    QStringList failing;
    bool anySuccess = false, anyGuidedFailure = false;
    for (const Diagnosis& d : diagnoses) {
        anySuccess = anySuccess || isSuccess(d);
        anyGuidedFailure = anyGuidedFailure || guidedFailure(d);
        const Category* c = categoryOf(d);
        if (!isSuccess(d) && c && !failing.contains(c->name))
            failing << c->name;
    }
    QStringList themes;
    if (!failing.isEmpty())
        themes << QStringLiteral("Answers are not checked against the table");
    if (failing.size() >= 2)
        themes << QStringLiteral("The skill gives no method per question type");
    if (anySuccess)
        themes << QStringLiteral("Question-type guidance turns failures into passes");
    if (anyGuidedFailure)
        themes << QStringLiteral("Guidance is present but applied loosely");
    return themes.mid(0, Overlay::kMaxThemes);
}

} // namespace

Result<LlmResponse> SimMomentum::answer(const LlmRequest& request, const SimProvider&)
{
    QString user;
    for (const LlmMessage& m : request.messages) {
        if (m.role == LlmMessage::Role::User)
            user += m.content + QLatin1Char('\n');
    }
    PatternRecord record = PatternRecord::fromJson(SimGuidance::blockWith(user, "patterns"));
    std::vector<Diagnosis> diagnoses;
    for (const auto& j : SimGuidance::blockWith(user, "diagnoses").value("diagnoses", nlohmann::json::array()))
        diagnoses.push_back(Diagnosis::fromJson(j));
    const int iteration = iterationOf(request, user, diagnoses);

    // Merge by category, in the order the categories first show up.
    std::vector<const Category*> order;
    std::map<QString, Tally> tallies;
    for (const Diagnosis& d : diagnoses) {
        const Category* c = categoryOf(d);
        if (!c)
            continue;
        Tally& t = tallies[c->name];
        if (!t.latest)
            order.push_back(c);
        (isSuccess(d) ? t.successes : t.failures) += 1;
        t.latest = &d;
    }
    for (const Category* c : order) {
        Pattern* p = record.find(SimGuidance::patternId(*c));
        if (!p) {
            Pattern fresh;
            fresh.id = SimGuidance::patternId(*c);
            record.patterns.push_back(fresh);
            p = &record.patterns.back();
        }
        mergeCategory(*p, *c, iteration);
    }

    // The patch goes into the remedy log of each pattern it addressed, once.
    const nlohmann::json patch = SimGuidance::blockWith(user, "patch").value("patch", nlohmann::json::object());
    if (patch.is_object() && !patch.empty()) {
        const int patchIteration = patch.value("iteration", iteration);
        const QString rationale = QString::fromStdString(patch.value("rationale", std::string()));
        QStringList addressed;
        for (const auto& id : patch.value("patterns_addressed", nlohmann::json::array()))
            if (id.is_string() && !addressed.contains(QString::fromStdString(id.get<std::string>())))
                addressed << QString::fromStdString(id.get<std::string>());
        for (const QString& id : addressed) {
            Pattern* p = record.find(id);
            if (!p)
                continue;
            const bool known = std::any_of(p->remedyLog.begin(), p->remedyLog.end(), [&](const Pattern::Remedy& r) {
                return r.iteration == patchIteration && r.patch == rationale;
            });
            if (!known)
                p->remedyLog.push_back({patchIteration, p->summary, rationale});
        }
    }

    for (const Category* c : order)
        describe(*record.find(SimGuidance::patternId(*c)), *c, tallies[c->name], iteration);

    Overlay overlay;
    overlay.iteration = iteration;
    for (const Diagnosis& d : diagnoses) {
        const Category* c = categoryOf(d);
        overlay.entries.push_back(overlayEntry(d, c, c ? record.find(SimGuidance::patternId(*c)) : nullptr));
    }
    overlay.themes = themesFor(diagnoses);

    nlohmann::json patterns = nlohmann::json::array();
    for (const Pattern* p : record.ranked()) // frequent first, then most recent
        patterns.push_back(PatternRecord::patternJson(*p));
    QStringList ids;
    for (const Category* c : order)
        ids << SimGuidance::patternId(*c);
    const nlohmann::json o = overlay.toJson();
    const nlohmann::json block = {{"patterns", patterns}, {"overlay", o.at("overlay")}, {"themes", o.at("themes")}};

    LlmResponse r;
    r.content = QStringLiteral("Iteration %1: %2 merged by question type into %3 (%4)%5.\n\n```json\n%6\n```")
                    .arg(iteration)
                    .arg(plural(int(diagnoses.size()), QStringLiteral("diagnosis"), QStringLiteral("diagnoses")),
                         plural(int(order.size()), QStringLiteral("pattern"), QStringLiteral("patterns")),
                         ids.isEmpty() ? QStringLiteral("none") : ids.join(QStringLiteral(", ")),
                         patch.empty() ? QString() : QStringLiteral("; the patch is in the remedy log"),
                         QString::fromStdString(block.dump()));
    return r;
}

} // namespace sg
