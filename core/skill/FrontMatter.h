#pragma once

#include "SkillProblem.h"

#include <QString>

#include <optional>
#include <vector>

namespace sg {

// The YAML front matter of SKILL.md (layer L1), as read. It is parsed with yaml-cpp but never
// re-emitted: edits to L1 are made on the text, so diffs stay minimal (DESIGN.md 14).
class FrontMatter
{
public:
    enum class Kind { Null, Scalar, Sequence, Map };

    struct Value
    {
        QString key;
        int line = 0; // 1-based line in SKILL.md
        Kind kind = Kind::Null;
        QString scalar;             // when kind == Scalar
        std::vector<Value> entries; // when kind == Map: its key/value pairs, in order
    };

    // SKILL.md split into front matter and body, with the problems found on the way.
    struct Parsed;

    static Parsed parse(const QString& skillMd);

    bool present() const { return m_present; }
    const std::vector<Value>& fields() const { return m_fields; }
    const Value* field(const QString& key) const;
    // The scalar text of a top-level key, or nullopt when absent or not a scalar.
    std::optional<QString> scalar(const QString& key) const;
    QString name() const { return scalar(QStringLiteral("name")).value_or(QString()); }
    QString description() const { return scalar(QStringLiteral("description")).value_or(QString()); }
    // The line of a key in SKILL.md, or the opening "---" line when the key is absent.
    int lineOf(const QString& key) const;

    int firstLine() const { return m_firstLine; } // the opening "---"
    int lastLine() const { return m_lastLine; }   // the closing "---"
    const QString& text() const { return m_text; }

private:
    bool m_present = false;
    int m_firstLine = 1;
    int m_lastLine = 1;
    QString m_text;
    std::vector<Value> m_fields;
};

struct FrontMatter::Parsed
{
    FrontMatter frontMatter;
    QString body;
    int bodyFirstLine = 1; // the SKILL.md line where the body starts
    SkillProblems problems;
};

} // namespace sg
