#pragma once

#include "common/Result.h"

#include <QMap>
#include <QString>

namespace sg {

// The prompt templates of resources/prompts, compiled in, each overridable by a file of the same
// name in <workspace>/prompts/. Rendering fills {{name}} placeholders and refuses to leave any.
class PromptLibrary
{
public:
    explicit PromptLibrary(QString workspaceDir = {});

    // The template's text: the workspace's override when there is one, else the built-in.
    Result<QString> load(const QString& name) const;
    // Whether `name` comes from the workspace (for run snapshots and reports).
    bool overridden(const QString& name) const;
    Result<QString> render(const QString& name, const QMap<QString, QString>& values) const;
    static Result<QString> fill(const QString& text, const QMap<QString, QString>& values, const QString& origin);

private:
    QString m_workspace;
};

} // namespace sg
