#include "CapChecker.h"

#include "LineDiff.h"
#include "TaskLeakFinder.h"
#include "common/TextCodec.h"
#include "skill/SkillPackage.h"
#include "skill/SkillValidator.h"
#include "tasks/Task.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <algorithm>
#include <map>
#include <optional>

namespace sg {

namespace {

const QString kSkillMd = QStringLiteral("SKILL.md");

// One file that differs between the two versions.
struct FileChange
{
    QString path;
    Layer layer = Layer::Other;
    bool existedBefore = false;
    bool existsAfter = false;
    bool binary = false;         // compared by bytes: a change counts as one line
    std::vector<LineEdit> edits; // text files only
};

std::optional<QString> textOf(const PackageFile* file)
{
    if (!file)
        return QString();
    return TextCodec::decodeUtf8(file->data);
}

// Every path whose bytes differ, in path order (both file lists are sorted by path).
std::vector<FileChange> changedFiles(const SkillPackage& before, const SkillPackage& after)
{
    QStringList paths;
    for (const PackageFile& f : before.files())
        paths << f.path;
    for (const PackageFile& f : after.files())
        paths << f.path;
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());

    std::vector<FileChange> out;
    for (const QString& path : paths) {
        const PackageFile* old = before.file(path);
        const PackageFile* now = after.file(path);
        if (old && now && old->data == now->data)
            continue;
        FileChange change;
        change.path = path;
        change.layer = SkillPackage::layerOf(path);
        change.existedBefore = old != nullptr;
        change.existsAfter = now != nullptr;
        const auto oldText = textOf(old);
        const auto newText = textOf(now);
        if (!oldText || !newText)
            change.binary = true;
        else
            change.edits = LineDiff::diff(*oldText, *newText);
        out.push_back(std::move(change));
    }
    return out;
}

void add(CapReport& report, const QString& cap, const QString& file, int line,
         const QString& message)
{
    report.violations.push_back({cap, file, line, message});
}

int wordCount(const QString& text)
{
    return int(text.split(QLatin1Char(' '), Qt::SkipEmptyParts).size());
}

void checkDescription(const SkillPackage& after, const CapContext& context, CapReport& report)
{
    const int words = wordCount(after.frontMatter().description().simplified());
    if (words <= context.descriptionWordCap)
        return;
    add(report, QStringLiteral("description-words"), kSkillMd,
        after.frontMatter().lineOf(QStringLiteral("description")),
        QStringLiteral("the description has %1 words; the cap is %2: say what the skill does and "
                       "when to use it, and move the details into the body")
            .arg(words)
            .arg(context.descriptionWordCap));
}

void checkSpec(const SkillPackage& after, const CapContext& context, CapReport& report)
{
    SkillValidator::Options options;
    options.expectedName = context.skillName;
    for (const SkillProblem& p : SkillValidator::validate(after, options)) {
        QString cap;
        if (p.rule == QLatin1String("reference-orphan"))
            cap = QStringLiteral("orphan"); // only a warning for `validate`, but a cap here
        else if (!p.isError())
            continue; // body-too-long has its own cap; an empty body is allowed
        else if (p.rule == QLatin1String("pointer-broken") ||
                 p.rule == QLatin1String("pointer-invalid"))
            cap = QStringLiteral("pointer");
        else
            cap = QStringLiteral("spec");
        QString message = p.rule + QStringLiteral(": ") + p.message;
        if (!p.hint.isEmpty())
            message += QStringLiteral(" (") + p.hint + QLatin1Char(')');
        add(report, cap, p.file, p.line, message);
    }
}

void checkBodyLines(const SkillPackage& after, const CapContext& context, CapReport& report)
{
    const int lines = after.bodyLineCount();
    if (lines < context.bodyLineCap)
        return;
    add(report, QStringLiteral("body-lines"), kSkillMd,
        after.bodyFirstLine() + context.bodyLineCap - 1,
        QStringLiteral(
            "the SKILL.md body has %1 lines; it must stay under %2: lift detailed sections into a "
            "references/ file and point to it from the body")
            .arg(lines)
            .arg(context.bodyLineCap));
}

QString describe(const std::vector<TaskLeak>& leaks)
{
    // Names the task, never the value: the patcher must not learn a gold answer from the cap.
    QStringList parts;
    for (const TaskLeak& leak : leaks) {
        switch (leak.kind) {
        case TaskLeak::GoldAnswer:
            parts << QStringLiteral("holds a gold answer of task %1").arg(leak.taskId);
            break;
        case TaskLeak::TaskId:
            parts << QStringLiteral("names task %1").arg(leak.taskId);
            break;
        case TaskLeak::QuestionWords:
            parts << QStringLiteral("copies %1 words in a row from the question of task %2")
                         .arg(TaskLeakFinder::kQuestionWords)
                         .arg(leak.taskId);
            break;
        }
    }
    return QStringLiteral("this line ") + parts.join(QStringLiteral(" and "));
}

void checkTaskSpecific(const SkillPackage& before, const SkillPackage& after,
                       const std::vector<FileChange>& changes, const CapContext& context,
                       CapReport& report)
{
    const TaskLeakFinder finder(context.batch);
    // A line the skill already had (anywhere: a move keeps it) is never the patch's doing.
    QSet<QString> existing;
    for (const PackageFile& f : before.files()) {
        if (const auto text = TextCodec::decodeUtf8(f.data)) {
            for (const QString& line : LineDiff::lines(*text))
                existing.insert(line.trimmed());
        }
    }
    for (const FileChange& change : changes) {
        const bool skillMd = change.path == kSkillMd;
        if (!skillMd && change.layer != Layer::L3)
            continue;
        const QString layer = skillMd ? QStringLiteral("L2") : QStringLiteral("L3");
        for (const LineEdit& e : change.edits) {
            if (e.kind != LineEdit::Add || existing.contains(e.text.trimmed()))
                continue;
            if (skillMd && e.newLine < after.bodyFirstLine())
                continue; // front matter (L1) has its own caps
            const std::vector<TaskLeak> leaks = finder.find(e.text);
            if (leaks.empty())
                continue;
            add(report, QStringLiteral("task-specific"), change.path, e.newLine,
                describe(leaks) +
                    QStringLiteral(
                        "; %1 lines must apply broadly: state the general rule, not this "
                        "task's values or wording")
                        .arg(layer));
        }
    }
}

void checkChangedLines(const std::vector<FileChange>& changes, const CapContext& context,
                       CapReport& report)
{
    // Non-blank added and removed lines by trimmed text, across files, to pair moves.
    QHash<QString, int> added, removed;
    int total = 0;
    std::map<QString, int> perFile;
    for (const FileChange& change : changes) {
        int count = 0;
        if (change.binary) {
            count = 1;
        } else {
            for (const LineEdit& e : change.edits) {
                const QString text = e.text.trimmed();
                if (e.kind == LineEdit::Keep || text.isEmpty())
                    continue;
                ++(e.kind == LineEdit::Add ? added : removed)[text];
                ++count;
            }
        }
        if (count > 0)
            perFile[change.path] = count;
        total += count;
    }
    int moved = 0;
    for (auto it = removed.constBegin(); it != removed.constEnd(); ++it)
        moved += std::min(it.value(), added.value(it.key()));

    report.movedLines = moved;
    report.changedLines = total - moved * (context.escalation ? 2 : 1);
    if (report.changedLines <= context.changedLineCap)
        return;
    QStringList files;
    for (const auto& [path, count] : perFile)
        files << QStringLiteral("%1 %2").arg(path).arg(count);
    add(report, QStringLiteral("changed-lines"), QString(), 0,
        QStringLiteral("%1 lines changed (a moved line counts once; added and removed lines per "
                       "file: %2); the cap is %3: make a smaller edit that addresses the patterns "
                       "at hand and leaves the rest as it is")
            .arg(report.changedLines)
            .arg(files.join(QStringLiteral(", ")))
            .arg(context.changedLineCap));
}

void checkScripts(const std::vector<FileChange>& changes, const CapContext& context,
                  CapReport& report)
{
    if (context.allowScripts)
        return;
    for (const FileChange& change : changes) {
        if (change.layer != Layer::Scripts)
            continue;
        // The first changed line of the new file, when there is one to point at.
        int line = 0;
        if (change.existedBefore && change.existsAfter && !change.binary) {
            int newLine = 1;
            for (const LineEdit& e : change.edits) {
                if (e.kind != LineEdit::Keep) {
                    line = newLine;
                    break;
                }
                ++newLine;
            }
        }
        const QString what = !change.existedBefore ? QStringLiteral("adds")
                             : !change.existsAfter ? QStringLiteral("deletes")
                                                   : QStringLiteral("changes");
        add(report, QStringLiteral("scripts"), change.path, line,
            QStringLiteral("the patch %1 a file under scripts/, which this run does not allow "
                           "(scripts editing is off): undo it, and put the guidance in SKILL.md "
                           "or a references/ file instead")
                .arg(what));
    }
}

} // namespace

CapReport CapChecker::check(const SkillPackage& before, const SkillPackage& after,
                            const CapContext& context)
{
    CapReport report;
    std::vector<FileChange> changes = changedFiles(before, after);

    checkDescription(after, context, report);
    checkSpec(after, context, report);
    checkBodyLines(after, context, report);
    checkTaskSpecific(before, after, changes, context, report);
    checkChangedLines(changes, context, report);
    checkScripts(changes, context, report);
    return report;
}

} // namespace sg
