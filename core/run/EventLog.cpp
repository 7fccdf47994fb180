#include "EventLog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace sg {

Result<EventLog> EventLog::open(const QString& file)
{
    QDir().mkpath(QFileInfo(file).absolutePath());
    EventLog log;
    log.m_file = file;
    // Continue the numbering of an existing log (a resumed run).
    const auto existing = read(file);
    if (!existing.empty())
        log.m_seq = existing.back().value("seq", qint64(existing.size() - 1)) + 1;
    log.m_fd = ::open(QFile::encodeName(file).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log.m_fd < 0)
        return Error{QStringLiteral("cannot open the event log: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                     QStringLiteral("check permissions and free space"), file, QStringLiteral("io")};
    // A line torn by a killed writer is ended, so the next event starts a line of its own.
    QFile tail(file);
    if (tail.open(QIODevice::ReadOnly) && tail.size() > 0 && tail.seek(tail.size() - 1) && tail.read(1) != "\n") {
        if (::write(log.m_fd, "\n", 1) != 1)
            return Error{QStringLiteral("cannot write the event log: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                         QStringLiteral("check permissions and free space"), file, QStringLiteral("io")};
    }
    return log;
}

EventLog::EventLog(EventLog&& other) noexcept : m_file(std::move(other.m_file)), m_fd(other.m_fd), m_seq(other.m_seq), m_syncEachLine(other.m_syncEachLine)
{
    other.m_fd = -1;
}

EventLog& EventLog::operator=(EventLog&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_file = std::move(other.m_file);
        m_fd = other.m_fd;
        m_seq = other.m_seq;
        m_syncEachLine = other.m_syncEachLine;
        other.m_fd = -1;
    }
    return *this;
}

EventLog::~EventLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

namespace {

// Test hook for crash-resume tests: SKILLGRAD_TEST_KILL_AFTER=TYPE:N kills this process with
// SIGKILL right after the N-th event of TYPE has been written, as a crash at that step would.
void killAfter(const QString& type)
{
    static const QByteArray spec = qgetenv("SKILLGRAD_TEST_KILL_AFTER");
    if (spec.isEmpty())
        return;
    static int seen = 0;
    const QList<QByteArray> parts = spec.split(':');
    if (parts.size() != 2 || type.toUtf8() != parts[0])
        return;
    if (++seen >= parts[1].toInt())
        ::kill(::getpid(), SIGKILL);
}

} // namespace

Result<void> EventLog::append(const QString& type, const nlohmann::json& fields)
{
    nlohmann::json event{{"seq", m_seq}, {"time", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()}, {"type", type.toStdString()}};
    if (fields.is_object())
        event.update(fields);
    const std::string line = event.dump() + "\n";
    // One write() of the whole line: with O_APPEND, readers never see two lines interleaved.
    const ssize_t written = ::write(m_fd, line.data(), line.size());
    if (written != ssize_t(line.size()) || (m_syncEachLine && ::fdatasync(m_fd) != 0))
        return Error{QStringLiteral("cannot append to the event log: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                     QStringLiteral("check free space"), m_file, QStringLiteral("io")};
    ++m_seq;
    killAfter(type);
    return {};
}

std::vector<nlohmann::json> EventLog::read(const QString& file, int* skipped)
{
    std::vector<nlohmann::json> out;
    int bad = 0;
    QFile in(file);
    if (in.open(QIODevice::ReadOnly)) {
        while (!in.atEnd()) {
            const QByteArray line = in.readLine();
            if (line.trimmed().isEmpty())
                continue;
            try {
                out.push_back(nlohmann::json::parse(line.constData(), line.constData() + line.size()));
            } catch (const nlohmann::json::exception&) {
                ++bad; // a torn last line from a crash, or damage
            }
        }
    }
    if (skipped)
        *skipped = bad;
    return out;
}

} // namespace sg
