#include "AdderScript.h"

namespace sg::test {

namespace {

QString systemOf(const MockRequest& r)
{
    const auto& m = r.json["messages"];
    return m.empty() ? QString() : QString::fromStdString(m[0]["content"].get<std::string>());
}

// Which tools the conversation already called, in order.
QStringList toolsUsed(const MockRequest& r)
{
    QStringList names;
    for (const auto& m : r.json["messages"])
        if (m.contains("tool_calls"))
            for (const auto& c : m["tool_calls"])
                names << QString::fromStdString(c["function"]["name"].get<std::string>());
    return names;
}

// The skill body the executor got back from activate_skill, if it asked.
QString activatedBody(const MockRequest& r)
{
    for (const auto& m : r.json["messages"])
        if (m["role"] == "tool")
            return QString::fromStdString(m["content"].get<std::string>());
    return {};
}

int numberIn(const MockRequest& r)
{
    const QString user = QString::fromStdString(r.json["messages"][1]["content"].get<std::string>());
    return user.section(QLatin1Char(' '), 3, 3).toInt(); // "Task: what is N plus N?"
}

MockReply json(const nlohmann::json& j)
{
    return MockReply::completion(QStringLiteral("Here it is.\n```json\n%1\n```").arg(QString::fromStdString(j.dump())));
}

} // namespace

MockReply AdderScript::operator()(const MockRequest& r) const
{
    const QString system = systemOf(r);
    if (system.startsWith(QStringLiteral("You solve one task"))) {
        const QStringList used = toolsUsed(r);
        if (!used.contains(QStringLiteral("activate_skill")))
            return MockReply::toolCall(QStringLiteral("activate_skill"), nlohmann::json::object());
        const QString body = activatedBody(r);
        const int n = numberIn(r);
        const bool good = body.contains(QStringLiteral("ADD CAREFULLY")) && !body.contains(QStringLiteral("BAD ADVICE"));
        const bool isVal = valIds.contains(QStringLiteral("q%1").arg(n));
        const bool pass = isVal && valPassesWithoutCare ? !body.contains(QStringLiteral("BAD ADVICE")) : good;
        return MockReply::toolCall(QStringLiteral("submit_answer"), {{"values", {pass ? std::to_string(2 * n) : std::string("-1")}}});
    }
    if (system.startsWith(QStringLiteral("You diagnose")))
        return garbageDiagnoser ? MockReply::completion(QStringLiteral("no idea, sorry"))
                                : json({{"label", "Addition done without care"}, {"kind", "failure"}, {"prose", "The agent added wrongly."}});
    if (system.startsWith(QStringLiteral("You compare")))
        return json({{"label", "Careful addition made the difference"}, {"kind", "contrastive"}, {"prose", "It checked the sum."}});
    if (system.startsWith(QStringLiteral("You keep the pattern record"))) {
        if (garbageMomentum)
            return MockReply::completion(QStringLiteral("{\"patterns\": \"oops\"}"));
        const QString user = QString::fromStdString(r.json["messages"][1]["content"].get<std::string>());
        const int iteration = user.section(QLatin1Char('.'), 0, 0).section(QLatin1Char(' '), 1, 1).toInt();
        return json({{"patterns", {{{"id", "p-add"}, {"kind", "operation"}, {"summary", "Careless addition"}, {"anchor", "steps"},
                                     {"appeared_in", {iteration}}, {"description", "sums go wrong"}, {"remedy_log", nlohmann::json::array()}}}},
                     {"overlay", {{{"task", "q0"}, {"signal", "failure"}, {"pattern", "p-add"}}}},
                     {"themes", {"checks are skipped", "two", "three", "four"}}});
    }
    if (system.startsWith(QStringLiteral("You improve an agent skill"))) {
        if (garbagePatcher)
            return MockReply::completion(QStringLiteral("I would rather not."));
        const QStringList used = toolsUsed(r);
        if (!used.contains(QStringLiteral("read_file")))
            return MockReply::toolCall(QStringLiteral("read_file"), {{"path", "SKILL.md"}});
        if (!used.contains(QStringLiteral("replace_in_file")))
            return MockReply::toolCall(QStringLiteral("replace_in_file"),
                                       {{"path", "SKILL.md"}, {"old_text", "Add them."}, {"new_text", (QStringLiteral("Add them.\n") + patchLine).toStdString()}});
        return MockReply::toolCall(QStringLiteral("finish"),
                                   {{"summary", "Added a check.\n```json\n{\"rationale\": \"Add a careful-addition rule\", \"patterns_addressed\": [\"p-add\"]}\n```"}});
    }
    return MockReply::error(400);
}

QByteArray adderTasks(int count)
{
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += QStringLiteral("{\"id\": \"q%1\", \"prompt\": \"what is %1 plus %1? Please add these two numbers.\", \"answer\": \"%2\"}\n")
                     .arg(i)
                     .arg(2 * i)
                     .toUtf8();
    return lines;
}

} // namespace sg::test
