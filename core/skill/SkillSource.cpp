#include "SkillSource.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <zip.h>

#include <algorithm>
#include <map>
#include <memory>
#include <sys/stat.h>

namespace sg {

namespace {

constexpr int kMaxSymlinkHops = 8;

QString mib(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'g', 3) + QStringLiteral(" MiB");
}

Error refusal(const QString& entry, const QString& message, const QString& hint)
{
    return Error{QStringLiteral("refused: ") + message, hint, entry, QStringLiteral("refused")};
}

Error tooLarge(const QString& entry, qint64 cap)
{
    return refusal(entry, QStringLiteral("the file is larger than the %1 cap").arg(mib(cap)),
                   QStringLiteral("skills carry text; keep large data out of the package"));
}

bool isInside(const QString& root, const QString& path)
{
    return path == root || path.startsWith(root.endsWith(QLatin1Char('/')) ? root : root + QLatin1Char('/'));
}

void sortFiles(std::vector<SkillFile>& files)
{
    std::sort(files.begin(), files.end(),
              [](const SkillFile& a, const SkillFile& b) { return a.path < b.path; });
}

// Tracks the count and total size caps across a whole package.
class Budget
{
public:
    explicit Budget(const SkillSourceLimits& limits) : m_limits(limits) {}

    Result<void> addFile(const QString& entry)
    {
        if (++m_files > m_limits.maxFiles)
            return refusal(entry, QStringLiteral("the package has more than %1 files").arg(m_limits.maxFiles),
                           QStringLiteral("a skill is a handful of text files; remove generated data"));
        return {};
    }
    Result<void> addBytes(const QString& entry, qint64 bytes)
    {
        m_total += bytes;
        if (m_total > m_limits.maxTotalBytes)
            return refusal(entry, QStringLiteral("the package is larger than the %1 cap").arg(mib(m_limits.maxTotalBytes)),
                           QStringLiteral("keep large data out of the package"));
        return {};
    }

private:
    const SkillSourceLimits& m_limits;
    int m_files = 0;
    qint64 m_total = 0;
};

// ---- archives -------------------------------------------------------------------------------

struct ZipCloser
{
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser
{
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

struct ArchiveEntry
{
    QString path;
    QByteArray data;
    bool isLink = false; // data holds the link target
    bool executable = false;
};

// Reads one entry, counting inflated bytes as they come: the header's declared size is not trusted.
Result<QByteArray> inflateEntry(zip_t* archive, zip_uint64_t index, const QString& name,
                                const SkillSourceLimits& limits)
{
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(archive, index, 0));
    if (!file)
        return refusal(name, QStringLiteral("cannot open the entry: %1")
                                 .arg(QString::fromUtf8(zip_strerror(archive))),
                       QStringLiteral("the archive may be damaged or encrypted"));
    QByteArray data;
    char buffer[64 * 1024];
    for (;;) {
        const zip_int64_t n = zip_fread(file.get(), buffer, sizeof buffer);
        if (n < 0)
            return refusal(name, QStringLiteral("cannot inflate the entry: %1")
                                     .arg(QString::fromUtf8(zip_file_strerror(file.get()))),
                           QStringLiteral("the archive may be damaged"));
        if (n == 0)
            break;
        if (data.size() + n > limits.maxFileBytes)
            return tooLarge(name, limits.maxFileBytes);
        data.append(buffer, qsizetype(n));
    }
    return data;
}

// The path a relative link target names, from the link's own folder; error when it leaves.
Result<QString> resolveLink(const QString& linkPath, const QString& target)
{
    const QString hint = QStringLiteral("replace the link with the file itself");
    if (target.startsWith(QLatin1Char('/')) || target.startsWith(QLatin1Char('\\')))
        return Error{QStringLiteral("symlink to an absolute path (%1) leaves the package").arg(target), hint, linkPath};
    const QString dir = QFileInfo(linkPath).path();
    QString joined = (dir == QLatin1String(".") ? QString() : dir + QLatin1Char('/')) + target;
    const QString clean = QDir::cleanPath(joined);
    if (clean == QLatin1String("..") || clean.startsWith(QLatin1String("../")) || clean.isEmpty()
        || clean == QLatin1String("."))
        return Error{QStringLiteral("symlink to %1 leaves the package").arg(target), hint, linkPath};
    return clean;
}

// Strips one top folder when the package sits inside it (name/SKILL.md), as most archives do.
QString stripTopFolder(std::vector<ArchiveEntry>& entries)
{
    const auto atRoot = std::any_of(entries.begin(), entries.end(),
                                    [](const ArchiveEntry& e) { return e.path == QLatin1String("SKILL.md"); });
    if (atRoot || entries.empty())
        return {};
    const QString first = entries.front().path.section(QLatin1Char('/'), 0, 0);
    for (const ArchiveEntry& e : entries) {
        if (!e.path.startsWith(first + QLatin1Char('/')))
            return {};
    }
    for (ArchiveEntry& e : entries)
        e.path = e.path.mid(first.size() + 1);
    return first;
}

} // namespace

const SkillFile* SkillFiles::find(const QString& path) const
{
    auto it = std::lower_bound(files.begin(), files.end(), path,
                               [](const SkillFile& f, const QString& p) { return f.path < p; });
    return it != files.end() && it->path == path ? &*it : nullptr;
}

bool SkillSource::isIgnored(const QString& relativePath)
{
    const QString first = relativePath.section(QLatin1Char('/'), 0, 0);
    return first == QLatin1String(".git") || first == QLatin1String("__MACOSX")
        || relativePath.section(QLatin1Char('/'), -1) == QLatin1String(".DS_Store");
}

Result<QString> SkillSource::normalizeEntry(const QString& rawName)
{
    QString name = rawName;
    name.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (name.isEmpty())
        return refusal(QStringLiteral("(unnamed entry)"), QStringLiteral("an entry has no name"),
                       QStringLiteral("the archive is damaged"));
    if (name.startsWith(QLatin1Char('/')) || (name.size() >= 2 && name[1] == QLatin1Char(':')))
        return refusal(rawName, QStringLiteral("absolute path"),
                       QStringLiteral("package entries must be relative to the package folder"));
    if (name.contains(QChar(0)))
        return refusal(rawName, QStringLiteral("the name holds a NUL byte"), QStringLiteral("the archive is damaged"));
    QStringList parts;
    for (const QString& part : name.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (part == QLatin1String("."))
            continue;
        if (part == QLatin1String(".."))
            return refusal(rawName, QStringLiteral("the path climbs out of the package with \"..\""),
                           QStringLiteral("package entries must stay inside the package folder"));
        parts << part;
    }
    if (parts.isEmpty())
        return refusal(rawName, QStringLiteral("an entry has no name"), QStringLiteral("the archive is damaged"));
    return parts.join(QLatin1Char('/'));
}

bool SkillSource::looksLikeArchive(const QString& path)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return false;
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("zip") || suffix == QLatin1String("skill"))
        return true;
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(4) == QByteArray("PK\x03\x04", 4);
}

