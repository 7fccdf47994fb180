#include "SimPatcher.h"

#include "SimGuidance.h"
#include "skill/FrontMatter.h"

#include <map>
#include <optional>

namespace sg {

namespace {

using Category = SimExecutor::Category;

constexpr int kMaxCategories = 2; // the top patterns only: the changed-line cap is the learning rate

// One pattern to address, seen as an executor category.
struct Target
{
    const Category* category = nullptr;
    QString id;
    bool escalate = false;
};

// What the conversation shows so far.
struct Conversation
{
    nlohmann::json work = nlohmann::json::object();
    int toolCalls = 0;
    bool readRequested = false;
    std::optional<QString> skillMd; // the first SKILL.md the patcher read, before any edit
    bool edited = false;
    std::map<QString, bool> writes; // path -> written without error, for the edit calls
    std::optional<QString> finishSummary;
};

Conversation readConversation(const LlmRequest& request)
{
    Conversation seen;
    std::map<QString, ToolCall> calls;
    bool firstUser = true;
    for (const LlmMessage& m : request.messages) {
        if (m.role == LlmMessage::Role::User && firstUser) {
            firstUser = false;
            seen.work = SimGuidance::blockWith(m.content, "patterns_to_address");
            if (seen.work.empty())
                seen.work = SimGuidance::blockWith(m.content, "diagnoses");
        }
        for (const ToolCall& c : m.toolCalls) {
            calls[c.id] = c;
            ++seen.toolCalls;
            const QString path = QString::fromStdString(c.arguments.value("path", std::string()));
            if (c.name == QLatin1String("read_file") && path == QLatin1String("SKILL.md"))
                seen.readRequested = true;
            else if (c.name == QLatin1String("create_file") || c.name == QLatin1String("replace_in_file") || c.name == QLatin1String("delete_file"))
                seen.edited = true;
            else if (c.name == QLatin1String("finish"))
                seen.finishSummary = QString::fromStdString(c.arguments.value("summary", std::string()));
        }
        if (m.role != LlmMessage::Role::Tool || !calls.count(m.toolCallId))
            continue;
        const ToolCall& call = calls[m.toolCallId];
        const QString path = QString::fromStdString(call.arguments.value("path", std::string()));
        if (call.name == QLatin1String("read_file") && path == QLatin1String("SKILL.md") && !m.isError && !seen.edited && !seen.skillMd)
            seen.skillMd = m.content;
        else if (call.name == QLatin1String("create_file"))
            seen.writes[path] = !m.isError;
    }
    return seen;
}

// The patterns to address in the order given; in iteration 1 (no patterns yet) the categories of
// the failure diagnoses, most frequent first.
std::vector<Target> targets(const nlohmann::json& work)
{
    std::vector<Target> out;
    const auto add = [&out](const Category* c, const QString& id, bool escalate) {
        if (!c)
            return;
        for (const Target& t : out) {
            if (t.category == c)
                return;
        }
        out.push_back({c, id.isEmpty() ? SimGuidance::patternId(*c) : id, escalate});
    };
    const auto str = [](const nlohmann::json& j, const char* key) {
        return j.is_object() && j.contains(key) && j.at(key).is_string() ? QString::fromStdString(j.at(key).get<std::string>()) : QString();
    };
    const nlohmann::json patterns = work.value("patterns_to_address", nlohmann::json::array());
    for (const auto& p : patterns) {
        const QString id = str(p, "id");
        const Category* c = id.startsWith(QLatin1String("p-")) ? SimGuidance::byName(id.mid(2)) : nullptr;
        for (const char* key : {"summary", "label", "anchor", "id"}) {
            if (!c)
                c = SimGuidance::named(str(p, key));
        }
        add(c, id, p.is_object() && p.value("escalate", false));
    }
    if (!patterns.empty())
        return out;
    std::vector<std::pair<const Category*, int>> counts; // in order of first appearance
    for (const auto& d : work.value("diagnoses", nlohmann::json::array())) {
        if (str(d, "kind") == QLatin1String("contrastive"))
            continue;
        const Category* c = SimGuidance::named(str(d, "label"));
        if (!c)
            continue;
        auto it = std::find_if(counts.begin(), counts.end(), [c](const auto& e) { return e.first == c; });
        if (it == counts.end())
            counts.push_back({c, 1});
        else
            ++it->second;
    }
    std::stable_sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [c, n] : counts)
        add(c, QString(), false);
    return out;
}

int headingLevel(const QString& line)
{
    const QString t = line.trimmed();
    int level = 0;
    while (level < t.size() && t[level] == QLatin1Char('#'))
        ++level;
    return level;
}

// The L2 section (level 2 or deeper, outside code fences) whose heading names the category:
// [first, last) line indexes, the heading included. {-1, -1} when there is none.
std::pair<int, int> sectionFor(const Category& c, const QStringList& lines)
{
    bool inFence = false;
    int start = -1, level = 0;
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().startsWith(QLatin1String("```"))) {
            inFence = !inFence;
            continue;
        }
        const int l = inFence ? 0 : headingLevel(lines[i]);
        if (l == 0)
            continue;
        if (start >= 0 && l <= level) {
            int end = i;
            while (end > start + 1 && lines[end - 1].trimmed().isEmpty())
                --end;
            return {start, end};
        }
        if (start < 0 && l >= 2 && SimExecutor::guidedInBody(c, lines[i])) {
            start = i;
            level = l;
        }
    }
    if (start < 0)
        return {-1, -1};
    int end = int(lines.size());
    while (end > start + 1 && lines[end - 1].trimmed().isEmpty())
        --end;
    return {start, end};
}

