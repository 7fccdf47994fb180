#include "SkillProblem.h"

namespace sg {

QString SkillProblem::levelName(Level level)
{
    return level == Level::Error ? QStringLiteral("error") : QStringLiteral("warning");
}

QString SkillProblem::text() const
{
    QString out = file;
    if (line > 0)
        out += QLatin1Char(':') + QString::number(line);
    out += QStringLiteral(": ") + levelName(level) + QStringLiteral(": ") + message;
    if (!hint.isEmpty())
        out += QStringLiteral(" (") + hint + QLatin1Char(')');
    return out;
}

} // namespace sg
