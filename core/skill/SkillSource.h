#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace sg {

// One file of a package, read into memory. `path` is relative, with '/' separators.
struct SkillFile
{
    QString path;
    QByteArray data;
    bool executable = false; // kept through git and export (scripts/)
};

// A package's files as read from a folder or an archive, before anything is parsed.
struct SkillFiles
{
    QString origin;   // the folder or archive it was read from
    QString rootName; // the package folder's name (the folder itself, or an archive's top folder)
    std::vector<SkillFile> files; // sorted by path

    const SkillFile* find(const QString& path) const;
};

struct SkillSourceLimits
{
    qint64 maxFileBytes = 8 * 1024 * 1024;
    qint64 maxTotalBytes = 64 * 1024 * 1024;
    int maxFiles = 2000;
};

// Safe reading of a skill package from a folder or a .zip/.skill archive. Everything is read into
// memory and checked before anyone writes a byte: absolute paths, "..", symlinks that leave the
// package, special files and oversized entries are refused with an error naming the entry.
// Symlinks that stay inside the package are read as copies of their targets.
class SkillSource
{
public:
    static Result<SkillFiles> read(const QString& path, const SkillSourceLimits& limits = {});
    static Result<SkillFiles> readFolder(const QString& path, const SkillSourceLimits& limits = {});
    static Result<SkillFiles> readArchive(const QString& path, const SkillSourceLimits& limits = {});

    static bool looksLikeArchive(const QString& path);

    // An entry name made relative and '/'-separated ("a\\b" -> "a/b", "./a" -> "a"), or an error
    // when it is absolute, empty, or climbs out with "..".
    static Result<QString> normalizeEntry(const QString& name);

    // Folder and archive noise that is never package content.
    static bool isIgnored(const QString& relativePath);
};

} // namespace sg
