#pragma once

#include "EventLog.h"
#include "common/Result.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <memory>
#include <optional>

namespace sg {

class UsageLedger;

// One run's folder under runs/ (DESIGN.md 3): run.json (what was asked, status), events.jsonl,
// and the run's artifacts, every one written atomically.
class RunStore
{
public:
    // Makes runs/<kind>-<yyyymmdd-hhmmss>[-n]/ with run.json {"id", "kind", "created", "status":
    // "running", "config": config}.
    static Result<RunStore> create(const QString& runsDir, const QString& kind, const nlohmann::json& config);
    static Result<RunStore> open(const QString& runDir);
    // run.json alone, for listing runs: nothing is opened for writing (a live run's log stays
    // untouched).
    static Result<nlohmann::json> readInfo(const QString& runDir);

    const QString& id() const { return m_id; }
    const QString& dir() const { return m_dir; }
    QString path(const QString& relative) const;
    EventLog& events() { return *m_events; }
    const nlohmann::json& info() const { return m_info; }

    Result<void> writeJson(const QString& relative, const nlohmann::json& json);
    // Updates run.json's status ("running", "completed", "failed", "cancelled", …) and merges
    // `fields` into it.
    Result<void> setStatus(const QString& status, const nlohmann::json& fields = nlohmann::json::object());

    // calls.jsonl: every booking of the run's usage ledger, one line each, so that a resumed run
    // knows what the calls before a kill cost. Books what the journal already holds into
    // `ledger`, then appends each new booking. `ledger` must outlive this store's use of it.
    Result<void> journalUsage(UsageLedger& ledger);

    // "nt-3" → "nt-3"; anything unsafe for a file name is replaced.
    static QString fileNameFor(const QString& id);

private:
    RunStore() = default;
    QString m_id;
    QString m_dir;
    nlohmann::json m_info;
    std::optional<EventLog> m_events;
    std::shared_ptr<EventLog> m_calls; // shared with the ledger's observer
};

} // namespace sg
