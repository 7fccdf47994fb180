#pragma once

#include "common/Result.h"
#include "tasks/Outcome.h"
#include "tasks/Task.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace sg {

// Scores a prediction against a task's gold data (DESIGN.md 7). A prediction is a list of
// strings, as the agent's `submit_answer(values)` gives it. Graders are stateless: one instance
// may grade any number of tasks of its kind, from any thread.
class Grader
{
public:
    virtual ~Grader() = default;

    virtual Outcome grade(const Task& task, const QStringList& prediction) const = 0;

    // The grader a task names: "wtq", or a generic one ("exact", "numeric", "regex",
    // "contains"). An unknown name is an Error (code "invalid") naming the task.
    static Result<std::unique_ptr<Grader>> forTask(const Task& task);
    static Result<std::unique_ptr<Grader>> forKind(const QString& kind);
    static QStringList kinds();

    // "a" and ["a", "b"]: text quoted as JSON strings, for evidence lines.
    static QString quote(const QString& text);
    static QString quoteList(const QStringList& items);
};

} // namespace sg
