#include "Grader.h"

#include "tasks/GenericGrader.h"
#include "tasks/WtqGrader.h"

#include <nlohmann/json.hpp>

namespace sg {

QStringList Grader::kinds()
{
    return {QStringLiteral("wtq"), QStringLiteral("exact"), QStringLiteral("numeric"),
            QStringLiteral("regex"), QStringLiteral("contains")};
}

Result<std::unique_ptr<Grader>> Grader::forKind(const QString& kind)
{
    if (kind == QLatin1String("wtq"))
        return std::unique_ptr<Grader>(std::make_unique<WtqGrader>());
    if (const auto generic = GenericGrader::kindFromName(kind))
        return std::unique_ptr<Grader>(std::make_unique<GenericGrader>(*generic));
    return Error{QStringLiteral("unknown grader \"%1\"").arg(kind),
                 QStringLiteral("use one of %1").arg(kinds().join(QStringLiteral(", "))),
                 {},
                 QStringLiteral("invalid")};
}

Result<std::unique_ptr<Grader>> Grader::forTask(const Task& task)
{
    auto grader = forKind(task.grader);
    if (!grader) {
        Error error = grader.error();
        error.where = QStringLiteral("task %1").arg(task.id);
        return error;
    }
    return grader;
}

QString Grader::quote(const QString& text)
{
    return QString::fromStdString(
        nlohmann::json(text.toStdString())
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

QString Grader::quoteList(const QStringList& items)
{
    QStringList quoted;
    for (const QString& item : items)
        quoted << quote(item);
    return QLatin1Char('[') + quoted.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace sg
