#include "ResponseCache.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

namespace sg {

namespace {

Error sqlError(const QString& file, const QString& what, const QSqlError& error)
{
    return Error{QStringLiteral("%1: %2").arg(what, error.text()), QStringLiteral("delete the cache file to start afresh; it only saves money"), file,
                 QStringLiteral("io")};
}

} // namespace

ResponseCache::ResponseCache(QString file, QString connection) : m_file(std::move(file)), m_connection(std::move(connection)) {}

ResponseCache::~ResponseCache()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Result<std::unique_ptr<ResponseCache>> ResponseCache::open(const QString& file)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return Error{QStringLiteral("Qt's SQLite driver is missing"), QStringLiteral("sudo apt-get install libqt6sql6-sqlite"), file, QStringLiteral("config")};
    QDir().mkpath(QFileInfo(file).absolutePath());
    // A unique connection per object: Qt Sql connections must not cross threads.
    const QString name = QStringLiteral("skillgrad-cache-%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    std::unique_ptr<ResponseCache> cache(new ResponseCache(file, name));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(file);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open())
        return sqlError(file, QStringLiteral("cannot open the response cache"), db.lastError());
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")))
        return sqlError(file, QStringLiteral("cannot switch the cache to WAL"), q.lastError());
    q.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS responses ("
                               " key TEXT PRIMARY KEY,"
                               " role TEXT NOT NULL,"
                               " model TEXT NOT NULL,"
                               " response TEXT NOT NULL,"
                               " input_tokens INTEGER NOT NULL,"
                               " output_tokens INTEGER NOT NULL,"
                               " created TEXT NOT NULL)")))
        return sqlError(file, QStringLiteral("cannot prepare the cache"), q.lastError());
    return cache;
}

QString ResponseCache::keyFor(const LlmRequest& request)
{
    const std::string canonical = request.canonicalJson().dump();
    return QString::fromLatin1(QCryptographicHash::hash(QByteArray::fromStdString(canonical), QCryptographicHash::Sha256).toHex());
}

std::optional<LlmResponse> ResponseCache::lookup(const QString& key)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT response FROM responses WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return std::nullopt;
    try {
        auto response = LlmResponse::fromJson(nlohmann::json::parse(q.value(0).toString().toStdString()));
        if (response)
            response->cached = true;
        return response;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

Result<void> ResponseCache::store(const QString& key, const LlmRequest& request, const LlmResponse& response)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO responses (key, role, model, response, input_tokens, output_tokens, created)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(key);
    q.addBindValue(request.role);
    q.addBindValue(request.model);
    q.addBindValue(QString::fromStdString(response.toJson().dump()));
    q.addBindValue(response.usage.inputTokens);
    q.addBindValue(response.usage.outputTokens);
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!q.exec())
        return sqlError(m_file, QStringLiteral("cannot store an answer"), q.lastError());
    return {};
}

qint64 ResponseCache::size()
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM responses")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace sg
