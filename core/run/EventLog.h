#pragma once

#include "common/Result.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <vector>

namespace sg {

// events.jsonl (DESIGN.md 3): one JSON object a line, {"seq", "time", "type", …}, appended with
// O_APPEND and fsynced a line at a time so the Studio can follow a run live and a crash loses at
// most the line being written. Readers skip a torn last line.
class EventLog
{
public:
    static Result<EventLog> open(const QString& file);
    EventLog(EventLog&&) noexcept;
    EventLog& operator=(EventLog&&) noexcept;
    ~EventLog();

    // Appends {"seq": n, "time": ISO8601 UTC, "type": type, …fields}.
    Result<void> append(const QString& type, const nlohmann::json& fields = nlohmann::json::object());
    qint64 nextSeq() const { return m_seq; }
    // fdatasync after each line (the default). Without it a line still survives a killed process
    // (it is in the page cache), only not a crash of the machine; for logs written very often.
    void setSyncEachLine(bool sync) { m_syncEachLine = sync; }
    const QString& file() const { return m_file; }

    // Every complete event in a file; a torn or damaged line is skipped (and counted).
    static std::vector<nlohmann::json> read(const QString& file, int* skipped = nullptr);

private:
    EventLog() = default;
    QString m_file;
    int m_fd = -1;
    qint64 m_seq = 0;
    bool m_syncEachLine = true;
};

} // namespace sg
