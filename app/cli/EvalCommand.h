#pragma once

#include "CliContext.h"

#include <functional>

namespace CLI {
class App;
}

namespace sg::cli {

// `skillgrad eval [--split S] [--version REF] [--limit N]`: the executor with the skill over a
// split; results and trajectories under runs/.
class EvalCommand
{
public:
    static void add(CLI::App& app, CliContext& ctx, std::function<int()>& command);
};

} // namespace sg::cli
