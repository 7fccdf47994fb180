#include "EventLog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
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
    return log;
}

EventLog::EventLog(EventLog&& other) noexcept : m_file(std::move(other.m_file)), m_fd(other.m_fd), m_seq(other.m_seq)
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
        other.m_fd = -1;
    }
    return *this;
}

EventLog::~EventLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<void> EventLog::append(const QString& type, const nlohmann::json& fields)
{
    nlohmann::json event{{"seq", m_seq}, {"time", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()}, {"type", type.toStdString()}};
    if (fields.is_object())
        event.update(fields);
    const std::string line = event.dump() + "\n";
    // One write() of the whole line: with O_APPEND, readers never see two lines interleaved.
    const ssize_t written = ::write(m_fd, line.data(), line.size());
    if (written != ssize_t(line.size()) || ::fdatasync(m_fd) != 0)
        return Error{QStringLiteral("cannot append to the event log: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                     QStringLiteral("check free space"), m_file, QStringLiteral("io")};
    ++m_seq;
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
