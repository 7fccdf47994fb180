#include "CliRunner.h"

#include "CliApp.h"

#include <sstream>
#include <string>
#include <vector>

namespace sg::test {

CliRun skillgrad(const QStringList& args)
{
    std::vector<std::string> argv;
    for (const QString& a : args)
        argv.push_back(a.toStdString());
    std::ostringstream out, err;
    CliRun run;
    run.code = cli::runCli(argv, out, err);
    run.out = QString::fromStdString(out.str());
    run.err = QString::fromStdString(err.str());
    return run;
}

} // namespace sg::test
