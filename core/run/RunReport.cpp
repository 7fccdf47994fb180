#include "RunReport.h"

#include "EventLog.h"
#include "common/AtomicFile.h"
#include "common/JsonReader.h"
#include "optim/PatternRecord.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <map>

namespace sg {

namespace {

constexpr qint64 kMaxJsonBytes = 64 * 1024 * 1024;
constexpr double kAnyNumber = std::numeric_limits<double>::max();
constexpr qint64 kAnyCount = std::numeric_limits<qint64>::max();

// The five roles in the order of the loop; any other role follows, by name.
const QStringList kRoleOrder{QStringLiteral("executor"), QStringLiteral("failure-diagnoser"), QStringLiteral("contrastive-diagnoser"),
                             QStringLiteral("momentum"), QStringLiteral("patcher")};

bool roleLess(const QString& a, const QString& b)
{
    const auto rank = [](const QString& role) {
        const qsizetype i = kRoleOrder.indexOf(role);
        return i < 0 ? kRoleOrder.size() : i;
    };
    return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
}

QString iterationFolder(int iteration)
{
    return QStringLiteral("iter-%1").arg(iteration, 4, 10, QLatin1Char('0'));
}

// One file of the run, parsed. Errors name the file by its path inside the run folder.
Result<nlohmann::json> readJson(const QString& runDir, const QString& relative)
{
    auto bytes = AtomicFile::read(QDir(runDir).filePath(relative), kMaxJsonBytes);
    if (!bytes) {
        if (bytes.error().code == QLatin1String("not-found"))
            return Error{QStringLiteral("is missing"), {}, relative, QStringLiteral("not-found")};
        return Error{bytes.error().message, {}, relative, QStringLiteral("io")};
    }
    try {
        return nlohmann::json::parse(bytes->constData(), bytes->constData() + bytes->size());
    } catch (const nlohmann::json::exception& e) {
        return Error{QStringLiteral("is not valid JSON (%1)").arg(QString::fromUtf8(e.what())),
                     QStringLiteral("the file is damaged or was cut short"), relative, QStringLiteral("invalid")};
    }
}

bool fileExists(const QString& runDir, const QString& relative)
{
    return QFileInfo::exists(QDir(runDir).filePath(relative));
}

// A problem line of an iteration: "iter-0002/diagnoses.json: is not valid JSON (…)".
QString problemText(const Error& e)
{
    return e.where.isEmpty() ? e.message : e.where + QStringLiteral(": ") + e.message;
}

std::optional<UsageLedger::Row> usageRow(JsonReader& parent, const char* key)
{
    auto r = parent.object(key);
    if (!r)
        return std::nullopt;
    UsageLedger::Row row;
    row.role = r->string("role").value_or(QString());
    row.iteration = int(r->integer("iteration", -1, std::numeric_limits<int>::max()).value_or(-1));
    row.calls = r->integer("calls", 0, kAnyCount).value_or(0);
    row.cacheHits = r->integer("cache_hits", 0, kAnyCount).value_or(0);
    row.inputTokens = r->integer("input_tokens", 0, kAnyCount).value_or(0);
    row.outputTokens = r->integer("output_tokens", 0, kAnyCount).value_or(0);
    row.costUsd = r->number("cost_usd", 0, kAnyNumber).value_or(0);
    row.fullyPriced = r->boolean("fully_priced").value_or(true);
    return row;
}

// What summary.json says about one iteration; the folder's files add the detail.
Result<RunReport::Iteration> summaryIteration(const nlohmann::json& j, const QString& path)
{
    JsonReader r(j, QStringLiteral("summary.json"), path);
    RunReport::Iteration it;
    it.iteration = int(r.integer("iteration", 1, 1000000, true).value_or(0));
    it.passed = int(r.integer("passed", 0, kAnyCount).value_or(0));
    it.total = int(r.integer("total", 0, kAnyCount).value_or(0));
    it.batchPassRate = r.number("batch_pass_rate", 0, 1);
    it.valScore = r.number("val_score", 0, 1);
    it.decision = r.string("decision").value_or(QString());
    it.reason = r.string("reason").value_or(QString());
    it.proposal = r.string("proposal").value_or(QString());
    it.commit = r.string("commit").value_or(QString());
    it.escalated = r.boolean("escalated").value_or(false);
    it.usage = usageRow(r, "usage");
    if (auto e = r.error())
        return *e;
    return it;
}

// The events of one iteration that the report can fall back on while summary.json is not there.
struct IterationEvents
{
    std::optional<nlohmann::json> scores;
    std::optional<nlohmann::json> usage;
    std::optional<nlohmann::json> error;
};

double jsonNumber(const nlohmann::json& j, const char* key, double fallback)
{
    return j.is_object() && j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : fallback;
}

QString jsonString(const nlohmann::json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j.at(key).is_string() ? QString::fromStdString(j.at(key).get<std::string>()) : QString();
}

std::vector<RunReport::PatternChange> compareRecords(const PatternRecord* before, const PatternRecord& after)
{
    std::vector<RunReport::PatternChange> out;
    for (const Pattern* p : after.ranked()) {
        const Pattern* old = before ? before->find(p->id) : nullptr;
        RunReport::PatternChange c;
        c.id = p->id;
        c.summary = p->summary;
        c.anchor = p->anchor;
        c.appearedIn = p->appearedIn;
        c.isNew = old == nullptr;
        c.recurred = old && p->appearedIn.size() > old->appearedIn.size();
        c.escalation = p->needsEscalation() && !(old && old->needsEscalation());
        c.newRemedies = int(p->remedyLog.size()) - (old ? int(old->remedyLog.size()) : 0);
        if (c.isNew || c.recurred || c.escalation || c.newRemedies > 0)
            out.push_back(c);
    }
    if (before) {
        for (const Pattern& p : before->patterns) {
            if (!after.find(p.id)) {
                RunReport::PatternChange c;
                c.id = p.id;
                c.summary = p.summary;
                c.anchor = p.anchor;
                c.appearedIn = p.appearedIn;
                c.removed = true;
                out.push_back(c);
            }
        }
    }
    return out;
}

// Reads one iteration folder into `it` (which may already hold summary.json's line). Every file
// that cannot be read becomes a problem of the iteration; `record` is the latest pattern record
// read so far, and becomes this iteration's when it has one.
void loadIteration(const QString& runDir, RunReport::Iteration& it, const IterationEvents& events, std::optional<PatternRecord>& record)
{
    const QString folder = it.folder;
    const auto file = [&folder](const char* name) { return folder + QLatin1Char('/') + QString::fromLatin1(name); };
    // summary.json's decision, else the one the events recorded (none yet: still running, or killed).
    if (it.decision.isEmpty() && events.scores)
        it.decision = jsonString(*events.scores, "decision");
    const bool decided = !it.decision.isEmpty() || fileExists(runDir, file("decision.json"));
    // Which files the iteration must have depends on how far it got: a failed iteration, or one
    // still running, has only some.
    const bool failed = it.decision == QLatin1String("failed");
    const bool proposed = it.decision == QLatin1String("accepted") || it.decision == QLatin1String("rejected");
    const auto part = [&](const char* name, bool expected) -> std::optional<nlohmann::json> {
        auto json = readJson(runDir, file(name));
        if (json)
            return std::move(json).value();
        if (json.error().code != QLatin1String("not-found") || expected)
            it.problems << problemText(json.error());
        return std::nullopt;
    };
    const auto check = [&it](JsonReader& r) {
        if (auto e = r.error()) {
            it.problems << problemText(*e);
            return false;
        }
        return true;
    };

    if (auto batch = part("batch.json", true)) {
        JsonReader r(*batch, file("batch.json"));
        it.batch = r.strings("tasks").value_or(QStringList());
        check(r);
    }
    if (auto outcomes = part("outcomes.json", decided && !failed)) {
        JsonReader r(*outcomes, file("outcomes.json"));
        const auto passed = r.integer("passed", 0, kAnyCount, true);
        const auto total = r.integer("total", 0, kAnyCount, true);
        if (check(r) && it.total == 0 && total) {
            it.passed = int(*passed);
            it.total = int(*total);
            if (*total > 0)
                it.batchPassRate = double(*passed) / double(*total);
        }
    }
    if (auto diagnoses = part("diagnoses.json", decided && !failed)) {
        const QString name = file("diagnoses.json");
        if (!diagnoses->is_object() || !diagnoses->contains("diagnoses") || !diagnoses->at("diagnoses").is_array()) {
            it.problems << name + QStringLiteral(": has no \"diagnoses\" list");
        } else {
            for (const auto& d : diagnoses->at("diagnoses")) {
                if (!d.is_object()) {
                    it.problems << name + QStringLiteral(": a diagnosis is not an object");
                    break;
                }
                it.diagnoses.push_back(Diagnosis::fromJson(d));
            }
        }
    }
    if (auto patterns = part("pattern_record.json", proposed)) {
        if (!patterns->is_object() || !patterns->contains("patterns") || !patterns->at("patterns").is_array()) {
            it.problems << file("pattern_record.json") + QStringLiteral(": has no \"patterns\" list");
        } else {
            PatternRecord now = PatternRecord::fromJson(*patterns);
            it.patternChanges = compareRecords(record ? &*record : nullptr, now);
            record = std::move(now);
        }
    }
    if (auto overlay = part("overlay.json", proposed)) {
        JsonReader r(*overlay, file("overlay.json"));
        it.themes = r.strings("themes").value_or(QStringList());
        check(r);
    }
    if (auto proposal = part("proposal.json", proposed)) {
        JsonReader r(*proposal, file("proposal.json"));
        const QString commit = r.string("commit").value_or(QString());
        const bool escalation = r.boolean("escalation").value_or(false);
        QString rationale;
        if (auto summary = r.object("summary"))
            rationale = summary->string("rationale").value_or(QString());
        if (check(r)) {
            if (it.proposal.isEmpty())
                it.proposal = commit;
            it.escalated = it.escalated || escalation;
            it.rationale = rationale;
        }
    }
    if (fileExists(runDir, file("proposal.diff"))) {
        auto diff = AtomicFile::read(QDir(runDir).filePath(file("proposal.diff")), kMaxJsonBytes);
        if (diff)
            it.diff = QString::fromUtf8(*diff);
        else
            it.problems << file("proposal.diff") + QStringLiteral(": ") + diff.error().message;
    } else if (proposed) {
        it.problems << file("proposal.diff") + QStringLiteral(": is missing");
    }
    if (auto decision = part("decision.json", proposed || failed)) {
        JsonReader r(*decision, file("decision.json"));
        // Any kind is shown as written: a later gate may decide in words this build does not know.
        const auto kind = r.string("kind", true);
        const QString by = r.string("by").value_or(QString());
        const QString step = r.string("step").value_or(QString());
        const QString reason = r.string("reason").value_or(QString());
        const QString commit = r.string("commit").value_or(QString());
        const QString proposal = r.string("proposal").value_or(QString());
        const auto valAfter = r.number("val_after", 0, 1);
        if (check(r)) {
            if (it.decision.isEmpty())
                it.decision = *kind;
            it.decidedBy = by;
            it.failedStep = step;
            if (it.reason.isEmpty())
                it.reason = reason;
            if (it.commit.isEmpty())
                it.commit = commit;
            if (it.proposal.isEmpty())
                it.proposal = proposal;
            it.proposalVal = valAfter;
        }
    }

    // Whatever is still unknown (no summary.json yet), from the events.
    if (!it.valScore && events.scores && events.scores->contains("val"))
        it.valScore = jsonNumber(*events.scores, "val", 0);
    if (!it.batchPassRate && events.scores && events.scores->contains("batch_pass_rate"))
        it.batchPassRate = jsonNumber(*events.scores, "batch_pass_rate", 0);
    if (it.reason.isEmpty() && events.error)
        it.reason = jsonString(*events.error, "message");
    if (!it.usage && events.usage) {
        UsageLedger::Row row;
        row.iteration = it.iteration;
        row.calls = qint64(jsonNumber(*events.usage, "calls", 0));
        row.cacheHits = qint64(jsonNumber(*events.usage, "cache_hits", 0));
        row.inputTokens = qint64(jsonNumber(*events.usage, "input_tokens", 0));
        row.outputTokens = qint64(jsonNumber(*events.usage, "output_tokens", 0));
        row.costUsd = jsonNumber(*events.usage, "cost_usd", 0);
        it.usage = row;
    }
}

// usage.json: the run's totals and its rows per role.
Result<void> loadUsage(RunReport& r, const nlohmann::json& json)
{
    auto ledger = UsageLedger::fromJson(json);
    if (!ledger)
        return Error{ledger.error().message, {}, QStringLiteral("usage.json"), QStringLiteral("invalid")};
    QStringList roles;
    for (const UsageLedger::Row& row : ledger->rows())
        if (!roles.contains(row.role))
            roles << row.role;
    std::sort(roles.begin(), roles.end(), roleLess);
    for (const QString& role : roles) {
        UsageLedger::Row row = ledger->forRole(role);
        row.role = role;
        r.usageByRole.push_back(row);
    }
    r.usageTotal = ledger->total();
    r.unpricedModels = ledger->unpricedModels();
    return {};
}

void loadRoles(RunReport& r, JsonReader& config)
{
    auto roles = config.object("roles");
    if (!roles)
        return;
    QStringList names = roles->keys();
    std::sort(names.begin(), names.end(), roleLess);
    for (const QString& name : names) {
        const std::string key = name.toStdString();
        auto role = roles->object(key.c_str());
        if (!role)
            continue;
        r.roles.push_back({name, role->string("provider").value_or(QString()), role->string("model").value_or(QString()),
                           role->string("endpoint").value_or(QString())});
    }
}

// A file the ended run must have; while it runs (or after a kill) it may be missing.
Result<std::optional<nlohmann::json>> endFile(RunReport& r, const QString& name)
{
    auto json = readJson(r.dir, name);
    if (json)
        return std::optional<nlohmann::json>(std::move(json).value());
    if (json.error().code == QLatin1String("not-found") && r.status == QLatin1String("running")) {
        r.notes << QStringLiteral("%1 is not there yet: the run is still going, or was killed before it ended").arg(name);
        return std::optional<nlohmann::json>();
    }
    Error e = json.error();
    if (e.code == QLatin1String("not-found"))
        e.hint = QStringLiteral("the run ended (%1) without writing it; the run folder is incomplete").arg(r.status);
    return e;
}

Result<void> loadOptimize(RunReport& r, JsonReader& config)
{
    if (auto options = config.object("options")) {
        r.gate = options->string("gate").value_or(QString());
        r.batchSize = int(options->integer("batch", 0, kAnyCount).value_or(0));
        r.epochs = int(options->integer("epochs", 0, kAnyCount).value_or(0));
    }
    if (auto workspace = config.object("config"))
        if (auto skill = workspace->object("skill"))
            r.skillName = skill->string("name").value_or(QString());
    loadRoles(r, config);
    if (auto e = config.error())
        return *e;

    std::map<int, RunReport::Iteration> iterations;
    auto summary = endFile(r, QStringLiteral("summary.json"));
    if (!summary)
        return summary.error();
    if (summary->has_value()) {
        const nlohmann::json& doc = **summary;
        JsonReader s(doc, QStringLiteral("summary.json"));
        r.finished = true;
        r.initialVal = s.number("initial_val", 0, 1);
        r.finalVal = s.number("final_val", 0, 1);
        r.initialTest = s.number("initial_test", 0, 1);
        r.finalTest = s.number("final_test", 0, 1);
        if (auto training = s.integer("training_tasks", 0, kAnyCount))
            r.trainingTasks = int(*training);
        r.error = s.string("error").value_or(QString());
        if (auto e = s.error())
            return *e;
        const nlohmann::json list = doc.contains("iterations") ? doc.at("iterations") : nlohmann::json::array();
        if (!list.is_array())
            return Error{QStringLiteral("must be a list"), {}, QStringLiteral("summary.json: field \"iterations\""), QStringLiteral("invalid")};
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto it = summaryIteration(list[i], QStringLiteral("iterations[%1]").arg(i));
            if (!it)
                return it.error();
            iterations[it->iteration] = it.value();
        }
    }
    auto usage = endFile(r, QStringLiteral("usage.json"));
    if (!usage)
        return usage.error();
    if (usage->has_value())
        if (auto loaded = loadUsage(r, **usage); !loaded)
            return loaded.error();

