#pragma once

#include <nlohmann/json.hpp>

#include <QObject>
#include <QString>

#include <vector>

class QFileSystemWatcher;
class QTimer;

namespace sg {

// Follows a run's events.jsonl while another thread or process appends to it (DESIGN.md 3): the
// complete lines written since the last read arrive as one batch; a line still being written is
// kept back until its newline lands. A file watcher wakes it at once, and a slow poll covers file
// systems where change notifications are lost. Reads only the bytes that are new, so following a
// long run costs what it appends.
class EventFollower : public QObject
{
    Q_OBJECT
public:
    explicit EventFollower(QObject* parent = nullptr);
    ~EventFollower() override;

    // Starts at the beginning of `file` (which may not exist yet); every event in it is delivered.
    void follow(const QString& file);
    void stop();
    QString file() const { return m_file; }
    // Reads what is new now, without waiting for the watcher or the poll.
    void poll();
    void setPollInterval(int ms);

Q_SIGNALS:
    void eventsArrived(const std::vector<nlohmann::json>& events);
    // The file was replaced or truncated: what was delivered no longer holds; it is read again.
    void restarted();

private:
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_timer = nullptr;
    QString m_file;
    qint64 m_offset = 0;
    QByteArray m_partial;
    quint64 m_inode = 0;
};

} // namespace sg
