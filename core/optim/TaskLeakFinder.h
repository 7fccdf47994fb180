#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace sg {

struct Task;

// Why a line of a skill is specific to one task (DESIGN.md 4.6).
struct TaskLeak
{
    enum Kind { GoldAnswer, TaskId, QuestionWords };

    Kind kind = GoldAnswer;
    QString taskId;
};

// Finds task-specific text: a gold answer of a task (3+ characters), a task id (3+ characters),
// or 4 consecutive words of a task's question. Matching ignores case, and answers and ids match
// only as whole words: "2004" is not in "20045", "Lions" is not in "Lionsgate".
class TaskLeakFinder
{
public:
    static constexpr int kMinLength = 3;
    static constexpr int kQuestionWords = 4;

    explicit TaskLeakFinder(const std::vector<const Task*>& tasks);

    // Each kind of leak at most once per task, in the order of the tasks.
    std::vector<TaskLeak> find(const QString& line) const;

    // Runs of letters and digits, lowercased.
    static QStringList words(const QString& text);
    // Whether `text` holds `phrase` (both already lowercased and simplified), not inside a
    // longer word.
    static bool containsPhrase(const QString& text, const QString& phrase);

private:
    struct Needle
    {
        QString text; // lowercased, simplified
        QString taskId;
        TaskLeak::Kind kind = TaskLeak::GoldAnswer;
    };

    std::vector<Needle> m_needles;
    QHash<QString, QStringList> m_questionRuns; // 4 words joined by a space -> task ids
    QStringList m_taskOrder;
};

} // namespace sg
