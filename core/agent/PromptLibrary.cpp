#include "PromptLibrary.h"

#include "common/AtomicFile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace sg {

PromptLibrary::PromptLibrary(QString workspaceDir) : m_workspace(std::move(workspaceDir)) {}

bool PromptLibrary::overridden(const QString& name) const
{
    return !m_workspace.isEmpty() && QFileInfo(QDir(m_workspace).filePath(QStringLiteral("prompts/") + name)).isFile();
}

Result<QString> PromptLibrary::load(const QString& name) const
{
    const QString path = overridden(name) ? QDir(m_workspace).filePath(QStringLiteral("prompts/") + name)
                                          : QStringLiteral(":/skillgrad/prompts/") + name;
    auto bytes = AtomicFile::read(path, 1024 * 1024);
    if (!bytes)
        return Error{QStringLiteral("the prompt template %1 is missing").arg(name), QStringLiteral("rebuild SkillGrad, or restore the file"), path,
                     QStringLiteral("not-found")};
    return QString::fromUtf8(bytes.value());
}

Result<QString> PromptLibrary::fill(const QString& text, const QMap<QString, QString>& values, const QString& origin)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([a-z_]+)\\s*\\}\\}"));
    QString out;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString key = m.captured(1);
        if (!values.contains(key))
            return Error{QStringLiteral("the template uses {{%1}}, which this prompt does not provide").arg(key),
                         QStringLiteral("known here: %1").arg(values.keys().join(QStringLiteral(", "))), origin, QStringLiteral("invalid")};
        out += text.mid(last, m.capturedStart() - last) + values.value(key);
        last = m.capturedEnd();
    }
    out += text.mid(last);
    return out.trimmed() + QLatin1Char('\n');
}

Result<QString> PromptLibrary::render(const QString& name, const QMap<QString, QString>& values) const
{
    auto text = load(name);
    if (!text)
        return text.error();
    return fill(text.value(), values, overridden(name) ? QStringLiteral("prompts/") + name : name);
}

} // namespace sg
