#pragma once

#include "agent/ToolBox.h"
#include "llm/LlmRequest.h"

#include <QString>

#include <vector>

namespace sg {

// The patcher's tools (DESIGN.md 4.6), confined to iter-NNNN/scratch/ (a copy of the skill):
// list_files, read_file, replace_in_file, create_file, delete_file, finish. It cannot run code or
// reach the network. Results are plain text the model can read, errors included.
class PatchTools
{
public:
    static constexpr qint64 kMaxFileBytes = 256 * 1024;

    explicit PatchTools(QString scratchDir, bool allowScripts = false);

    static std::vector<ToolDefinition> definitions();
    // Runs one call at once (all these tools are quick). `finish` sets finished() and summary().
    ToolOutput run(const ToolCall& call);

    bool finished() const { return m_finished; }
    const QString& summary() const { return m_summary; }
    void reopen() { m_finished = false; } // for the repair round
    int edits() const { return m_edits; }

private:
    Result<QString> resolve(const QString& path, bool forWriting) const;

    QString m_scratch;
    bool m_allowScripts;
    bool m_finished = false;
    QString m_summary;
    int m_edits = 0;
};

} // namespace sg
