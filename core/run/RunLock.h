#pragma once

#include "common/Result.h"

#include <QString>

#include <memory>

class QLockFile;

namespace sg {

// runs/.lock: held by the one optimizer running in a workspace (DESIGN.md 3). A lock whose owner
// process is gone is stale and taken over; a live owner makes a second optimizer refuse with a
// message naming it.
class RunLock
{
public:
    static Result<RunLock> acquire(const QString& runsDir, const QString& runId);
    RunLock(RunLock&&) noexcept;
    RunLock& operator=(RunLock&&) noexcept;
    ~RunLock();
    // Who holds the lock now, for the Studio ("pid 123 on host"); empty when nobody does.
    static QString holder(const QString& runsDir);

private:
    RunLock() = default;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace sg
