#pragma once

#include "CliContext.h"

#include <functional>

namespace CLI {
class App;
}

namespace sg::cli {

// `skillgrad validate PATH`: check a skill folder or archive against the Agent Skills spec.
class ValidateCommand
{
public:
    static void add(CLI::App& app, CliContext& ctx, std::function<int()>& command);
};

} // namespace sg::cli
