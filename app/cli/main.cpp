#include "CliApp.h"

#include <QCoreApplication>

#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("skillgrad"));
    QCoreApplication::setOrganizationName(QStringLiteral("SkillGrad"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SKILLGRAD_VERSION));
    const std::vector<std::string> args(argv + 1, argv + argc);
    return sg::cli::runCli(args, std::cout, std::cerr, isatty(STDOUT_FILENO), isatty(STDERR_FILENO));
}
