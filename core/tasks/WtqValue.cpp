#include "WtqValue.h"

#include <QRegularExpression>
#include <QStringList>

#include <cmath>
#include <limits>

namespace sg {

namespace {

// The evaluator snaps values this close to an integer, and accepts numbers this close.
constexpr double kEpsilon = 1e-6;

// Python's str.isspace() for Unicode (what strip() and \s with re.U remove).
bool isPySpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

QString pyStrip(const QString& s)
{
    qsizetype begin = 0;
    qsizetype end = s.size();
    while (begin < end && isPySpace(s.at(begin).unicode()))
        ++begin;
    while (end > begin && isPySpace(s.at(end - 1).unicode()))
        --end;
    return s.mid(begin, end - begin);
}

// The evaluator's three patterns, verbatim (Python and PCRE agree on every construct used).
const QRegularExpression& citations()
{
    static const QRegularExpression re(
        QStringLiteral("((?<!^)\\[[^\\]]*\\]|\\[\\d+\\]|[\u2022\u2666\u2020\u2021*#+])*$"));
    return re;
}

const QRegularExpression& parentheses()
{
    static const QRegularExpression re(QStringLiteral("(?<!^)( \\([^)]*\\))*$"));
    return re;
}

const QRegularExpression& outerQuotes()
{
    static const QRegularExpression re(QStringLiteral("^\"([^\"]*)\"$"));
    return re;
}

// Unicode decimal digits become ASCII ones, as Python's int() and float() read them.
QString asciiDigits(const QString& s)
{
    QString out = s;
    for (QChar& c : out) {
        if (c.isDigit() && c.unicode() > 0x7F)
            c = QChar(u'0' + c.digitValue());
    }
    return out;
}

// Python int(): optional whitespace and sign around decimal digits.
std::optional<qint64> pyInt(const QString& text)
{
    const QString s = asciiDigits(pyStrip(text));
    qsizetype i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == u'+' || s[i] == u'-'))
        negative = s[i++] == u'-';
    if (i == s.size())
        return std::nullopt;
    qint64 value = 0;
    for (; i < s.size(); ++i) {
        const char16_t c = s[i].unicode();
        if (c < u'0' || c > u'9')
            return std::nullopt;
        if (value > (std::numeric_limits<qint64>::max() - 9) / 10)
            return std::nullopt; // far beyond any year or count; Python would keep it, we refuse
        value = value * 10 + (c - u'0');
    }
    return negative ? -value : value;
}

// Python float(): decimal or exponent notation; inf and nan are read and then refused.
std::optional<double> pyFloat(const QString& text)
{
    static const QRegularExpression syntax(
        QStringLiteral("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$"));
    const QString s = asciiDigits(pyStrip(text));
    if (!syntax.match(s).hasMatch())
        return std::nullopt; // also "inf", "nan", "infinity": refused by the evaluator anyway
    bool ok = false;
    const double value = s.toDouble(&ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt; // 1e999 overflows to inf in Python: refused there too
    return value;
}

// The README's rule: a value within 1e-6 of an integer is that integer. (The upstream code
// writes int(amount), which truncates 2.9999999 to 2; the README, which we follow, says 3.)
double snap(double amount)
{
    const double rounded = std::round(amount);
    return std::fabs(amount - rounded) < kEpsilon ? rounded : amount;
}

// to_value() of the evaluator: `typing` decides the type, `raw` gives the string.
WtqValue typed(const QString& raw, const QString& typing)
{
    WtqValue v;
    v.raw = raw;
    v.normalized = WtqValue::normalize(raw);
    if (const auto amount = WtqValue::parseNumber(typing)) {
        v.type = WtqValue::Type::Number;
        v.number = snap(*amount);
        return v;
    }
    int year = -1, month = -1, day = -1;
    if (WtqValue::parseDate(typing, year, month, day)) {
        if (month == -1 && day == -1) { // a year alone is a number
            v.type = WtqValue::Type::Number;
            v.number = year;
        } else {
            v.type = WtqValue::Type::Date;
            v.year = year;
            v.month = month;
            v.day = day;
        }
    }
    return v;
}

} // namespace

