#pragma once

#include "common/Result.h"
#include "tasks/TaskSet.h"

#include <QString>
#include <QStringList>

namespace sg {

// Generic JSON lines (DESIGN.md 7), so users can bring their own tasks:
// {"id", "prompt", "files"?, "answer", "grader"?, "split"?, "tolerance"?}. `answer` is a string,
// a number (kept as its JSON text) or a list of strings. `grader` is exact (default), numeric
// (which may carry a `tolerance` >= 0), regex (every answer must compile) or contains.
class JsonlTaskSource
{
public:
    static Result<TaskSet> load(const QString& path);
    static QStringList graders(); // exact, numeric, regex, contains
};

} // namespace sg
