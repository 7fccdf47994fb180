#pragma once

#include "CliContext.h"

#include <functional>

namespace CLI {
class App;
}

namespace sg::cli {

// The skill's history: log, show, diff, commit, rollback, export (DESIGN.md 12).
class HistoryCommands
{
public:
    static void add(CLI::App& app, CliContext& ctx, std::function<int()>& command);
};

} // namespace sg::cli
