#pragma once

#include "tasks/Grader.h"
#include "tasks/WtqValue.h"

#include <vector>

namespace sg {

// WikiTableQuestions denotation accuracy, as the official evaluator decides it
// (data/wtq/README.md): gold and predicted items become typed values, duplicates go, and the
// prediction passes iff both sets have the same size and every gold item matches a predicted one.
//
// The soft score is the size of the largest one-to-one matching between the distinct gold and
// predicted items, divided by the larger of the two set sizes: one extra or one missing item
// costs a share instead of everything. It is 1 exactly when the prediction passes (the official
// rule lets two gold items match the same predicted one; such a pass still scores 1).
class WtqGrader : public Grader
{
public:
    Outcome grade(const Task& task, const QStringList& prediction) const override;

    // The gold items, typed from their canonical form when the task has one. Task::canonType
    // is not consulted: like the official evaluator, the canonical string itself decides.
    static std::vector<WtqValue> goldValues(const Task& task);
    static std::vector<WtqValue> predictedValues(const QStringList& prediction);
    // Keeps the first of every group of equal values (the evaluator's set()).
    static std::vector<WtqValue> distinct(const std::vector<WtqValue>& values);
};

} // namespace sg
