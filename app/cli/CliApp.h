#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace sg::cli {

// Parses the command line and runs the command. `args` excludes the program name. Returns the
// exit code of DESIGN.md 12; never throws. Needs a QCoreApplication for commands that use Qt's
// event loop (doctor).
int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           bool outIsTerminal = false, bool errIsTerminal = false);

} // namespace sg::cli
