#pragma once

#include "common/Result.h"
#include "workspace/Workspace.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <iosfwd>
#include <string>

namespace sg::cli {

// Exit codes of DESIGN.md 12.
enum ExitCode : int {
    kExitOk = 0,        // the job completed (a zero score is still a completed job)
    kExitFailed = 1,    // it could not complete
    kExitUsage = 2,     // usage error or bad input
};

// What every command gets: the streams, the global options, and how to print.
struct CliContext
{
    std::ostream& out;
    std::ostream& err;
    bool outIsTerminal = false;
    bool errIsTerminal = false;

    // Global options (DESIGN.md 12), accepted before or after the command.
    std::string workspace;
    bool json = false;
    bool quiet = false;
    bool verbose = false;

    void print(const QString& line) const;     // a line on stdout (not in --json mode)
    void note(const QString& line) const;      // progress and notes on stderr, unless --quiet
    void error(const QString& line) const;     // "skillgrad: line" on stderr, always
    void printJson(const nlohmann::json& document) const; // the one document of --json
    // Wraps a word in a colour when stdout is a terminal and NO_COLOR is unset.
    QString colour(const QString& text, int ansi) const;

    // Prints an error (and, with --json, an {"error": …} document) and returns its exit code:
    // 2 for bad input (the user can fix it), 1 for anything else.
    int fail(const Error& error) const;
    static int exitCodeFor(const Error& error);
    // The workspace of --workspace, or of the current folder.
    Result<Workspace> openWorkspace() const;
};

std::string toStd(const QString& s);

} // namespace sg::cli
