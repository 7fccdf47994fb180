#pragma once

#include "CliContext.h"

#include <functional>

namespace CLI {
class App;
}

namespace sg::cli {

// `skillgrad doctor`: what this machine has, what works, and what to install.
class DoctorCommand
{
public:
    static void add(CLI::App& app, CliContext& ctx, std::function<int()>& command);
};

} // namespace sg::cli
