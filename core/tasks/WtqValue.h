#pragma once

#include <QString>

#include <optional>

namespace sg {

// One typed item of a WikiTableQuestions answer, built by the rules of the official evaluator
// (data/wtq/README.md, "Evaluation rules"): a number, a date with unknown (xx) parts, or a
// string. Every value keeps its normalised text for the string comparison.
struct WtqValue
{
    enum class Type { String, Number, Date };

    Type type = Type::String;
    QString raw;        // the text it was typed from (the gold's raw answer, not its canon)
    QString normalized; // normalize(raw)
    double number = 0;  // Number: the amount, snapped to an integer within 1e-6
    int year = -1;      // Date: -1 where the field is xx
    int month = -1;
    int day = -1;

    // A predicted item, or a gold item without canonical form: typed from `raw` itself.
    static WtqValue fromText(const QString& raw);
    // A gold item: typed from `canon` when it is non-empty, compared by `raw` as a string.
    static WtqValue fromGold(const QString& raw, const QString& canon);

    // Set equality, used to remove duplicates: same type and the same number, date or string.
    bool sameAs(const WtqValue& other) const;
    // Whether this gold item accepts the predicted item (README rule 4).
    bool matches(const WtqValue& predicted) const;

    // README rule 5: diacritics, quotes and dashes, trailing citations and parentheses, outer
    // quotes (until nothing changes), one trailing period, whitespace and case.
    static QString normalize(const QString& text);
    // Python int() then float() syntax (NaN and infinities refused), as the evaluator parses.
    static std::optional<double> parseNumber(const QString& text);
    // "yyyy-mm-dd" with xx parts: three '-'-separated fields, each an int or xx ("xxxx" for the
    // year); not all unknown; month 1-12 and day 1-31. Returns false when it is not a date.
    static bool parseDate(const QString& text, int& year, int& month, int& day);
};

} // namespace sg