    // The events fill in what summary.json would have said.
    std::map<int, IterationEvents> events;
    int skipped = 0;
    for (const nlohmann::json& e : EventLog::read(QDir(r.dir).filePath(QStringLiteral("events.jsonl")), &skipped)) {
        const QString type = jsonString(e, "type");
        const int iter = int(jsonNumber(e, "iter", -1));
        if (type == QLatin1String("eval_finished")) {
            if (r.finished || !e.contains("score") || !e.at("score").is_number())
                continue;
            const double score = e.at("score").get<double>();
            if (jsonString(e, "split") == QLatin1String("test"))
                (jsonString(e, "at") == QLatin1String("end") ? r.finalTest : r.initialTest) = score;
            else if (!r.initialVal) // the seed's; a resumed run may score it again
                r.initialVal = score;
        } else if (iter >= 1) {
            IterationEvents& ev = events[iter];
            if (type == QLatin1String("scores"))
                ev.scores = e;
            else if (type == QLatin1String("usage"))
                ev.usage = e;
            else if (type == QLatin1String("error"))
                ev.error = e;
        }
    }
    if (skipped > 0)
        r.notes << QStringLiteral("events.jsonl: %1 damaged line(s) skipped").arg(skipped);

    // The selection pass.
    if (auto selection = readJson(r.dir, QStringLiteral("iter-0000/outcomes.json"))) {
        JsonReader s(*selection, QStringLiteral("iter-0000/outcomes.json"));
        r.selectionPassed = int(s.integer("passed", 0, kAnyCount).value_or(0));
        r.selectionTotal = int(s.integer("total", 0, kAnyCount).value_or(0));
        if (auto e = s.error())
            r.notes << problemText(*e);
    } else if (r.finished && (selection.error().code != QLatin1String("not-found") || r.trainingTasks.value_or(0) > 0)) {
        r.notes << problemText(selection.error());
    }
    if (!r.trainingTasks) {
        if (auto training = readJson(r.dir, QStringLiteral("iter-0000/training.json"))) {
            JsonReader t(*training, QStringLiteral("iter-0000/training.json"));
            if (auto tasks = t.strings("tasks"))
                r.trainingTasks = int(tasks->size());
        }
    }