Result<SkillFiles> SkillSource::read(const QString& path, const SkillSourceLimits& limits)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("no such file or folder"), QStringLiteral("give a skill folder or a .zip/.skill archive"), path,
                     QStringLiteral("not-found")};
    if (info.isDir())
        return readFolder(path, limits);
    if (info.fileName() == QLatin1String("SKILL.md"))
        return readFolder(info.absolutePath(), limits);
    if (looksLikeArchive(path))
        return readArchive(path, limits);
    return Error{QStringLiteral("not a skill folder or archive"),
                 QStringLiteral("give the folder that holds SKILL.md, or a .zip/.skill archive"), path};
}

Result<SkillFiles> SkillSource::readFolder(const QString& path, const SkillSourceLimits& limits)
{
    const QFileInfo rootInfo(path);
    if (!rootInfo.isDir())
        return Error{QStringLiteral("not a folder"), {}, path};
    const QString root = rootInfo.canonicalFilePath();
    SkillFiles out;
    out.origin = QDir::cleanPath(rootInfo.absoluteFilePath());
    out.rootName = QFileInfo(root).fileName();
    Budget budget(limits);

    // A hand-written walk rather than QDirIterator, so ignored folders (.git) are never entered.
    QStringList pending{root};
    while (!pending.isEmpty()) {
        const QDir dir(pending.takeFirst());
        const QFileInfoList entries = dir.entryInfoList(
            QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo& info : entries) {
            const QString rel = QDir(root).relativeFilePath(info.absoluteFilePath());
            if (isIgnored(rel))
                continue;
            if (info.isSymLink()) {
                const QString target = info.canonicalFilePath();
                if (target.isEmpty())
                    return refusal(rel, QStringLiteral("dangling symlink to %1").arg(info.symLinkTarget()),
                                   QStringLiteral("remove the link or replace it with the file"));
                if (!isInside(root, target))
                    return refusal(rel, QStringLiteral("symlink to %1 leaves the package").arg(info.symLinkTarget()),
                                   QStringLiteral("replace the link with the file itself"));
                if (QFileInfo(target).isDir())
                    return refusal(rel, QStringLiteral("symlink to a folder"),
                                   QStringLiteral("replace the link with a copy of the folder"));
                // A link to a file inside the package is read as a copy of that file.
            } else if (info.isDir()) {
                pending << info.absoluteFilePath();
                continue;
            } else if (!info.isFile()) {
                return refusal(rel, QStringLiteral("not a regular file (a device, socket or pipe)"),
                               QStringLiteral("remove it from the package"));
            }
            if (auto r = budget.addFile(rel); !r)
                return r.error();
            QFile file(info.absoluteFilePath());
            if (!file.open(QIODevice::ReadOnly))
                return Error{QStringLiteral("cannot read: %1").arg(file.errorString()), {}, rel};
            QByteArray data = file.read(limits.maxFileBytes + 1);
            if (data.size() > limits.maxFileBytes)
                return tooLarge(rel, limits.maxFileBytes);
            if (auto r = budget.addBytes(rel, data.size()); !r)
                return r.error();
            out.files.push_back({rel, std::move(data), info.isExecutable()});
        }
    }
    sortFiles(out.files);
    return out;
}

