#include "RunStore.h"

#include "common/AtomicFile.h"
#include "llm/UsageLedger.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace sg {

namespace {

const QString kInfo = QStringLiteral("run.json");

} // namespace

QString RunStore::fileNameFor(const QString& id)
{
    QString name = id;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return name.isEmpty() || name.startsWith(QLatin1Char('.')) ? QStringLiteral("_") + name : name;
}

QString RunStore::path(const QString& relative) const
{
    return QDir(m_dir).filePath(relative);
}

Result<RunStore> RunStore::create(const QString& runsDir, const QString& kind, const nlohmann::json& config)
{
    if (!QDir().mkpath(runsDir))
        return Error{QStringLiteral("cannot create the runs folder"), QStringLiteral("check permissions"), runsDir, QStringLiteral("io")};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString base = QStringLiteral("%1-%2").arg(kind, now.toString(QStringLiteral("yyyyMMdd-HHmmss")));
    QString id = base;
    // mkdir is the atomic claim: two runs started in the same second get different folders.
    for (int n = 2; !QDir(runsDir).mkdir(id); ++n) {
        if (n > 1000)
            return Error{QStringLiteral("cannot create a run folder"), QStringLiteral("check permissions"), runsDir, QStringLiteral("io")};
        id = QStringLiteral("%1-%2").arg(base).arg(n);
    }
    RunStore store;
    store.m_id = id;
    store.m_dir = QDir(runsDir).filePath(id);
    store.m_info = {{"id", id.toStdString()},
                    {"kind", kind.toStdString()},
                    {"created", now.toString(Qt::ISODate).toStdString()},
                    {"status", "running"},
                    {"config", config}};
    if (auto written = store.writeJson(kInfo, store.m_info); !written)
        return written.error();
    auto events = EventLog::open(store.path(QStringLiteral("events.jsonl")));
    if (!events)
        return events.error();
    store.m_events.emplace(std::move(events.value()));
    return store;
}

Result<nlohmann::json> RunStore::readInfo(const QString& runDir)
{
    auto bytes = AtomicFile::read(QDir(runDir).filePath(kInfo), 16 * 1024 * 1024);
    if (!bytes)
        return Error{QStringLiteral("is not a run (no run.json)"), QStringLiteral("list the runs with skillgrad runs"), runDir, QStringLiteral("not-found")};
    try {
        return nlohmann::json::parse(bytes->constData(), bytes->constData() + bytes->size());
    } catch (const nlohmann::json::exception& e) {
        return Error{QStringLiteral("run.json is damaged: %1").arg(QString::fromUtf8(e.what())), {}, runDir, QStringLiteral("invalid")};
    }
}

Result<RunStore> RunStore::open(const QString& runDir)
{
    auto info = readInfo(runDir);
    if (!info)
        return info.error();
    RunStore store;
    store.m_info = std::move(info.value());
    store.m_dir = QFileInfo(runDir).absoluteFilePath();
    store.m_id = QString::fromStdString(store.m_info.value("id", std::string()));
    auto events = EventLog::open(store.path(QStringLiteral("events.jsonl")));
    if (!events)
        return events.error();
    store.m_events.emplace(std::move(events.value()));
    return store;
}

Result<void> RunStore::journalUsage(UsageLedger& ledger)
{
    const QString file = path(QStringLiteral("calls.jsonl"));
    for (const nlohmann::json& line : EventLog::read(file)) {
        auto entry = UsageLedger::Entry::fromJson(line);
        if (!entry)
            return Error{entry.error().message, QStringLiteral("the run's usage journal is damaged; start a new run"), file, QStringLiteral("invalid")};
        ledger.apply(entry.value());
    }
    auto log = EventLog::open(file);
    if (!log)
        return log.error();
    m_calls = std::make_shared<EventLog>(std::move(log.value()));
    // A line per LLM call: a sync each would cost a sim run more than its calls do (1.6 ms each
    // here). A killed process loses nothing; a crashed machine may lose the last bookings.
    m_calls->setSyncEachLine(false);
    ledger.setObserver([calls = m_calls](const UsageLedger::Entry& entry) { (void)calls->append(QStringLiteral("call"), entry.toJson()); });
    return {};
}

Result<void> RunStore::writeJson(const QString& relative, const nlohmann::json& json)
{
    return AtomicFile::write(path(relative), QByteArray::fromStdString(json.dump(2) + "\n"));
}

Result<void> RunStore::setStatus(const QString& status, const nlohmann::json& fields)
{
    m_info["status"] = status.toStdString();
    m_info["updated"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    if (fields.is_object())
        m_info.update(fields);
    return writeJson(kInfo, m_info);
}

} // namespace sg
