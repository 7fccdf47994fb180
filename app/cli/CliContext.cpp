#include "CliContext.h"

#include <ostream>

namespace sg::cli {

std::string toStd(const QString& s)
{
    return s.toStdString();
}

void CliContext::print(const QString& line) const
{
    out << line.toStdString() << '\n';
}

void CliContext::note(const QString& line) const
{
    if (!quiet)
        err << line.toStdString() << '\n';
}

void CliContext::error(const QString& line) const
{
    err << "skillgrad: " << line.toStdString() << '\n';
}

void CliContext::printJson(const nlohmann::json& document) const
{
    out << document.dump(2) << '\n';
}

QString CliContext::colour(const QString& text, int ansi) const
{
    if (!outIsTerminal || !qEnvironmentVariableIsEmpty("NO_COLOR"))
        return text;
    return QStringLiteral("\x1b[%1m").arg(ansi) + text + QStringLiteral("\x1b[0m");
}

} // namespace sg::cli
