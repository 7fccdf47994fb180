#include "TaskLeakFinder.h"

#include "tasks/Task.h"

#include <algorithm>

namespace sg {

namespace {

QString normal(const QString& text)
{
    return text.simplified().toLower();
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber();
}

} // namespace

TaskLeakFinder::TaskLeakFinder(const std::vector<const Task*>& tasks)
{
    for (const Task* task : tasks) {
        if (!task)
            continue;
        m_taskOrder << task->id;
        for (const QString& answer : task->answers) {
            const QString text = normal(answer);
            if (text.size() >= kMinLength)
                m_needles.push_back({text, task->id, TaskLeak::GoldAnswer});
        }
        // Short ids ("1", "q2") would match list numbers and ordinary words.
        const QString id = normal(task->id);
        if (id.size() >= kMinLength)
            m_needles.push_back({id, task->id, TaskLeak::TaskId});
        const QStringList words = TaskLeakFinder::words(task->prompt);
        for (int i = 0; i + kQuestionWords <= words.size(); ++i) {
            QStringList& ids = m_questionRuns[words.mid(i, kQuestionWords).join(QLatin1Char(' '))];
            if (!ids.contains(task->id))
                ids << task->id;
        }
    }
}

QStringList TaskLeakFinder::words(const QString& text)
{
    QStringList out;
    QString word;
    for (const QChar c : text) {
        if (isWordChar(c)) {
            word += c;
        } else if (!word.isEmpty()) {
            out << word.toLower();
            word.clear();
        }
    }
    if (!word.isEmpty())
        out << word.toLower();
    return out;
}

bool TaskLeakFinder::containsPhrase(const QString& text, const QString& phrase)
{
    if (phrase.isEmpty())
        return false;
    // A boundary matters only where the phrase itself starts or ends with a word character:
    // "(a)" may follow a letter, "Lions" may not.
    const bool wordStart = isWordChar(phrase.front());
    const bool wordEnd = isWordChar(phrase.back());
    qsizetype from = 0;
    while (true) {
        const qsizetype at = text.indexOf(phrase, from);
        if (at < 0)
            return false;
        const qsizetype after = at + phrase.size();
        const bool startOk = !wordStart || at == 0 || !isWordChar(text[at - 1]);
        const bool endOk = !wordEnd || after == text.size() || !isWordChar(text[after]);
        if (startOk && endOk)
            return true;
        from = at + 1;
    }
}

std::vector<TaskLeak> TaskLeakFinder::find(const QString& line) const
{
    std::vector<TaskLeak> found;
    const auto add = [&found](TaskLeak::Kind kind, const QString& taskId) {
        const bool known = std::any_of(found.begin(), found.end(), [&](const TaskLeak& l) {
            return l.kind == kind && l.taskId == taskId;
        });
        if (!known)
            found.push_back({kind, taskId});
    };

    const QString text = normal(line);
    for (const Needle& needle : m_needles) {
        if (containsPhrase(text, needle.text))
            add(needle.kind, needle.taskId);
    }
    if (!m_questionRuns.isEmpty()) {
        const QStringList words = TaskLeakFinder::words(line);
        for (int i = 0; i + kQuestionWords <= words.size(); ++i) {
            const auto it =
                m_questionRuns.constFind(words.mid(i, kQuestionWords).join(QLatin1Char(' ')));
            if (it == m_questionRuns.constEnd())
                continue;
            for (const QString& id : it.value())
                add(TaskLeak::QuestionWords, id);
        }
    }
    // Grouped by task, in batch order, so a message reads task by task.
    std::stable_sort(found.begin(), found.end(), [this](const TaskLeak& a, const TaskLeak& b) {
        return m_taskOrder.indexOf(a.taskId) < m_taskOrder.indexOf(b.taskId);
    });
    return found;
}

} // namespace sg