Result<SkillFiles> SkillSource::readArchive(const QString& path, const SkillSourceLimits& limits)
{
    int code = 0;
    std::unique_ptr<zip_t, ZipCloser> archive(
        zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const QString why = QString::fromUtf8(zip_error_strerror(&error));
        zip_error_fini(&error);
        return Error{QStringLiteral("cannot open the archive: %1").arg(why),
                     QStringLiteral("give a valid .zip or .skill file"), path};
    }

    Budget budget(limits);
    std::vector<ArchiveEntry> entries;
    std::map<QString, std::size_t> seen;
    const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* rawName = zip_get_name(archive.get(), zip_uint64_t(i), ZIP_FL_ENC_GUESS);
        const QString raw = rawName ? QString::fromUtf8(rawName) : QString();
        auto name = normalizeEntry(raw);
        if (!name)
            return name.error();
        if (isIgnored(name.value()))
            continue;
        const bool isDir = raw.endsWith(QLatin1Char('/')) || raw.endsWith(QLatin1Char('\\'));

        zip_uint8_t opsys = 0;
        zip_uint32_t attributes = 0;
        zip_file_get_external_attributes(archive.get(), zip_uint64_t(i), 0, &opsys, &attributes);
        const mode_t mode = opsys == ZIP_OPSYS_UNIX ? mode_t(attributes >> 16) : 0;
        const bool isLink = S_ISLNK(mode);
        if (mode != 0 && !isLink && !S_ISREG(mode) && !S_ISDIR(mode))
            return refusal(raw, QStringLiteral("not a regular file (a device, socket or pipe)"),
                           QStringLiteral("remove it from the archive"));
        if (isDir || S_ISDIR(mode))
            continue;

        if (seen.count(name.value()))
            return refusal(raw, QStringLiteral("the archive holds %1 twice").arg(name.value()),
                           QStringLiteral("rebuild the archive"));
        if (auto r = budget.addFile(raw); !r)
            return r.error();
        auto data = inflateEntry(archive.get(), zip_uint64_t(i), raw, limits);
        if (!data)
            return data.error();
        if (auto r = budget.addBytes(raw, data->size()); !r)
            return r.error();
        seen[name.value()] = entries.size();
        entries.push_back({name.value(), std::move(data.value()), isLink, (mode & 0111) != 0});
    }

    SkillFiles out;
    out.origin = QFileInfo(path).absoluteFilePath();
    out.rootName = stripTopFolder(entries);
    seen.clear();
    for (std::size_t i = 0; i < entries.size(); ++i)
        seen[entries[i].path] = i;

    // Links inside the archive become copies of their targets; links that leave are refused.
    for (ArchiveEntry& entry : entries) {
        const ArchiveEntry* current = &entry;
        int hops = 0;
        while (current->isLink) {
            if (++hops > kMaxSymlinkHops)
                return refusal(entry.path, QStringLiteral("symlink loop"), QStringLiteral("replace the link with the file"));
            auto target = resolveLink(current->path, QString::fromUtf8(current->data));
            if (!target)
                return refusal(entry.path, target.error().message, target.error().hint);
            auto found = seen.find(target.value());
            if (found == seen.end())
                return refusal(entry.path, QStringLiteral("symlink to %1, which is not in the archive")
                                               .arg(QString::fromUtf8(current->data)),
                               QStringLiteral("replace the link with the file itself"));
            current = &entries[found->second];
        }
        out.files.push_back({entry.path, current->data, current->executable});
    }
    sortFiles(out.files);
    return out;
}

} // namespace sg