    static const QRegularExpression kFolder(QStringLiteral("^iter-(\\d{4,})$"));
    for (const QString& name : QDir(r.dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const auto m = kFolder.match(name);
        if (m.hasMatch() && m.captured(1).toInt() >= 1)
            iterations[m.captured(1).toInt()].iteration = m.captured(1).toInt();
    }
    std::optional<PatternRecord> record;
    for (auto& [n, it] : iterations) {
        it.folder = iterationFolder(n);
        if (QFileInfo(QDir(r.dir).filePath(it.folder)).isDir())
            loadIteration(r.dir, it, events[n], record);
        else
            it.problems << it.folder + QStringLiteral(": the folder is missing");
        r.iterations.push_back(it);
    }
    if (!r.finished) {
        for (const RunReport::Iteration& it : r.iterations)
            if (it.valScore)
                r.finalVal = it.valScore;
        if (!r.finalVal)
            r.finalVal = r.initialVal;
    }
    return {};
}

Result<void> loadEval(RunReport& r, const nlohmann::json& info, JsonReader& config)
{
    r.split = config.string("split").value_or(QString());
    r.version = config.string("version").value_or(QString());
    r.skillName = config.string("skill").value_or(QString());
    r.roles.push_back({QStringLiteral("executor"), config.string("provider").value_or(QString()), config.string("model").value_or(QString()),
                       config.string("endpoint").value_or(QString())});
    if (auto e = config.error())
        return *e;
    JsonReader run(info, QStringLiteral("run.json"));
    r.score = run.number("score", 0, 1);
    r.passed = int(run.integer("passed", 0, kAnyCount).value_or(0));
    r.total = int(run.integer("total", 0, kAnyCount).value_or(0));
    if (auto e = run.error())
        return *e;
    auto results = endFile(r, QStringLiteral("results.json"));
    if (!results)
        return results.error();
    if (results->has_value()) {
        const nlohmann::json& list = **results;
        if (!list.is_array())
            return Error{QStringLiteral("must be a list of task results"), {}, QStringLiteral("results.json"), QStringLiteral("invalid")};
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader t(list.at(i), QStringLiteral("results.json"), QStringLiteral("[%1]").arg(i));
            RunReport::TaskResult result;
            result.id = t.string("id", true).value_or(QString());
            result.passed = t.boolean("passed").value_or(false);
            result.score = t.number("score", 0, 1).value_or(0);
            result.evidence = t.string("evidence").value_or(QString());
            result.error = t.string("error").value_or(QString());
            if (auto e = t.error())
                return *e;
            r.results.push_back(result);
        }
    }
    auto usage = endFile(r, QStringLiteral("usage.json"));
    if (!usage)
        return usage.error();
    if (usage->has_value())
        return loadUsage(r, **usage);
    return {};
}

} // namespace

