#pragma once

#include "agent/SimExecutor.h"

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>

#include <vector>

namespace sg {

// What the sim's optimizer roles share (docs/sim.md, "The optimizer roles"): the executor's
// categories seen from the optimizer's side — the pattern id and anchor of each, its canned
// guidance, and how a label or summary names a category. The roles agree with the executor
// because they reuse its categories and its guidance detection.
class SimGuidance
{
public:
    using Category = SimExecutor::Category;

    // The category a free text names (a label, a summary, a pattern id such as "p-counting"):
    // the first category whose name appears in it, then the first whose keyword does; nullptr
    // when none does.
    static const Category* named(const QString& text);
    static const Category* byName(const QString& name);

    static QString patternId(const Category& c) { return QStringLiteral("p-") + c.name; }
    static QString anchor(const Category& c) { return c.name + QStringLiteral("-questions"); }
    static QString title(const Category& c); // "Counting"
    static QString heading(const Category& c) { return QStringLiteral("## %1 questions").arg(title(c)); }
    static QString referencePath(const Category& c) { return QStringLiteral("references/%1.md").arg(c.name); }
    static QString pointerLine(const Category& c);
    // "Counting questions answered without a counting method"
    static QString summary(const Category& c);
    // The canned guidance: 3–8 Markdown bullets of general advice, nothing from any question.
    static QStringList guidance(const Category& c);

    // Whether `body` (SKILL.md after the front matter) guides the category the way the executor
    // sees it: a heading with a keyword, or a pointer line naming it.
    static bool guided(const Category& c, const QString& body);

    // Every fenced ```json block of `text` that parses as an object, in order.
    static std::vector<nlohmann::json> jsonBlocks(const QString& text);
    // The first of them that has `key` at the top level (an object without it when none has).
    static nlohmann::json blockWith(const QString& text, const char* key);
};

} // namespace sg