WtqValue WtqValue::fromText(const QString& raw)
{
    return typed(raw, raw);
}

WtqValue WtqValue::fromGold(const QString& raw, const QString& canon)
{
    return typed(raw, canon.isEmpty() ? raw : canon);
}

bool WtqValue::sameAs(const WtqValue& other) const
{
    if (type != other.type)
        return false;
    switch (type) {
    case Type::Number:
        return number == other.number;
    case Type::Date:
        return year == other.year && month == other.month && day == other.day;
    case Type::String:
        break;
    }
    return normalized == other.normalized;
}

bool WtqValue::matches(const WtqValue& predicted) const
{
    if (normalized == predicted.normalized)
        return true;
    if (type == Type::Number && predicted.type == Type::Number)
        return std::fabs(number - predicted.number) < kEpsilon;
    if (type == Type::Date && predicted.type == Type::Date)
        return year == predicted.year && month == predicted.month && day == predicted.day;
    return false;
}

QString WtqValue::normalize(const QString& text)
{
    // Diacritics: NFKD, then drop the nonspacing marks (by code point: some are astral).
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString x;
    x.reserve(decomposed.size());
    for (const char32_t c : decomposed.toUcs4()) {
        if (QChar::category(c) == QChar::Mark_NonSpacing)
            continue;
        switch (c) {
        case 0x2018:
        case 0x2019:
        case 0x00B4:
        case 0x0060: // ‘ ’ ´ `
            x += QLatin1Char('\'');
            break;
        case 0x201C:
        case 0x201D: // “ ”
            x += QLatin1Char('"');
            break;
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
        case 0x2212: // dashes
            x += QLatin1Char('-');
            break;
        default:
            // Not QString::fromUcs4(): it would take a U+FEFF for a byte order mark and drop it.
            if (QChar::requiresSurrogates(c)) {
                x += QChar(QChar::highSurrogate(c));
                x += QChar(QChar::lowSurrogate(c));
            } else {
                x += QChar(char16_t(c));
            }
        }
    }
    // Trailing citations, trailing parentheses, one pair of outer quotes: until stable.
    for (;;) {
        const QString old = x;
        x = pyStrip(x).replace(citations(), QString());
        x = pyStrip(x).replace(parentheses(), QString());
        x = pyStrip(x).replace(outerQuotes(), QStringLiteral("\\1"));
        if (x == old)
            break;
    }
    if (x.endsWith(QLatin1Char('.')))
        x.chop(1);
    // Runs of whitespace become one space; then lower case and strip.
    QString collapsed;
    collapsed.reserve(x.size());
    bool inSpace = false;
    for (const QChar c : std::as_const(x)) {
        if (isPySpace(c.unicode())) {
            if (!inSpace)
                collapsed += QLatin1Char(' ');
            inSpace = true;
        } else {
            collapsed += c;
            inSpace = false;
        }
    }
    return pyStrip(collapsed.toLower());
}

std::optional<double> WtqValue::parseNumber(const QString& text)
{
    if (const auto integer = pyInt(text))
        return double(*integer);
    return pyFloat(text);
}

bool WtqValue::parseDate(const QString& text, int& year, int& month, int& day)
{
    const QStringList ymd = text.toLower().split(QLatin1Char('-'));
    if (ymd.size() != 3)
        return false;
    auto field = [](const QString& s, bool isYear, int& out) {
        if (s == QLatin1String("xx") || (isYear && s == QLatin1String("xxxx"))) {
            out = -1;
            return true;
        }
        const auto value = pyInt(s);
        if (!value || *value < std::numeric_limits<int>::min() ||
            *value > std::numeric_limits<int>::max())
            return false;
        out = int(*value);
        return true;
    };
    int y = -1, m = -1, d = -1;
    if (!field(ymd[0], true, y) || !field(ymd[1], false, m) || !field(ymd[2], false, d))
        return false;
    if (y == -1 && m == -1 && d == -1)
        return false;
    if ((m != -1 && (m < 1 || m > 12)) || (d != -1 && (d < 1 || d > 31)))
        return false;
    year = y;
    month = m;
    day = d;
    return true;
}

} // namespace sg
