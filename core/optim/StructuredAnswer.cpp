#include "StructuredAnswer.h"

#include <QRegularExpression>

namespace sg {

namespace {

std::optional<nlohmann::json> parseObject(const QString& text)
{
    try {
        auto j = nlohmann::json::parse(text.toStdString());
        if (j.is_object())
            return j;
    } catch (const nlohmann::json::exception&) {
    }
    return std::nullopt;
}

// The first {…} whose braces balance (strings and escapes respected) and that parses.
std::optional<nlohmann::json> firstBalancedObject(const QString& text)
{
    for (qsizetype start = text.indexOf(QLatin1Char('{')); start >= 0; start = text.indexOf(QLatin1Char('{'), start + 1)) {
        int depth = 0;
        bool inString = false, escaped = false;
        for (qsizetype i = start; i < text.size(); ++i) {
            const QChar c = text[i];
            if (inString) {
                if (escaped)
                    escaped = false;
                else if (c == QLatin1Char('\\'))
                    escaped = true;
                else if (c == QLatin1Char('"'))
                    inString = false;
                continue;
            }
            if (c == QLatin1Char('"'))
                inString = true;
            else if (c == QLatin1Char('{'))
                ++depth;
            else if (c == QLatin1Char('}') && --depth == 0) {
                if (auto j = parseObject(text.mid(start, i - start + 1)))
                    return j;
                break;
            }
        }
    }
    return std::nullopt;
}

} // namespace

Result<nlohmann::json> StructuredAnswer::extract(const QString& text)
{
    static const QRegularExpression fence(QStringLiteral("```(?:json|JSON)?[ \\t]*\\n(.*?)```"), QRegularExpression::DotMatchesEverythingOption);
    QString lastFenced;
    bool sawFence = false;
    auto it = fence.globalMatch(text);
    while (it.hasNext()) {
        lastFenced = it.next().captured(1);
        sawFence = true;
    }
    if (sawFence) {
        if (auto j = parseObject(lastFenced))
            return *j;
        if (auto j = firstBalancedObject(lastFenced))
            return *j;
    }
    if (auto j = firstBalancedObject(text))
        return *j;
    return Error{sawFence ? QStringLiteral("the last ```json block is not a JSON object") : QStringLiteral("the answer holds no JSON object"),
                 QStringLiteral("end the answer with one fenced ```json block"), {}, QStringLiteral("invalid-response")};
}

QString StructuredAnswer::repairRequest(const QString& problem, const QString& shape)
{
    return QStringLiteral("Your answer could not be read: %1. Reply again, ending with exactly one fenced ```json block of this shape:\n%2")
        .arg(problem, shape);
}

} // namespace sg
