#include "FrontMatter.h"

#include <QStringList>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <sstream>
#include <string>

namespace sg {

namespace {

const QString kSkillMd = QStringLiteral("SKILL.md");

SkillProblem error(int line, const QString& rule, const QString& message, const QString& hint)
{
    return {kSkillMd, line, SkillProblem::Level::Error, rule, message, hint};
}

bool isDelimiter(const QString& line, bool closing)
{
    const QString trimmed = line.trimmed();
    return trimmed == QLatin1String("---") || (closing && trimmed == QLatin1String("..."));
}

// yaml-cpp 0.7 keeps duplicate keys silently (DESIGN.md 14); this walks the parse events and
// reports every scalar key that appears twice in the same mapping.
class DuplicateKeyFinder : public YAML::EventHandler
{
public:
    struct Duplicate
    {
        std::string key;
        int line; // 0-based, relative to the YAML text
    };
    std::vector<Duplicate> duplicates;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, nullptr); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, nullptr); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& value) override
    {
        node(mark, &value);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override
    {
        node(mark, nullptr);
        m_stack.push_back({false, true, {}});
    }
    void OnSequenceEnd() override { m_stack.pop_back(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override
    {
        node(mark, nullptr);
        m_stack.push_back({true, true, {}});
    }
    void OnMapEnd() override { m_stack.pop_back(); }

private:
    struct Frame
    {
        bool isMap;
        bool expectingKey;
        std::set<std::string> keys;
    };
    std::vector<Frame> m_stack;

    void node(const YAML::Mark& mark, const std::string* scalar)
    {
        if (m_stack.empty() || !m_stack.back().isMap)
            return;
        Frame& frame = m_stack.back();
        if (frame.expectingKey && scalar && !frame.keys.insert(*scalar).second)
            duplicates.push_back({*scalar, mark.line});
        frame.expectingKey = !frame.expectingKey;
    }
};

FrontMatter::Kind kindOf(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        return FrontMatter::Kind::Scalar;
    case YAML::NodeType::Sequence:
        return FrontMatter::Kind::Sequence;
    case YAML::NodeType::Map:
        return FrontMatter::Kind::Map;
    default:
        return FrontMatter::Kind::Null;
    }
}

FrontMatter::Value toValue(const QString& key, const YAML::Node& keyNode, const YAML::Node& node,
                           int lineOffset, bool nested)
{
    FrontMatter::Value value;
    value.key = key;
    value.line = keyNode.Mark().line + lineOffset;
    value.kind = kindOf(node);
    if (value.kind == FrontMatter::Kind::Scalar)
        value.scalar = QString::fromStdString(node.Scalar());
    if (value.kind == FrontMatter::Kind::Map && !nested) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            const QString childKey = it->first.IsScalar() ? QString::fromStdString(it->first.Scalar()) : QString();
            value.entries.push_back(toValue(childKey, it->first, it->second, lineOffset, true));
        }
    }
    return value;
}

} // namespace

FrontMatter::Parsed FrontMatter::parse(const QString& skillMd)
{
    Parsed out;
    FrontMatter& fm = out.frontMatter;
    const QStringList lines = skillMd.split(QLatin1Char('\n'));

    if (skillMd.trimmed().isEmpty()) {
        out.problems.push_back(error(0, QStringLiteral("skill-md-empty"), QStringLiteral("SKILL.md is empty"),
                                     QStringLiteral("start it with front matter: ---, name: …, description: …, ---")));
        return out;
    }
    if (!isDelimiter(lines.front(), false)) {
        out.body = skillMd;
        out.problems.push_back(error(1, QStringLiteral("front-matter-missing"),
                                     QStringLiteral("SKILL.md does not start with YAML front matter"),
                                     QStringLiteral("put a line \"---\" first, then name: and description:, then \"---\"")));
        return out;
    }
    int closing = -1;
    for (int i = 1; i < lines.size(); ++i) {
        if (isDelimiter(lines[i], true)) {
            closing = i;
            break;
        }
    }
    if (closing < 0) {
        out.problems.push_back(error(1, QStringLiteral("front-matter-unclosed"),
                                     QStringLiteral("the front matter opened here is never closed"),
                                     QStringLiteral("end it with a line \"---\" before the body")));
        return out;
    }

    fm.m_present = true;
    fm.m_firstLine = 1;
    fm.m_lastLine = closing + 1;
    fm.m_text = lines.mid(1, closing - 1).join(QLatin1Char('\n'));
    out.body = lines.mid(closing + 1).join(QLatin1Char('\n'));
    out.bodyFirstLine = closing + 2;

    const std::string yaml = fm.m_text.toStdString();
    constexpr int kOffset = 2; // yaml-cpp marks are 0-based and start after the opening "---"
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
        std::istringstream stream(yaml);
        YAML::Parser parser(stream);
        DuplicateKeyFinder finder;
        while (parser.HandleNextDocument(finder)) {
        }
        for (const auto& dup : finder.duplicates) {
            out.problems.push_back(error(dup.line + kOffset, QStringLiteral("front-matter-duplicate-key"),
                                         QStringLiteral("duplicate key \"%1\"").arg(QString::fromStdString(dup.key)),
                                         QStringLiteral("keep one of them; YAML readers disagree on which wins")));
        }
    } catch (const YAML::Exception& e) {
        const int line = e.mark.is_null() ? 1 : e.mark.line + kOffset;
        out.problems.push_back(error(line, QStringLiteral("front-matter-yaml"),
                                     QStringLiteral("invalid YAML: %1").arg(QString::fromStdString(e.msg)),
                                     QStringLiteral("check the indentation, and quote values that hold \": \" or \" #\"")));
        return out;
    }

    if (root.IsNull()) {
        out.problems.push_back(error(1, QStringLiteral("front-matter-not-mapping"),
                                     QStringLiteral("the front matter is empty"),
                                     QStringLiteral("add name: and description:")));
        return out;
    }
    if (!root.IsMap()) {
        out.problems.push_back(error(kOffset, QStringLiteral("front-matter-not-mapping"),
                                     QStringLiteral("the front matter is not a mapping of keys to values"),
                                     QStringLiteral("write it as lines of \"key: value\"")));
        return out;
    }
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = it->first.IsScalar() ? QString::fromStdString(it->first.Scalar()) : QString();
        fm.m_fields.push_back(toValue(key, it->first, it->second, kOffset, false));
    }
    return out;
}

const FrontMatter::Value* FrontMatter::field(const QString& key) const
{
    for (const Value& v : m_fields) {
        if (v.key == key)
            return &v;
    }
    return nullptr;
}

std::optional<QString> FrontMatter::scalar(const QString& key) const
{
    const Value* v = field(key);
    if (!v || v->kind != Kind::Scalar)
        return std::nullopt;
    return v->scalar;
}

int FrontMatter::lineOf(const QString& key) const
{
    const Value* v = field(key);
    return v ? v->line : m_firstLine;
}

} // namespace sg
