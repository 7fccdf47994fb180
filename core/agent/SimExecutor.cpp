#include "SimExecutor.h"

#include "skill/PointerParser.h"

#include <QRegularExpression>

#include <map>

namespace sg {

namespace {

struct Seen
{
    QString question;
    bool activated = false;
    QString body;
    QStringList referencesRead;
    QString sqlResult;
    bool queried = false;
    int toolCalls = 0;
};

// What the conversation shows the agent has done so far.
Seen readConversation(const LlmRequest& request)
{
    Seen seen;
    std::map<QString, ToolCall> calls;
    for (const LlmMessage& m : request.messages) {
        if (m.role == LlmMessage::Role::User && seen.question.isEmpty()) {
            static const QRegularExpression q(QStringLiteral("^(?:Question|Task): (.*)$"), QRegularExpression::MultilineOption);
            const auto match = q.match(m.content);
            seen.question = match.hasMatch() ? match.captured(1) : m.content;
        }
        for (const ToolCall& c : m.toolCalls) {
            calls[c.id] = c;
            ++seen.toolCalls;
        }
        if (m.role != LlmMessage::Role::Tool || m.isError)
            continue;
        const ToolCall call = calls.count(m.toolCallId) ? calls[m.toolCallId] : ToolCall{};
        const QString name = call.name.isEmpty() ? m.toolName : call.name;
        if (name == QLatin1String("activate_skill")) {
            seen.activated = true;
            seen.body = m.content;
        } else if (name == QLatin1String("read_reference")) {
            seen.referencesRead << QString::fromStdString(call.arguments.value("path", std::string()));
        } else if (name == QLatin1String("sql")) {
            seen.queried = true;
            seen.sqlResult = m.content;
        }
    }
    return seen;
}

ToolCall makeCall(int n, const QString& name, nlohmann::json args)
{
    ToolCall c;
    c.id = QStringLiteral("call_sim_%1").arg(n);
    c.name = name;
    c.arguments = std::move(args);
    c.rawArguments = QString::fromStdString(c.arguments.dump());
    return c;
}

// A plausible wrong answer: a number off by one, else another cell the agent saw, else "none".
QStringList wrongAnswer(const QStringList& gold, const QString& sqlResult, double u)
{
    bool numeric = false;
    const double value = gold.isEmpty() ? 0 : gold.front().toDouble(&numeric);
    if (numeric)
        return {QString::number(qint64(value) + 1)};
    QStringList cells;
    const QStringList lines = sqlResult.split(QLatin1Char('\n'));
    for (int i = 1; i < lines.size(); ++i) {
        if (lines[i].startsWith(QLatin1Char('(')))
            continue;
        for (const QString& cell : lines[i].split(QStringLiteral(" | "))) {
            const QString c = cell.trimmed();
            bool isGold = false;
            for (const QString& g : gold)
                isGold = isGold || c.compare(g, Qt::CaseInsensitive) == 0;
            if (!c.isEmpty() && !isGold)
                cells << c;
        }
    }
    if (cells.isEmpty())
        return {QStringLiteral("none")};
    return {cells[int(u * 1000) % cells.size()]};
}

} // namespace

const std::vector<SimExecutor::Category>& SimExecutor::categories()
{
    // Order matters: the first category whose pattern matches the question wins.
    static const std::vector<Category> list = {
        {QStringLiteral("comparison"), {QStringLiteral("comparison"), QStringLiteral("compare")}, 0.30, 0.70},
        {QStringLiteral("counting"), {QStringLiteral("counting"), QStringLiteral("count")}, 0.25, 0.75},
        {QStringLiteral("aggregation"), {QStringLiteral("aggregation"), QStringLiteral("aggregate")}, 0.20, 0.65},
        {QStringLiteral("superlative"), {QStringLiteral("superlative")}, 0.30, 0.75},
        {QStringLiteral("lookup"), {QStringLiteral("lookup"), QStringLiteral("look up"), QStringLiteral("look-up")}, 0.50, 0.80},
    };
    return list;
}

const SimExecutor::Category& SimExecutor::categorize(const QString& questionText)
{
    const QString q = questionText.toLower();
    const auto matches = [&q](const char* pattern) { return QRegularExpression(QString::fromLatin1(pattern)).match(q).hasMatch(); };
    const auto& c = categories();
    if (matches("\\b(more|less|fewer|greater|larger|smaller|higher|lower|longer|shorter|older|younger|earlier|later|bigger)\\b.*\\bthan\\b")
        || matches("\\b(difference|compared?|versus|vs)\\b"))
        return c[0];
    if (matches("\\bhow many\\b|\\bnumber of\\b|\\bcount\\b"))
        return c[1];
    if (matches("\\b(total|sum|average|combined|altogether|in all)\\b"))
        return c[2];
    if (matches("\\b(most|least|highest|lowest|largest|smallest|first|last|top|best|worst|longest|shortest|earliest|latest|biggest|"
                "oldest|youngest|maximum|minimum)\\b"))
        return c[3];
    return c[4];
}

bool SimExecutor::guidedInBody(const Category& category, const QString& body)
{
    for (const QString& line : body.split(QLatin1Char('\n'))) {
        if (!line.trimmed().startsWith(QLatin1Char('#')))
            continue;
        for (const QString& k : category.keywords) {
            if (line.contains(k, Qt::CaseInsensitive))
                return true;
        }
    }
    return false;
}

QString SimExecutor::pointerFor(const Category& category, const QString& body)
{
    for (const Pointer& p : PointerParser::parse(body)) {
        if (!p.valid)
            continue;
        const QString line = body.split(QLatin1Char('\n')).value(p.line - 1);
        for (const QString& k : category.keywords) {
            if (line.contains(k, Qt::CaseInsensitive))
                return p.target;
        }
    }
    return {};
}

Result<LlmResponse> SimExecutor::answer(const LlmRequest& request, const SimProvider& sim)
{
    const Seen seen = readConversation(request);
    const Category& category = categorize(seen.question);
    const int n = seen.toolCalls + 1;
    LlmResponse r;
    if (!seen.activated) {
        r.content = QStringLiteral("I will read the skill first.");
        r.toolCalls = {makeCall(n, QStringLiteral("activate_skill"), nlohmann::json::object())};
        return r;
    }
    const bool inBody = guidedInBody(category, seen.body);
    const QString pointer = inBody ? QString() : pointerFor(category, seen.body);
    if (!pointer.isEmpty() && !seen.referencesRead.contains(pointer)) {
        r.content = QStringLiteral("The skill has notes on %1 questions; reading them.").arg(category.name);
        r.toolCalls = {makeCall(n, QStringLiteral("read_reference"), {{"path", pointer.toStdString()}})};
        return r;
    }
    if (!seen.queried) {
        r.content = QStringLiteral("Looking at the table.");
        r.toolCalls = {makeCall(n, QStringLiteral("sql"), {{"query", "SELECT * FROM t LIMIT 5"}})};
        return r;
    }
    const bool guided = inBody || (!pointer.isEmpty() && seen.referencesRead.contains(pointer));
    const double u = SimProvider::draw(sim.seed(), request.context.taskId);
    const double rate = guided ? category.guidedRate : category.baseRate;
    const QStringList gold = sim.gold(request.context.taskId);
    const QStringList values = (u < rate && !gold.isEmpty()) ? gold : wrongAnswer(gold, seen.sqlResult, u);
    nlohmann::json items = nlohmann::json::array();
    for (const QString& v : values)
        items.push_back(v.toStdString());
    r.content = QStringLiteral("This is a %1 question; submitting.").arg(category.name);
    r.toolCalls = {makeCall(n, QStringLiteral("submit_answer"), {{"values", items}})};
    return r;
}

} // namespace sg
