#include "PatchTools.h"

#include "common/AtomicFile.h"
#include "common/TextCodec.h"
#include "skill/SkillSource.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace sg {

namespace {

nlohmann::json stringProperty(const char* description)
{
    return {{"type", "string"}, {"description", description}};
}

nlohmann::json object(nlohmann::json properties, std::vector<std::string> required)
{
    return {{"type", "object"}, {"properties", std::move(properties)}, {"required", required}, {"additionalProperties", false}};
}

std::optional<QString> arg(const nlohmann::json& args, const char* key)
{
    if (!args.is_object() || !args.contains(key) || !args.at(key).is_string())
        return std::nullopt;
    return QString::fromStdString(args.at(key).get<std::string>());
}

ToolOutput fail(const QString& message)
{
    return {QStringLiteral("Error: ") + message, false, false, {}};
}

ToolOutput ok(const QString& text)
{
    return {text, true, false, {}};
}

} // namespace

PatchTools::PatchTools(QString scratchDir, bool allowScripts) : m_scratch(std::move(scratchDir)), m_allowScripts(allowScripts) {}

std::vector<ToolDefinition> PatchTools::definitions()
{
    return {
        {QStringLiteral("list_files"), QStringLiteral("Lists the skill's files with their sizes."), object(nlohmann::json::object(), {})},
        {QStringLiteral("read_file"), QStringLiteral("Returns a file of the skill, e.g. SKILL.md or references/x.md."),
         object({{"path", stringProperty("The file's path in the skill")}}, {"path"})},
        {QStringLiteral("replace_in_file"),
         QStringLiteral("Replaces one exact occurrence of old_text with new_text in a file. old_text must appear exactly once."),
         object({{"path", stringProperty("The file's path")}, {"old_text", stringProperty("Text to replace, copied exactly")},
                 {"new_text", stringProperty("The replacement")}},
                {"path", "old_text", "new_text"})},
        {QStringLiteral("create_file"), QStringLiteral("Creates a new file (or replaces a whole file) with the given content."),
         object({{"path", stringProperty("The file's path, e.g. references/counting.md")}, {"content", stringProperty("The whole content")}},
                {"path", "content"})},
        {QStringLiteral("delete_file"), QStringLiteral("Deletes a file of the skill (never SKILL.md)."),
         object({{"path", stringProperty("The file's path")}}, {"path"})},
        {QStringLiteral("finish"), QStringLiteral("Ends the patch. The summary ends with a fenced json block {\"rationale\", \"patterns_addressed\"}."),
         object({{"summary", stringProperty("What you changed and why, ending with the json block")}}, {"summary"})},
    };
}

Result<QString> PatchTools::resolve(const QString& path, bool forWriting) const
{
    auto normalized = SkillSource::normalizeEntry(path);
    if (!normalized || normalized->startsWith(QLatin1String(".git")))
        return Error{QStringLiteral("%1 is not a path inside the skill").arg(path), {}, {}, QStringLiteral("refused")};
    if (forWriting && !m_allowScripts && normalized->startsWith(QLatin1String("scripts/")))
        return Error{QStringLiteral("scripts/ may not be changed in this run"), {}, {}, QStringLiteral("refused")};
    const QString full = QDir(m_scratch).filePath(normalized.value());
    const QString root = QFileInfo(m_scratch).canonicalFilePath();
    const QFileInfo info(full);
    const QString resolved = info.exists() ? info.canonicalFilePath() : QFileInfo(info.absolutePath()).canonicalFilePath();
    if (!resolved.isEmpty() && resolved != root && !resolved.startsWith(root + QLatin1Char('/')))
        return Error{QStringLiteral("%1 leads outside the skill").arg(path), {}, {}, QStringLiteral("refused")};
    return full;
}

