#include "JsonlTaskSource.h"

#include "tasks/TaskFile.h"

#include <QRegularExpression>

#include <cmath>
#include <string>

namespace sg {

namespace {

const QStringList kSplits{QStringLiteral("train"), QStringLiteral("test")};

// Finds the source text of the top-level "answer" when it is a fractional number: the parsed
// double would turn "1.50" into "1.5", and an exact grader must compare what the user wrote.
class AnswerNumberText : public nlohmann::json_sax<nlohmann::json>
{
public:
    std::string text;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t& s) override
    {
        if (m_depth == 1 && m_atAnswer)
            text = s;
        return true;
    }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return ++m_depth, true; }
    bool key(string_t& key) override
    {
        if (m_depth == 1)
            m_atAnswer = key == "answer";
        return true;
    }
    bool end_object() override { return --m_depth, true; }
    bool start_array(std::size_t) override { return ++m_depth, true; }
    bool end_array() override { return --m_depth, true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override
    {
        return false;
    }

private:
    int m_depth = 0;
    bool m_atAnswer = false;
};

// The answer as the user wrote it: a string, a number's JSON text, or a list of strings.
std::optional<QStringList> readAnswer(TaskRecord& record)
{
    const auto it = record.object().find("answer");
    if (it == record.object().end() || it->is_null()) {
        record.fail(QStringLiteral("answer"), QStringLiteral("is missing"),
                    QStringLiteral("add \"answer\": a string, a number or a list of strings"));
        return std::nullopt;
    }
    QStringList answers;
    if (it->is_string()) {
        answers << QString::fromStdString(it->get<std::string>());
    } else if (it->is_number()) {
        std::string text = it->dump();
        if (it->is_number_float()) {
            AnswerNumberText finder;
            if (nlohmann::json::sax_parse(record.raw().cbegin(), record.raw().cend(), &finder) &&
                !finder.text.empty())
                text = finder.text;
        }
        answers << QString::fromStdString(text);
    } else if (it->is_array()) {
        auto items = record.strings("answer", true);
        if (!items)
            return std::nullopt;
        answers = *items;
    } else {
        record.fail(
            QStringLiteral("answer"),
            QStringLiteral("must be a string, a number or a list of strings, not %1")
                .arg(TaskRecord::typeName(*it)),
            QStringLiteral("write e.g. \"answer\": \"Paris\" or \"answer\": [\"a\", \"b\"]"));
        return std::nullopt;
    }
    for (const QString& answer : answers) {
        if (answer.isEmpty()) {
            // An empty gold item would match anything under contains and regex.
            record.fail(QStringLiteral("answer"), QStringLiteral("holds an empty string"),
                        QStringLiteral("give every gold item some text"));
            return std::nullopt;
        }
    }
    return answers;
}

// What each grader needs of the answer and of "tolerance".
void checkGrading(TaskRecord& record, const QString& grader, const QStringList& answers)
{
    const bool numeric = grader == QLatin1String("numeric");
    for (const QString& answer : answers) {
        if (numeric) {
            bool ok = false;
            const double value = answer.toDouble(&ok);
            if (!ok || !std::isfinite(value)) {
                record.fail(QStringLiteral("answer"),
                            QStringLiteral("\"%1\" is not a number, which the numeric grader needs")
                                .arg(answer),
                            QStringLiteral("write a plain number such as 12.5 (no units or "
                                           "thousands separators), or use another grader"));
                return;
            }
        } else if (grader == QLatin1String("regex")) {
            const QRegularExpression re(answer);
            if (!re.isValid()) {
                record.fail(
                    QStringLiteral("answer"),
                    QStringLiteral("\"%1\" is not a valid regular expression: %2 at offset %3")
                        .arg(answer, re.errorString())
                        .arg(re.patternErrorOffset()),
                    QStringLiteral("fix the pattern (Perl syntax), or use the exact grader"));
                return;
            }
        }
    }
    const auto it = record.object().find("tolerance");
    if (it == record.object().end() || it->is_null())
        return;
    if (!numeric) {
        record.fail(QStringLiteral("tolerance"),
                    QStringLiteral("is set, but the %1 grader ignores it").arg(grader),
                    QStringLiteral("use \"grader\": \"numeric\", or remove \"tolerance\""));
        return;
    }
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0) {
        const QString got =
            it->is_number() ? QString::fromStdString(it->dump()) : TaskRecord::typeName(*it);
        record.fail(QStringLiteral("tolerance"),
                    QStringLiteral("must be a number >= 0, not %1").arg(got),
                    QStringLiteral("write e.g. \"tolerance\": 0.01"));
    }
}

} // namespace

Result<TaskSet> JsonlTaskSource::load(const QString& path)
{
    auto file = TaskFile::read(path);
    if (!file)
        return file.error();
    return file->collect(QStringLiteral("jsonl"), [](TaskRecord& record) -> std::optional<Task> {
        Task task;
        task.id = record.id().value_or(QString());
        task.split = record.choice("split", kSplits, QStringLiteral("train")).value_or(QString());
        task.prompt = record.string("prompt", true).value_or(QString());
        const QStringList files = record.strings("files", false).value_or(QStringList());
        for (qsizetype i = 0; i < files.size() && !record.failed(); ++i) {
            auto rel = record.file(QStringLiteral("files[%1]").arg(i), files[i]);
            if (rel && !task.files.contains(*rel))
                task.files << *rel;
        }
        if (record.failed())
            return std::nullopt;
        task.answers = readAnswer(record).value_or(QStringList());
        task.grader =
            record.choice("grader", graders(), QStringLiteral("exact")).value_or(QString());
        if (!record.failed())
            checkGrading(record, task.grader, task.answers);
        if (record.failed())
            return std::nullopt;
        task.extra = record.extra({"id", "prompt", "files", "answer", "grader", "split"});
        return task;
    });
}

QStringList JsonlTaskSource::graders()
{
    return {QStringLiteral("exact"), QStringLiteral("numeric"), QStringLiteral("regex"),
            QStringLiteral("contains")};
}

} // namespace sg