QStringList RunReport::problems() const
{
    QStringList out;
    for (const Iteration& it : iterations)
        out << it.problems;
    return out;
}

int RunReport::accepted() const
{
    // An edit accepted in review is a new version too.
    return int(std::count_if(iterations.begin(), iterations.end(), [](const Iteration& it) {
        return it.decision == QLatin1String("accepted") || it.decision == QLatin1String("edited");
    }));
}

std::vector<std::pair<QString, QString>> RunReport::facts() const
{
    std::vector<std::pair<QString, QString>> out;
    const auto fact = [&out](const QString& key, const QString& value) {
        if (!value.isEmpty())
            out.emplace_back(key, value);
    };
    fact(QStringLiteral("skill"), skillName);
    fact(QStringLiteral("status"), stopReason.isEmpty() ? status : QStringLiteral("%1 — %2").arg(status, stopReason));
    fact(QStringLiteral("started"), created);
    if (kind == QLatin1String("eval")) {
        fact(QStringLiteral("split"), split);
        fact(QStringLiteral("score"), QStringLiteral("%1 (%2/%3 passed)").arg(scoreText(score)).arg(passed).arg(total));
    } else {
        fact(QStringLiteral("gate"), QStringLiteral("%1 · batch %2 · %3 epoch(s)").arg(gate).arg(batchSize).arg(epochs));
        fact(QStringLiteral("val"), QStringLiteral("%1 → %2").arg(scoreText(initialVal), scoreText(finalVal)));
        if (initialTest || finalTest)
            fact(QStringLiteral("test"), QStringLiteral("%1 → %2").arg(scoreText(initialTest), scoreText(finalTest)));
        fact(QStringLiteral("versions"), QStringLiteral("%1 accepted of %2 iterations").arg(accepted()).arg(iterations.size()));
        if (trainingTasks)
            fact(QStringLiteral("training set"), QStringLiteral("%1 tasks (the seed passed %2 of %3 train tasks in the selection pass)")
                                                     .arg(*trainingTasks)
                                                     .arg(selectionPassed)
                                                     .arg(selectionTotal));
    }
    fact(QStringLiteral("error"), error);
    return out;
}

