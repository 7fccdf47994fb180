#include "CliApp.h"

#include "CliContext.h"
#include "DoctorCommand.h"
#include "EvalCommand.h"
#include "GradeCommand.h"
#include "HistoryCommands.h"
#include "InitCommand.h"
#include "LlmCommand.h"
#include "OptimizeCommand.h"
#include "ReportCommand.h"
#include "ValidateCommand.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <ostream>

namespace sg::cli {

namespace {

// CLI11's own formatter, with the exit-code table at the end of the top-level help.
constexpr const char* kFooter =
    "Exit codes: 0 the job completed; 1 it could not complete; 2 usage error or bad input.\n"
    "Global options may also follow the command. Run 'skillgrad COMMAND --help' for a command.";

} // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, bool outIsTerminal,
           bool errIsTerminal)
{
    CliContext ctx{out, err, outIsTerminal, errIsTerminal};
    CLI::App app{"SkillGrad: optimise an agent skill (SKILL.md package) the way gradient descent optimises a parameter.",
                 "skillgrad"};
    app.footer(kFooter);
    app.set_version_flag("--version", std::string("skillgrad ") + SKILLGRAD_VERSION);
    app.add_option("--workspace", ctx.workspace, "Workspace folder (default: the current folder)")->type_name("DIR");
    app.add_flag("--json", ctx.json, "Print one JSON document on stdout");
    app.add_flag("-q,--quiet", ctx.quiet, "Print only results and errors");
    app.add_flag("-v,--verbose", ctx.verbose, "Print more detail");
    app.require_subcommand(1);
    app.fallthrough(); // global options after the command (CLI11 2.1, DESIGN.md 14)

    std::function<int()> command;
    InitCommand::add(app, ctx, command);
    ValidateCommand::add(app, ctx, command);
    DoctorCommand::add(app, ctx, command);
    EvalCommand::add(app, ctx, command);
    GradeCommand::add(app, ctx, command);
    HistoryCommands::add(app, ctx, command);
    LlmCommand::add(app, ctx, command);
    OptimizeCommand::add(app, ctx, command);
    ReportCommand::add(app, ctx, command);

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::CallForVersion&) {
        out << "skillgrad " << SKILLGRAD_VERSION << '\n';
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        // CLI11 2.1 maps parse errors to 100+; every usage error here is 2 (DESIGN.md 14).
        const auto* sub = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
        if (args.empty()) {
            err << app.help();
        } else {
            err << "skillgrad: " << e.what() << '\n';
            err << "Run 'skillgrad" << (sub == &app ? std::string() : " " + sub->get_name()) << " --help' for usage.\n";
        }
        return kExitUsage;
    }
    if (!command)
        return kExitUsage;
    try {
        return command();
    } catch (const std::exception& e) {
        ctx.error(QStringLiteral("internal error: %1").arg(QString::fromUtf8(e.what())));
        return kExitFailed;
    }
}

} // namespace sg::cli
