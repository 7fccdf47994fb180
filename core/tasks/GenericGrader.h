#pragma once

#include "tasks/Grader.h"

#include <optional>

namespace sg {

// The graders of generic `jsonl` tasks (DESIGN.md 7). The gold `answer` items are acceptable
// alternatives: the prediction passes when it matches any of them. The prediction is one text:
// its items joined with a newline, then trimmed of surrounding whitespace. The score is 1 or 0.
//
// * exact    — the text equals an answer (trimmed too), case and inner spacing included;
// * numeric  — the text is a number (optional sign, decimals, exponent; commas only as
//              thousands separators in groups of three: "1,234.5") within the task's
//              `tolerance` (absolute, default 1e-6) of an answer;
// * regex    — an answer, as a Perl-style pattern, matches the whole text;
// * contains — the text contains an answer, ignoring case.
class GenericGrader : public Grader
{
public:
    enum class Kind { Exact, Numeric, Regex, Contains };

    explicit GenericGrader(Kind kind) : m_kind(kind) {}

    static std::optional<Kind> kindFromName(const QString& name);
    Outcome grade(const Task& task, const QStringList& prediction) const override;

    // The prediction as the numeric grader reads it; nullopt when it is not a number.
    static std::optional<double> parseNumber(const QString& text);
    // The task's tolerance: extra["tolerance"] when it is a number >= 0, else 1e-6.
    static double tolerance(const Task& task);

private:
    Kind m_kind;
};

} // namespace sg
