#include "CliContext.h"

#include <QStringList>

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

int CliContext::exitCodeFor(const Error& error)
{
    static const QStringList userErrors{QStringLiteral("invalid"),   QStringLiteral("not-found"), QStringLiteral("refused"),
                                        QStringLiteral("exists"),    QStringLiteral("not-a-workspace"), QStringLiteral("dirty"),
                                        QStringLiteral("no-tasks"), QStringLiteral("outdated"), QStringLiteral("owner"),
                                        QStringLiteral("config")};
    return userErrors.contains(error.code) ? kExitUsage : kExitFailed;
}

int CliContext::fail(const Error& e) const
{
    if (json)
        printJson({{"error", {{"message", toStd(e.message)}, {"hint", toStd(e.hint)}, {"where", toStd(e.where)}, {"code", toStd(e.code)}}}});
    error(e.text());
    return exitCodeFor(e);
}

Result<Workspace> CliContext::openWorkspace() const
{
    return Workspace::open(workspace.empty() ? QStringLiteral(".") : QString::fromStdString(workspace));
}

} // namespace sg::cli
