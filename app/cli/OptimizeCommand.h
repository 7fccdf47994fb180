#pragma once

#include "CliContext.h"

#include <functional>

namespace CLI {
class App;
}

namespace sg::cli {

// `skillgrad optimize` and `skillgrad runs` (DESIGN.md 12).
class OptimizeCommand
{
public:
    static void add(CLI::App& app, CliContext& ctx, std::function<int()>& command);
};

} // namespace sg::cli