struct Plan
{
    struct Edit
    {
        Target target;
        bool lift = false;
    };
    std::vector<Edit> edits;
    QStringList skipped; // categories already guided
    QString skillMd;     // the new SKILL.md
    std::vector<std::pair<QString, QString>> references; // path, content
};

Plan plan(const nlohmann::json& work, const QString& skillMd)
{
    Plan out;
    // Front matter kept byte for byte: everything before the body's first line.
    const FrontMatter::Parsed parsed = FrontMatter::parse(skillMd);
    QStringList lines = skillMd.split(QLatin1Char('\n'));
    const int bodyStart = parsed.frontMatter.present() ? std::min(int(lines.size()), parsed.bodyFirstLine - 1) : 0;
    const QString prefix = bodyStart > 0 ? lines.mid(0, bodyStart).join(QLatin1Char('\n')) + QLatin1Char('\n') : QString();
    lines = lines.mid(bodyStart);
    const QString body = lines.join(QLatin1Char('\n'));

    for (const Target& t : targets(work)) {
        if (int(out.edits.size()) >= kMaxCategories)
            break;
        const Category& c = *t.category;
        if (t.escalate && sectionFor(c, lines).first >= 0)
            out.edits.push_back({t, true});
        else if (SimGuidance::guided(c, body))
            out.skipped << c.name;
        else
            out.edits.push_back({t, false});
    }
    if (out.edits.empty())
        return out;

    QStringList added;
    for (const Plan::Edit& e : out.edits) {
        const Category& c = *e.target.category;
        if (!e.lift)
            continue;
        const auto [first, last] = sectionFor(c, lines);
        QStringList guidance = lines.mid(first + 1, last - first - 1);
        while (!guidance.isEmpty() && guidance.front().trimmed().isEmpty())
            guidance.removeFirst();
        if (guidance.isEmpty())
            guidance = SimGuidance::guidance(c);
        out.references.push_back({SimGuidance::referencePath(c),
                                  QStringLiteral("# %1 questions\n\n%2\n").arg(SimGuidance::title(c), guidance.join(QLatin1Char('\n')))});
        // The section becomes one pointer line that names the category, so the executor reads it.
        lines = lines.mid(0, first) + QStringList{SimGuidance::pointerLine(c)} + lines.mid(last);
    }
    QString newBody = lines.join(QLatin1Char('\n'));
    for (const Plan::Edit& e : out.edits) {
        if (e.lift)
            continue;
        const Category& c = *e.target.category;
        while (newBody.endsWith(QLatin1Char('\n')))
            newBody.chop(1);
        newBody += (newBody.isEmpty() ? QString() : QStringLiteral("\n\n")) + SimGuidance::heading(c) + QStringLiteral("\n\n") +
                   SimGuidance::guidance(c).join(QLatin1Char('\n')) + QLatin1Char('\n');
    }
    out.skillMd = prefix + newBody;
    return out;
}

ToolCall makeCall(int n, const QString& name, nlohmann::json args)
{
    ToolCall c;
    c.id = QStringLiteral("call_sim_patch_%1").arg(n);
    c.name = name;
    c.arguments = std::move(args);
    c.rawArguments = QString::fromStdString(c.arguments.dump());
    return c;
}

