#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace sg {

// Whole-file writes that are atomic: a temporary file, flushed and synced, renamed over the
// target (QSaveFile). A crash leaves the old content or the new, never half of either.
class AtomicFile
{
public:
    // Creates missing parent folders. `executable` sets the owner/group/other x bits.
    static Result<void> write(const QString& path, const QByteArray& data, bool executable = false);
    static Result<QByteArray> read(const QString& path, qint64 maxBytes = 256 * 1024 * 1024);
};

} // namespace sg
