#include "SkillValidator.h"

#include <QRegularExpression>

#include <algorithm>
#include <set>

namespace sg {

namespace {

const QString kSkillMd = QStringLiteral("SKILL.md");
const QStringList kAllowedKeys = {QStringLiteral("name"),          QStringLiteral("description"),
                                  QStringLiteral("license"),       QStringLiteral("compatibility"),
                                  QStringLiteral("metadata"),      QStringLiteral("allowed-tools")};

int codePoints(const QString& s)
{
    return int(s.toUcs4().size());
}

class Collector
{
public:
    SkillProblems problems;

    void error(const QString& file, int line, const QString& rule, const QString& message, const QString& hint)
    {
        problems.push_back({file, line, SkillProblem::Level::Error, rule, message, hint});
    }
    void warning(const QString& file, int line, const QString& rule, const QString& message, const QString& hint)
    {
        problems.push_back({file, line, SkillProblem::Level::Warning, rule, message, hint});
    }
};

void checkName(const SkillPackage& package, const SkillValidator::Options& options, Collector& c)
{
    const FrontMatter& fm = package.frontMatter();
    const FrontMatter::Value* field = fm.field(QStringLiteral("name"));
    if (!field || field->kind == FrontMatter::Kind::Null || (field->kind == FrontMatter::Kind::Scalar && field->scalar.isEmpty())) {
        const QString suggestion = SkillValidator::suggestName(package.rootName());
        c.error(kSkillMd, fm.lineOf(QStringLiteral("name")), QStringLiteral("name-missing"),
                QStringLiteral("the front matter has no name"),
                suggestion.isEmpty() ? QStringLiteral("add name: followed by lowercase letters, digits and hyphens")
                                     : QStringLiteral("add name: %1").arg(suggestion));
        return;
    }
    if (field->kind != FrontMatter::Kind::Scalar)
        return; // reported as a type problem
    const QString name = field->scalar;
    const int line = field->line;
    const QString suggestion = SkillValidator::suggestName(name);
    const QString fix = suggestion.isEmpty() || suggestion == name ? QString()
                                                                   : QStringLiteral("for example: name: %1").arg(suggestion);
    if (codePoints(name) > SkillValidator::kMaxNameLength)
        c.error(kSkillMd, line, QStringLiteral("name-length"),
                QStringLiteral("name is %1 characters long; the limit is %2").arg(codePoints(name)).arg(SkillValidator::kMaxNameLength),
                QStringLiteral("shorten it"));
    static const QRegularExpression allowed(QStringLiteral("^[a-z0-9-]+$"));
    if (!allowed.match(name).hasMatch())
        c.error(kSkillMd, line, QStringLiteral("name-charset"),
                QStringLiteral("name \"%1\" may hold only lowercase letters a-z, digits and hyphens").arg(name),
                fix.isEmpty() ? QStringLiteral("use lowercase letters, digits and hyphens") : fix);
    if (name.startsWith(QLatin1Char('-')) || name.endsWith(QLatin1Char('-')) || name.contains(QLatin1String("--")))
        c.error(kSkillMd, line, QStringLiteral("name-hyphen"),
                QStringLiteral("name \"%1\" starts or ends with a hyphen, or has two in a row").arg(name),
                fix.isEmpty() ? QStringLiteral("use single hyphens between words") : fix);

    const QString expected = options.expectedName.isEmpty() ? package.rootName() : options.expectedName;
    if (!expected.isEmpty() && name != expected) {
        const QString what = options.expectedName.isEmpty() ? QStringLiteral("the package folder's name")
                                                            : QStringLiteral("the name recorded in the workspace");
        c.error(kSkillMd, line, QStringLiteral("name-mismatch"),
                QStringLiteral("name \"%1\" differs from %2, \"%3\"").arg(name, what, expected),
                options.expectedName.isEmpty() ? QStringLiteral("rename the folder to %1, or set name: %2").arg(name, expected)
                                               : QStringLiteral("set name: %1").arg(expected));
    }
}

void checkDescription(const FrontMatter& fm, Collector& c)
{
    const FrontMatter::Value* field = fm.field(QStringLiteral("description"));
    if (!field || field->kind == FrontMatter::Kind::Null
        || (field->kind == FrontMatter::Kind::Scalar && field->scalar.trimmed().isEmpty())) {
        c.error(kSkillMd, fm.lineOf(QStringLiteral("description")), QStringLiteral("description-missing"),
                QStringLiteral("the front matter has no description"),
                QStringLiteral("add description: what the skill does and when an agent should use it"));
        return;
    }
    if (field->kind != FrontMatter::Kind::Scalar)
        return;
    const int length = codePoints(field->scalar);
    if (length > SkillValidator::kMaxDescriptionLength)
        c.error(kSkillMd, field->line, QStringLiteral("description-length"),
                QStringLiteral("description is %1 characters long; the limit is %2").arg(length).arg(SkillValidator::kMaxDescriptionLength),
                QStringLiteral("keep what and when; move details into the body"));
    if (field->scalar.contains(QLatin1Char('<')) || field->scalar.contains(QLatin1Char('>')))
        c.error(kSkillMd, field->line, QStringLiteral("description-angle-brackets"),
                QStringLiteral("description holds < or >, which agents may read as markup"),
                QStringLiteral("write the words out instead"));
}

void checkFields(const FrontMatter& fm, Collector& c)
{
    std::set<QString> seen;
    for (const FrontMatter::Value& field : fm.fields()) {
        if (!seen.insert(field.key).second)
            continue; // duplicates are reported by the parser
        if (!SkillValidator::isAllowedKey(field.key)) {
            c.error(kSkillMd, field.line, QStringLiteral("front-matter-unknown-key"),
                    QStringLiteral("unknown front matter key \"%1\"").arg(field.key),
                    QStringLiteral("allowed keys: %1; put anything else under metadata:").arg(kAllowedKeys.join(QStringLiteral(", "))));
            continue;
        }
        if (field.key == QLatin1String("metadata")) {
            if (field.kind == FrontMatter::Kind::Null)
                continue;
            if (field.kind != FrontMatter::Kind::Map) {
                c.error(kSkillMd, field.line, QStringLiteral("metadata-type"),
                        QStringLiteral("metadata must be a map of keys to strings"),
                        QStringLiteral("write it as indented \"key: value\" lines under metadata:"));
                continue;
            }
            for (const FrontMatter::Value& entry : field.entries) {
                if (entry.kind != FrontMatter::Kind::Scalar)
                    c.error(kSkillMd, entry.line, QStringLiteral("metadata-type"),
                            QStringLiteral("metadata value \"%1\" is not a string").arg(entry.key),
                            QStringLiteral("give it a plain or quoted string value"));
            }
            continue;
        }
        if (field.kind == FrontMatter::Kind::Sequence || field.kind == FrontMatter::Kind::Map)
            c.error(kSkillMd, field.line, QStringLiteral("field-type"),
                    QStringLiteral("%1 must be a string, not a %2")
                        .arg(field.key, field.kind == FrontMatter::Kind::Map ? QStringLiteral("map") : QStringLiteral("list")),
                    field.key == QLatin1String("allowed-tools")
                        ? QStringLiteral("list the tools in one string, separated by spaces")
                        : QStringLiteral("write it on one line, quoted if needed"));
    }
    if (const auto compat = fm.scalar(QStringLiteral("compatibility"))) {
        const int length = codePoints(*compat);
        if (length > SkillValidator::kMaxCompatibilityLength)
            c.error(kSkillMd, fm.lineOf(QStringLiteral("compatibility")), QStringLiteral("compatibility-length"),
                    QStringLiteral("compatibility is %1 characters long; the limit is %2").arg(length).arg(SkillValidator::kMaxCompatibilityLength),
                    QStringLiteral("name the requirements briefly"));
    }
}

void checkBodyAndPointers(const SkillPackage& package, Collector& c)
{
    const int lines = package.bodyLineCount();
    if (package.body().trimmed().isEmpty())
        c.warning(kSkillMd, package.bodyFirstLine(), QStringLiteral("body-empty"),
                  QStringLiteral("the body is empty: an agent that activates the skill gets no instructions"),
                  QStringLiteral("write the workflow below the front matter"));
    else if (lines > SkillValidator::kMaxBodyLines)
        c.warning(kSkillMd, package.bodyFirstLine() + SkillValidator::kMaxBodyLines, QStringLiteral("body-too-long"),
                  QStringLiteral("the body has %1 lines; the spec recommends at most %2").arg(lines).arg(SkillValidator::kMaxBodyLines),
                  QStringLiteral("move detailed material into references/ files and point to them"));

    std::set<QString> pointed;
    for (const Pointer& p : package.pointers()) {
        if (!p.valid) {
            c.error(kSkillMd, p.line, QStringLiteral("pointer-invalid"),
                    QStringLiteral("pointer %1 leaves the references/ folder").arg(p.raw),
                    QStringLiteral("point to a file under references/ without \"..\""));
            continue;
        }
        pointed.insert(p.target);
        if (!package.file(p.target))
            c.error(kSkillMd, p.line, QStringLiteral("pointer-broken"),
                    QStringLiteral("%1 is pointed to but does not exist").arg(p.target),
                    QStringLiteral("create the file or fix the path"));
    }
    for (const PackageFile* f : package.filesIn(Layer::L3)) {
        if (!pointed.count(f->path))
            c.warning(f->path, 0, QStringLiteral("reference-orphan"),
                      QStringLiteral("nothing in SKILL.md points to this file, so agents will never read it"),
                      QStringLiteral("add a line to SKILL.md: Read %1 when … Skip when …").arg(f->path));
    }
}

} // namespace

bool SkillValidator::isAllowedKey(const QString& key)
{
    return kAllowedKeys.contains(key);
}

QString SkillValidator::suggestName(const QString& text)
{
    QString out;
    for (const QChar ch : text.normalized(QString::NormalizationForm_KD)) {
        if (ch.category() == QChar::Mark_NonSpacing)
            continue;
        const QChar lower = ch.toLower();
        if ((lower >= QLatin1Char('a') && lower <= QLatin1Char('z')) || (lower >= QLatin1Char('0') && lower <= QLatin1Char('9')))
            out += lower;
        else if (!out.endsWith(QLatin1Char('-')))
            out += QLatin1Char('-');
    }
    while (out.startsWith(QLatin1Char('-')))
        out.remove(0, 1);
    out = out.left(kMaxNameLength);
    while (out.endsWith(QLatin1Char('-')))
        out.chop(1);
    return out;
}

SkillProblems SkillValidator::validate(const SkillPackage& package, const Options& options)
{
    Collector c;
    c.problems = package.loadProblems();
    if (package.hasSkillMd() && package.frontMatter().present()) {
        const bool parsedFine = std::none_of(c.problems.begin(), c.problems.end(), [](const SkillProblem& p) {
            return p.rule == QLatin1String("front-matter-yaml") || p.rule == QLatin1String("front-matter-not-mapping");
        });
        if (parsedFine) {
            checkFields(package.frontMatter(), c);
            checkName(package, options, c);
            checkDescription(package.frontMatter(), c);
        }
    }
    // The body is only known once the front matter has been found and closed.
    if (package.hasSkillMd() && package.frontMatter().present())
        checkBodyAndPointers(package, c);

    std::stable_sort(c.problems.begin(), c.problems.end(), [](const SkillProblem& a, const SkillProblem& b) {
        const bool aMain = a.file == kSkillMd, bMain = b.file == kSkillMd;
        if (aMain != bMain)
            return aMain;
        if (a.file != b.file)
            return a.file < b.file;
        return a.line < b.line;
    });
    return c.problems;
}

bool SkillValidator::hasErrors(const SkillProblems& problems)
{
    return std::any_of(problems.begin(), problems.end(), [](const SkillProblem& p) { return p.isError(); });
}

int SkillValidator::count(const SkillProblems& problems, SkillProblem::Level level)
{
    return int(std::count_if(problems.begin(), problems.end(), [level](const SkillProblem& p) { return p.level == level; }));
}

} // namespace sg