ToolOutput PatchTools::run(const ToolCall& call)
{
    if (!call.argumentsValid)
        return fail(QStringLiteral("the arguments are not valid JSON (%1); call %2 again with a JSON object").arg(call.rawArguments.left(200), call.name));
    const nlohmann::json& a = call.arguments;
    const QString name = call.name;

    if (name == QLatin1String("list_files")) {
        QStringList lines;
        QDirIterator it(m_scratch, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            const QString rel = QDir(m_scratch).relativeFilePath(file);
            if (!rel.startsWith(QLatin1String(".git")))
                lines << QStringLiteral("%1 (%2 bytes)").arg(rel).arg(QFileInfo(file).size());
        }
        lines.sort();
        return ok(lines.join(QLatin1Char('\n')));
    }
    if (name == QLatin1String("finish")) {
        const auto summary = arg(a, "summary");
        m_finished = true;
        m_summary = summary.value_or(QString());
        return ok(QStringLiteral("Finished."));
    }

    const auto path = arg(a, "path");
    if (!path)
        return fail(QStringLiteral("%1 needs a \"path\" string").arg(name));
    const bool writes = name != QLatin1String("read_file");
    auto full = resolve(*path, writes);
    if (!full)
        return fail(full.error().message);

    if (name == QLatin1String("read_file")) {
        auto bytes = AtomicFile::read(full.value(), kMaxFileBytes);
        if (!bytes)
            return fail(QStringLiteral("there is no file %1").arg(*path));
        const auto text = TextCodec::decodeUtf8(bytes.value());
        return text ? ok(*text) : fail(QStringLiteral("%1 is not a text file").arg(*path));
    }
    if (name == QLatin1String("delete_file")) {
        if (QDir::cleanPath(*path) == QLatin1String("SKILL.md"))
            return fail(QStringLiteral("SKILL.md cannot be deleted"));
        if (!QFile::remove(full.value()))
            return fail(QStringLiteral("there is no file %1").arg(*path));
        ++m_edits;
        return ok(QStringLiteral("Deleted %1.").arg(*path));
    }
    if (name == QLatin1String("create_file")) {
        const auto content = arg(a, "content");
        if (!content)
            return fail(QStringLiteral("create_file needs a \"content\" string"));
        const QByteArray bytes = content->toUtf8();
        if (bytes.size() > kMaxFileBytes)
            return fail(QStringLiteral("the content is larger than %1 bytes").arg(kMaxFileBytes));
        if (auto written = AtomicFile::write(full.value(), bytes); !written)
            return fail(QStringLiteral("cannot write %1").arg(*path));
        ++m_edits;
        return ok(QStringLiteral("Wrote %1 (%2 lines).").arg(*path).arg(content->count(QLatin1Char('\n')) + 1));
    }
    if (name == QLatin1String("replace_in_file")) {
        const auto oldText = arg(a, "old_text");
        const auto newText = arg(a, "new_text");
        if (!oldText || !newText || oldText->isEmpty())
            return fail(QStringLiteral("replace_in_file needs non-empty \"old_text\" and a \"new_text\" string"));
        auto bytes = AtomicFile::read(full.value(), kMaxFileBytes);
        if (!bytes)
            return fail(QStringLiteral("there is no file %1").arg(*path));
        QString text = QString::fromUtf8(bytes.value());
        const qsizetype count = text.count(*oldText);
        if (count != 1)
            return fail(count == 0 ? QStringLiteral("old_text does not appear in %1; read the file and copy the text exactly").arg(*path)
                                   : QStringLiteral("old_text appears %1 times in %2; include more context so it is unique").arg(count).arg(*path));
        text.replace(*oldText, *newText);
        if (auto written = AtomicFile::write(full.value(), text.toUtf8()); !written)
            return fail(QStringLiteral("cannot write %1").arg(*path));
        ++m_edits;
        return ok(QStringLiteral("Replaced 1 occurrence in %1.").arg(*path));
    }
    return fail(QStringLiteral("there is no tool called \"%1\"; the tools are list_files, read_file, replace_in_file, create_file, delete_file and finish")
                    .arg(name));
}

} // namespace sg
