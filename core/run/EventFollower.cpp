#include "EventFollower.h"

#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

#include <sys/stat.h>

namespace sg {

namespace {

constexpr int kDefaultPollMs = 500;
constexpr qint64 kMaxRead = 8 * 1024 * 1024; // per poll; the rest comes on the next one

quint64 inodeOf(const QString& file)
{
    struct stat st{};
    return ::stat(QFile::encodeName(file).constData(), &st) == 0 ? quint64(st.st_ino) : 0;
}

} // namespace

EventFollower::EventFollower(QObject* parent) : QObject(parent)
{
    m_timer = new QTimer(this);
    m_timer->setInterval(kDefaultPollMs);
    connect(m_timer, &QTimer::timeout, this, &EventFollower::poll);
}

EventFollower::~EventFollower() = default;

void EventFollower::setPollInterval(int ms)
{
    m_timer->setInterval(ms);
}

void EventFollower::follow(const QString& file)
{
    stop();
    m_file = file;
    m_watcher = new QFileSystemWatcher(this);
    // Watching the folder too catches the file's creation and its replacement.
    m_watcher->addPath(QFileInfo(file).absolutePath());
    if (QFileInfo::exists(file))
        m_watcher->addPath(file);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &EventFollower::poll);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &EventFollower::poll);
    m_timer->start();
    poll();
}

void EventFollower::stop()
{
    m_timer->stop();
    delete m_watcher;
    m_watcher = nullptr;
    m_file.clear();
    m_offset = 0;
    m_partial.clear();
    m_inode = 0;
}

void EventFollower::poll()
{
    if (m_file.isEmpty())
        return;
    QFile f(m_file);
    if (!f.open(QIODevice::ReadOnly))
        return; // not there yet
    if (m_watcher && !m_watcher->files().contains(m_file))
        m_watcher->addPath(m_file);
    const quint64 inode = inodeOf(m_file);
    if ((m_inode != 0 && inode != m_inode) || f.size() < m_offset) {
        m_offset = 0;
        m_partial.clear();
        m_inode = inode;
        Q_EMIT restarted();
    }
    m_inode = inode;
    if (f.size() == m_offset)
        return;
    if (!f.seek(m_offset))
        return;
    const QByteArray chunk = f.read(kMaxRead);
    m_offset += chunk.size();
    m_partial += chunk;
    const qsizetype lastNewline = m_partial.lastIndexOf('\n');
    if (lastNewline < 0)
        return;
    std::vector<nlohmann::json> events;
    qsizetype start = 0;
    while (start <= lastNewline) {
        const qsizetype end = m_partial.indexOf('\n', start);
        const QByteArray line = m_partial.mid(start, end - start).trimmed();
        start = end + 1;
        if (line.isEmpty())
            continue;
        // A damaged line (a torn write before a crash, then a resumed run appending after it) is
        // skipped, as EventLog::read does.
        nlohmann::json event = nlohmann::json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
        if (!event.is_discarded() && event.is_object())
            events.push_back(std::move(event));
    }
    m_partial.remove(0, lastNewline + 1);
    if (!events.empty())
        Q_EMIT eventsArrived(events);
    if (f.size() > m_offset)
        QTimer::singleShot(0, this, &EventFollower::poll); // more than one read's worth
}

} // namespace sg
