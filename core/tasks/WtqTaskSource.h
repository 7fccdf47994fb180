#pragma once

#include "common/Result.h"
#include "tasks/TaskSet.h"

#include <QString>

namespace sg {

// WikiTableQuestions in the tasks.jsonl form of data/wtq (README there): id, split, question,
// table, table_tsv, answers, answers_canon, answers_canon_type, page_title. Every table a task
// names is parsed while loading (once per file), so a missing or broken table fails the load.
class WtqTaskSource
{
public:
    static Result<TaskSet> load(const QString& path);
};

} // namespace sg
