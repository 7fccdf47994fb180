#pragma once

#include "CliContext.h"

#include <functional>

namespace CLI {
class App;
}

namespace sg::cli {

// `skillgrad grade --tasks SOURCE:PATH --predictions FILE`: grade a predictions file against a
// task file with each task's own grader; per-task verdicts and the accuracy.
class GradeCommand
{
public:
    static void add(CLI::App& app, CliContext& ctx, std::function<int()>& command);
};

} // namespace sg::cli
