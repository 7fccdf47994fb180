#pragma once

#include "CliContext.h"

#include <functional>

namespace CLI {
class App;
}

namespace sg::cli {

// `skillgrad init DIR (--example NAME | --skill PATH [--tasks SOURCE:PATH]) [--split …] [--seed S]`
class InitCommand
{
public:
    static void add(CLI::App& app, CliContext& ctx, std::function<int()>& command);
    // "train=40,val=20,test=40" (any subset) into counts; an error names the bad part.
    static Result<SplitCounts> parseSplit(const QString& text);
};

} // namespace sg::cli
