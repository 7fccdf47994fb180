#include "SkillWriter.h"

#include "common/AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryDir>

#include <zip.h>

#include <sys/stat.h>

namespace sg {

namespace {

Error ioError(const QString& where, const QString& message)
{
    return Error{message, QStringLiteral("check permissions and free space"), where, QStringLiteral("io")};
}

} // namespace

Result<void> SkillWriter::writeFolder(const std::vector<SkillFile>& files, const QString& dirArg)
{
    const QString dir = QDir::cleanPath(QDir(dirArg).absolutePath());
    const QFileInfo info(dir);
    if (info.exists() && (!info.isDir() || !QDir(dir).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)))
        return Error{QStringLiteral("exists and is not an empty folder"), QStringLiteral("choose another destination or remove it"), dir,
                     QStringLiteral("exists")};
    const QString parent = info.absolutePath();
    if (!QDir().mkpath(parent))
        return ioError(parent, QStringLiteral("cannot create the folder"));
    QTemporaryDir staging(parent + QStringLiteral("/.") + info.fileName() + QStringLiteral(".export-XXXXXX"));
    if (!staging.isValid())
        return ioError(parent, QStringLiteral("cannot create a staging folder: %1").arg(staging.errorString()));
    for (const SkillFile& f : files) {
        if (auto r = SkillSource::normalizeEntry(f.path); !r || r.value() != f.path)
            return Error{QStringLiteral("refused: an unsafe path"), QStringLiteral("package paths are relative and stay inside"), f.path, QStringLiteral("refused")};
        if (auto written = AtomicFile::write(staging.path() + QLatin1Char('/') + f.path, f.data, f.executable); !written)
            return written.error();
    }
    if (info.exists() && !QDir().rmdir(dir))
        return ioError(dir, QStringLiteral("cannot replace the empty folder"));
    if (!QDir().rename(staging.path(), dir))
        return ioError(dir, QStringLiteral("cannot move the exported folder into place"));
    staging.setAutoRemove(false);
    return {};
}

Result<void> SkillWriter::writeZip(const std::vector<SkillFile>& files, const QString& rootName, const QString& zipPath)
{
    if (QFileInfo::exists(zipPath))
        return Error{QStringLiteral("exists already"), QStringLiteral("choose another file name or remove it"), zipPath, QStringLiteral("exists")};
    // libzip writes to a temporary file next to the target and renames it on close.
    int code = 0;
    zip_t* archive = zip_open(QFile::encodeName(zipPath).constData(), ZIP_CREATE | ZIP_EXCL, &code);
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const QString why = QString::fromUtf8(zip_error_strerror(&error));
        zip_error_fini(&error);
        return ioError(zipPath, QStringLiteral("cannot create the archive: %1").arg(why));
    }
    const auto fail = [&](const QString& message) {
        zip_discard(archive);
        return ioError(zipPath, message);
    };
    if (zip_dir_add(archive, (rootName + QLatin1Char('/')).toUtf8().constData(), ZIP_FL_ENC_UTF_8) < 0)
        return fail(QString::fromUtf8(zip_strerror(archive)));
    for (const SkillFile& f : files) {
        // The buffers stay alive in `files` until zip_close, so libzip may reference them.
        zip_source_t* source = zip_source_buffer(archive, f.data.constData(), zip_uint64_t(f.data.size()), 0);
        const QByteArray name = (rootName + QLatin1Char('/') + f.path).toUtf8();
        const zip_int64_t index = zip_file_add(archive, name.constData(), source, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(source);
            return fail(QString::fromUtf8(zip_strerror(archive)));
        }
        const zip_uint32_t mode = S_IFREG | (f.executable ? 0755 : 0644);
        zip_file_set_external_attributes(archive, zip_uint64_t(index), 0, ZIP_OPSYS_UNIX, mode << 16);
    }
    if (zip_close(archive) != 0)
        return fail(QString::fromUtf8(zip_strerror(archive)));
    return {};
}

} // namespace sg
