#include "SimGuidance.h"

#include <QRegularExpression>

namespace sg {

const SimGuidance::Category* SimGuidance::named(const QString& text)
{
    // Names first: "Counting guidance was followed" must not read as another category's keyword.
    for (const Category& c : SimExecutor::categories()) {
        if (text.contains(c.name, Qt::CaseInsensitive))
            return &c;
    }
    for (const Category& c : SimExecutor::categories()) {
        for (const QString& k : c.keywords) {
            if (text.contains(k, Qt::CaseInsensitive))
                return &c;
        }
    }
    return nullptr;
}

const SimGuidance::Category* SimGuidance::byName(const QString& name)
{
    for (const Category& c : SimExecutor::categories()) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QString SimGuidance::title(const Category& c)
{
    return c.name.left(1).toUpper() + c.name.mid(1);
}

QString SimGuidance::pointerLine(const Category& c)
{
    // The line holds the category's name (a keyword) and the pointer, so the executor reads it.
    return QStringLiteral("- Read %1 when answering %2 questions. Skip it otherwise.").arg(referencePath(c), c.name);
}

QString SimGuidance::summary(const Category& c)
{
    if (c.name == QLatin1String("comparison"))
        return QStringLiteral("Comparison questions answered without finding both rows");
    if (c.name == QLatin1String("counting"))
        return QStringLiteral("Counting questions answered without a counting method");
    if (c.name == QLatin1String("aggregation"))
        return QStringLiteral("Aggregation questions answered without summing matching rows");
    if (c.name == QLatin1String("superlative"))
        return QStringLiteral("Superlative questions answered without sorting the column");
    return QStringLiteral("Lookup questions answered without matching the key row");
}

QStringList SimGuidance::guidance(const Category& c)
{
    // General advice only: no numbers, names or question wording, so the caps' task-specific
    // check never fires on it (a test runs it against the bundled questions).
    if (c.name == QLatin1String("comparison"))
        return {QStringLiteral("- Find each of the rows being compared with its own query on the key column."),
                QStringLiteral("- Read the compared values from the same column for every row involved."),
                QStringLiteral("- Strip units and thousands separators, then compute the difference in SQL or python."),
                QStringLiteral("- Answer with the value asked for: the difference itself, or the row that is ahead.")};
    if (c.name == QLatin1String("counting"))
        return {QStringLiteral("- Write the condition that selects the rows as a SQL `WHERE` clause."),
                QStringLiteral("- Count with `SELECT COUNT(*) ... WHERE ...` instead of counting rows by eye."),
                QStringLiteral("- Watch for header, subtotal or total rows inside the data and leave them out."),
                QStringLiteral("- Use `COUNT(DISTINCT column)` when the same thing can appear on several rows."),
                QStringLiteral("- Answer with the bare number, without units or words.")};
    if (c.name == QLatin1String("aggregation"))
        return {QStringLiteral("- Select the rows to combine with a `WHERE` clause and check how many match."),
                QStringLiteral("- Strip thousands separators, currency signs and units before casting."),
                QStringLiteral("- Use `SUM(CAST(column AS REAL))` or `AVG(...)` over exactly those rows."),
                QStringLiteral("- Leave out total or subtotal rows so nothing is added twice."),
                QStringLiteral("- Round only at the end, and answer with the bare value.")};
    if (c.name == QLatin1String("superlative"))
        return {QStringLiteral("- Find the column that decides the ranking and sort by it with `ORDER BY`."),
                QStringLiteral("- `CAST` numeric text to a number before sorting; text order misplaces numbers."),
                QStringLiteral("- Drop header, total and empty rows before ranking."),
                QStringLiteral("- Take the top row after sorting, and check whether other rows tie with it."),
                QStringLiteral("- Answer with the cell the question asks for from that row, not the ranking value.")};
    return {QStringLiteral("- Identify the key column that names the row the question is about."),
            QStringLiteral("- Find that row with a `WHERE` clause on the key; use `LIKE` when spellings may differ."),
            QStringLiteral("- Read the cell from the column the question asks for."),
            QStringLiteral("- Copy the cell exactly as written: spelling, capitals and punctuation."),
            QStringLiteral("- When several rows match, apply the remaining conditions before choosing.")};
}

bool SimGuidance::guided(const Category& c, const QString& body)
{
    return SimExecutor::guidedInBody(c, body) || !SimExecutor::pointerFor(c, body).isEmpty();
}

std::vector<nlohmann::json> SimGuidance::jsonBlocks(const QString& text)
{
    static const QRegularExpression fence(QStringLiteral("```(?:json|JSON)[ \\t]*\\n(.*?)```"), QRegularExpression::DotMatchesEverythingOption);
    std::vector<nlohmann::json> out;
    auto it = fence.globalMatch(text);
    while (it.hasNext()) {
        try {
            auto j = nlohmann::json::parse(it.next().captured(1).toStdString());
            if (j.is_object())
                out.push_back(std::move(j));
        } catch (const nlohmann::json::exception&) {
            // The templates' own examples ("[...]") are not JSON; they are skipped.
        }
    }
    return out;
}

nlohmann::json SimGuidance::blockWith(const QString& text, const char* key)
{
    for (nlohmann::json& j : jsonBlocks(text)) {
        if (j.contains(key))
            return std::move(j);
    }
    return nlohmann::json::object();
}

} // namespace sg
