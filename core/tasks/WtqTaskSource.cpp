#include "WtqTaskSource.h"

#include "tasks/Table.h"
#include "tasks/TaskFile.h"

#include <QHash>

namespace sg {

namespace {

const QStringList kSplits{QStringLiteral("train"), QStringLiteral("test")};

} // namespace

Result<TaskSet> WtqTaskSource::load(const QString& path)
{
    auto file = TaskFile::read(path);
    if (!file)
        return file.error();
    const QString root = file->root();
    // Tables are shared between questions: parse each file once. Empty means it parsed.
    QHash<QString, QString> parsed;

    // Parses a table the record names; a failure becomes the record's error.
    auto checkTable = [&](TaskRecord& record, const QString& field, const QString& rel) {
        auto known = parsed.constFind(rel);
        if (known == parsed.cend()) {
            auto table = Table::read(root + QLatin1Char('/') + rel);
            known = parsed.insert(rel, table ? QString() : table.error().text());
        }
        if (!known->isEmpty())
            record.fail(field, QStringLiteral("names a table that does not parse: %1").arg(*known),
                        QStringLiteral("fix the table file, or point \"%1\" at a readable table")
                            .arg(field));
    };

    return file->collect(QStringLiteral("wtq"), [&](TaskRecord& record) -> std::optional<Task> {
        Task task;
        task.grader = QStringLiteral("wtq");
        task.id = record.id().value_or(QString());
        task.split = record.choice("split", kSplits, QStringLiteral("train")).value_or(QString());
        task.prompt = record.string("question", true).value_or(QString());
        const QString table = record.string("table", true).value_or(QString());
        if (auto rel = record.file(QStringLiteral("table"), table)) {
            checkTable(record, QStringLiteral("table"), *rel);
            task.files << *rel;
        }
        const QString tsv = record.string("table_tsv", false).value_or(QString());
        if (!record.failed() && record.object().contains("table_tsv") &&
            !record.object().at("table_tsv").is_null()) {
            if (auto rel = record.file(QStringLiteral("table_tsv"), tsv)) {
                checkTable(record, QStringLiteral("table_tsv"), *rel);
                if (!task.files.contains(*rel))
                    task.files << *rel;
            }
        }
        task.answers = record.strings("answers", true).value_or(QStringList());
        task.answersCanon = record.strings("answers_canon", false).value_or(QStringList());
        task.canonType = record.string("answers_canon_type", false).value_or(QString());
        // The grader pairs canonical values with answers item by item.
        if (!record.failed() && !task.answersCanon.isEmpty() &&
            task.answersCanon.size() != task.answers.size())
            record.fail(QStringLiteral("answers_canon"),
                        QStringLiteral("has %1 items, \"answers\" has %2")
                            .arg(task.answersCanon.size())
                            .arg(task.answers.size()),
                        QStringLiteral("give one canonical value per answer, or null"));
        if (record.failed())
            return std::nullopt;
        task.extra = record.extra(
            {"id", "split", "question", "table", "answers", "answers_canon", "answers_canon_type"});
        return task;
    });
}

} // namespace sg
