#include "GenericGrader.h"

#include <QRegularExpression>

#include <cmath>

namespace sg {

namespace {

constexpr double kDefaultTolerance = 1e-6;

Outcome verdict(bool passed, const QString& evidence)
{
    return {passed ? 1.0 : 0.0, passed, passed ? QString() : evidence};
}

QString expectation(const QStringList& answers)
{
    return answers.size() == 1 ? Grader::quote(answers.front())
                               : QStringLiteral("one of %1").arg(Grader::quoteList(answers));
}

} // namespace

std::optional<GenericGrader::Kind> GenericGrader::kindFromName(const QString& name)
{
    if (name == QLatin1String("exact"))
        return Kind::Exact;
    if (name == QLatin1String("numeric"))
        return Kind::Numeric;
    if (name == QLatin1String("regex"))
        return Kind::Regex;
    if (name == QLatin1String("contains"))
        return Kind::Contains;
    return std::nullopt;
}

std::optional<double> GenericGrader::parseNumber(const QString& text)
{
    static const QRegularExpression grouped(
        QStringLiteral("^[+-]?\\d{1,3}(,\\d{3})+(\\.\\d*)?([eE][+-]?\\d+)?$"));
    static const QRegularExpression plain(
        QStringLiteral("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$"));
    QString s = text.trimmed();
    if (grouped.match(s).hasMatch())
        s.remove(QLatin1Char(','));
    else if (!plain.match(s).hasMatch())
        return std::nullopt;
    bool ok = false;
    const double value = s.toDouble(&ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

double GenericGrader::tolerance(const Task& task)
{
    const auto it = task.extra.find("tolerance");
    if (it != task.extra.end() && it->is_number() && std::isfinite(it->get<double>()) &&
        it->get<double>() >= 0)
        return it->get<double>();
    return kDefaultTolerance;
}

Outcome GenericGrader::grade(const Task& task, const QStringList& prediction) const
{
    const QString text = prediction.join(QLatin1Char('\n')).trimmed();
    const QString got = Grader::quote(text);
    if (prediction.isEmpty() || text.isEmpty())
        return verdict(false,
                       QStringLiteral("expected %1, got no answer").arg(expectation(task.answers)));

    switch (m_kind) {
    case Kind::Exact: {
        for (const QString& answer : task.answers) {
            if (text == answer.trimmed())
                return verdict(true, {});
        }
        return verdict(false,
                       QStringLiteral("expected %1, got %2").arg(expectation(task.answers), got));
    }
    case Kind::Numeric: {
        const double tol = tolerance(task);
        const auto value = parseNumber(text);
        QStringList golds;
        for (const QString& answer : task.answers) {
            bool ok = false;
            const double gold = answer.trimmed().toDouble(&ok);
            if (ok && value && std::fabs(*value - gold) <= tol)
                return verdict(true, {});
            golds << answer.trimmed();
        }
        const QString expected = QStringLiteral("expected %1 (within %2)")
                                     .arg(golds.size() == 1 ? golds.front()
                                                            : QStringLiteral("one of ") +
                                                                  golds.join(QStringLiteral(", ")))
                                     .arg(tol);
        if (!value)
            return verdict(false,
                           QStringLiteral("%1, got %2, which is not a number").arg(expected, got));
        return verdict(false, QStringLiteral("%1, got %2").arg(expected).arg(*value, 0, 'g', 12));
    }
    case Kind::Regex: {
        for (const QString& answer : task.answers) {
            const QRegularExpression re(QRegularExpression::anchoredPattern(answer));
            if (re.isValid() && re.match(text).hasMatch())
                return verdict(true, {});
        }
        return verdict(false, QStringLiteral("expected a full match of %1, got %2")
                                  .arg(expectation(task.answers), got));
    }
    case Kind::Contains: {
        for (const QString& answer : task.answers) {
            if (text.contains(answer, Qt::CaseInsensitive))
                return verdict(true, {});
        }
        return verdict(false, QStringLiteral("expected text containing %1 (any case), got %2")
                                  .arg(expectation(task.answers), got));
    }
    }
    return verdict(false, QStringLiteral("unknown grader"));
}

} // namespace sg