std::optional<double> RunReport::valBefore(std::size_t index) const
{
    for (std::size_t i = index; i-- > 0;)
        if (iterations[i].valScore)
            return iterations[i].valScore;
    return initialVal;
}

Result<RunReport> RunReport::load(const QString& runDir)
{
    RunReport r;
    r.dir = QFileInfo(runDir).absoluteFilePath();
    // Errors name the file by its full path: the user opens it to see what is wrong.
    const auto fatal = [&r](Error e) {
        e.where = e.where.isEmpty() ? r.dir : QDir(r.dir).filePath(e.where);
        if (e.code.isEmpty())
            e.code = QStringLiteral("invalid");
        return e;
    };
    auto info = readJson(r.dir, QStringLiteral("run.json"));
    if (!info) {
        Error e = info.error();
        if (e.code == QLatin1String("not-found"))
            e = Error{QStringLiteral("is not a run (no run.json)"), QStringLiteral("list the runs with skillgrad runs"), {}, e.code};
        return fatal(e);
    }
    // The readers below check types instead of throwing; the catch is a last guard, so that a
    // damaged run is reported and never crashes the command.
    try {
        JsonReader run(*info, QStringLiteral("run.json"));
        r.id = run.string("id").value_or(QFileInfo(r.dir).fileName());
        r.kind = run.string("kind", true).value_or(QString());
        r.status = run.string("status", true).value_or(QString());
        r.stopReason = run.string("stop_reason").value_or(QString());
        r.created = run.string("created").value_or(QString());
        r.updated = run.string("updated").value_or(QString());
        auto config = run.object("config", true);
        if (auto e = run.error())
            return fatal(*e);
        r.simulated = config->boolean("simulated").value_or(false);
        Result<void> loaded;
        if (r.kind == QLatin1String("optimize"))
            loaded = loadOptimize(r, *config);
        else if (r.kind == QLatin1String("eval"))
            loaded = loadEval(r, *info, *config);
        else
            loaded = Error{QStringLiteral("run kind \"%1\" has no report").arg(r.kind), QStringLiteral("reports cover optimize and eval runs"),
                           QStringLiteral("run.json"), QStringLiteral("invalid")};
        if (!loaded)
            return fatal(loaded.error());
        // A role played by the simulator makes every score of the run synthetic.
        for (const Role& role : r.roles)
            r.simulated = r.simulated || role.provider == QLatin1String("sim");
    } catch (const nlohmann::json::exception& e) {
        return fatal(Error{QStringLiteral("unexpected content (%1)").arg(QString::fromUtf8(e.what())), {}, {}, QStringLiteral("invalid")});
    }
    return r;
}

} // namespace sg
