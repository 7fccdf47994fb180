#pragma once

#include "common/Result.h"
#include "skill/SkillSource.h"

#include <QString>

#include <vector>

namespace sg {

// Writes a package out as a folder or a .zip/.skill archive whose root folder is named after the
// skill, as `export` does. Both are built aside and moved into place: a failure leaves nothing.
class SkillWriter
{
public:
    // Writes `files` into `dir`, which must not exist or be empty.
    static Result<void> writeFolder(const std::vector<SkillFile>& files, const QString& dir);
    // Writes an archive with entries "<rootName>/<path>"; refuses to replace an existing file.
    static Result<void> writeZip(const std::vector<SkillFile>& files, const QString& rootName, const QString& zipPath);
};

} // namespace sg