QString summaryText(const QString& rationale, const QStringList& ids)
{
    nlohmann::json addressed = nlohmann::json::array();
    for (const QString& id : ids)
        addressed.push_back(id.toStdString());
    const nlohmann::json block = {{"rationale", rationale.toStdString()}, {"patterns_addressed", addressed}};
    return QStringLiteral("%1\n\n```json\n%2\n```").arg(rationale, QString::fromStdString(block.dump()));
}

// "a" or "an", for prose that reads well.
QString article(const QString& word)
{
    return !word.isEmpty() && QStringLiteral("aeiouAEIOU").contains(word.front()) ? QStringLiteral("an") : QStringLiteral("a");
}

// The finish summary: prose, then the json block. Only edits whose files were written count.
QString summaryOf(const Plan& p, const Conversation& seen)
{
    QStringList done, ids;
    const bool skillWritten = seen.writes.count(QStringLiteral("SKILL.md")) && seen.writes.at(QStringLiteral("SKILL.md"));
    for (const Plan::Edit& e : p.edits) {
        const Category& c = *e.target.category;
        const QString ref = SimGuidance::referencePath(c);
        if (!skillWritten || (e.lift && !(seen.writes.count(ref) && seen.writes.at(ref))))
            continue;
        done << (e.lift ? QStringLiteral("lifted the %1 section into %2 and left a pointer line naming %3 questions (escalation)")
                              .arg(SimGuidance::heading(c).mid(3), ref, c.name)
                        : QStringLiteral("added %1 %2 section with %3 %4 method")
                                  .arg(article(SimGuidance::heading(c).mid(3)), SimGuidance::heading(c).mid(3), article(c.name), c.name));
        ids << e.target.id;
    }
    QString rationale = done.isEmpty() ? QStringLiteral("No change: ") : done.join(QStringLiteral("; ")) + QStringLiteral(". ");
    if (done.isEmpty() && !p.edits.empty())
        rationale += QStringLiteral("the edits could not be written.");
    else if (done.isEmpty())
        rationale += QStringLiteral("every pattern to address already has guidance in the skill.");
    if (!p.skipped.isEmpty())
        rationale = rationale.trimmed() + QStringLiteral(" Already guided: %1.").arg(p.skipped.join(QStringLiteral(", ")));
    rationale = rationale.trimmed();
    rationale[0] = rationale[0].toUpper();
    return summaryText(rationale, ids);
}

LlmResponse finish(int n, const QString& text, const QString& summary)
{
    LlmResponse r;
    r.content = text;
    r.toolCalls = {makeCall(n, QStringLiteral("finish"), {{"summary", summary.toStdString()}})};
    return r;
}

} // namespace

Result<LlmResponse> SimPatcher::answer(const LlmRequest& request, const SimProvider&)
{
    const Conversation seen = readConversation(request);
    int n = seen.toolCalls + 1;
    if (seen.finishSummary) // a repair request: the sim's edits stay within the caps by construction
        return finish(n, QStringLiteral("The edits keep to the rules; finishing again."), *seen.finishSummary);
    if (!seen.readRequested) {
        LlmResponse r;
        r.content = QStringLiteral("Reading SKILL.md to see which question types it already guides.");
        r.toolCalls = {makeCall(n, QStringLiteral("read_file"), {{"path", "SKILL.md"}})};
        return r;
    }
    if (!seen.skillMd) {
        const QString rationale = QStringLiteral("No change: SKILL.md could not be read.");
        return finish(n, rationale, summaryText(rationale, {}));
    }
    const Plan p = plan(seen.work, *seen.skillMd);
    if (seen.edited || p.edits.empty())
        return finish(n, QStringLiteral("Done."), summaryOf(p, seen));

    LlmResponse r;
    QStringList names;
    for (const Plan::Edit& e : p.edits)
        names << e.target.category->name;
    r.content = QStringLiteral("Writing guidance for %1 questions.").arg(names.join(QStringLiteral(" and ")));
    for (const auto& [path, content] : p.references)
        r.toolCalls.push_back(makeCall(n++, QStringLiteral("create_file"), {{"path", path.toStdString()}, {"content", content.toStdString()}}));
    r.toolCalls.push_back(makeCall(n++, QStringLiteral("create_file"), {{"path", "SKILL.md"}, {"content", p.skillMd.toStdString()}}));
    return r;
}

} // namespace sg
