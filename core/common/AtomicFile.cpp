#include "AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

namespace sg {

Result<void> AtomicFile::write(const QString& path, const QByteArray& data, bool executable)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        return Error{QStringLiteral("cannot create the folder"), QStringLiteral("check permissions and free space"), dir, QStringLiteral("io")};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write: %1").arg(file.errorString()), QStringLiteral("check permissions and free space"), path,
                     QStringLiteral("io")};
    if (file.write(data) != data.size()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return Error{QStringLiteral("cannot write: %1").arg(why), QStringLiteral("check free space"), path, QStringLiteral("io")};
    }
    if (executable) {
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeUser | QFileDevice::ExeGroup
                            | QFileDevice::ExeOther);
    }
    if (!file.commit())
        return Error{QStringLiteral("cannot save: %1").arg(file.errorString()), QStringLiteral("check permissions and free space"), path,
                     QStringLiteral("io")};
    return {};
}

Result<QByteArray> AtomicFile::read(const QString& path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read: %1").arg(file.errorString()), {}, path,
                     file.exists() ? QStringLiteral("io") : QStringLiteral("not-found")};
    // Not file.read(maxBytes + 1): QIODevice::read(n) allocates n bytes up front, and mapping and
    // unmapping 256 MB cost ~0.35 ms of CPU for every read of even a tiny file (bench_eval reads a
    // table per task). Reserve what the file says it holds (0 for /proc files) and read in chunks.
    if (file.size() > maxBytes)
        return Error{QStringLiteral("the file is larger than %1 bytes").arg(maxBytes), {}, path, QStringLiteral("io")};
    QByteArray data;
    data.reserve(qsizetype(std::max<qint64>(file.size(), 0) + 1));
    char chunk[64 * 1024];
    while (data.size() <= maxBytes) {
        const qint64 n = file.read(chunk, std::min<qint64>(sizeof chunk, maxBytes + 1 - data.size()));
        if (n < 0)
            return Error{QStringLiteral("cannot read: %1").arg(file.errorString()), {}, path, QStringLiteral("io")};
        if (n == 0)
            break;
        data.append(chunk, qsizetype(n));
    }
    if (data.size() > maxBytes)
        return Error{QStringLiteral("the file is larger than %1 bytes").arg(maxBytes), {}, path, QStringLiteral("io")};
    return data;
}

} // namespace sg
