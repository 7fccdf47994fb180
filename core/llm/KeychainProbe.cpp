#include "KeychainProbe.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QTimer>

namespace sg {

KeychainStatus KeychainProbe::probe(int timeoutMs)
{
    KeychainStatus status;
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        status.detail = QStringLiteral("no D-Bus session bus, so no Secret Service or KWallet to talk to");
        return status;
    }
    // The job deletes itself when it ends, even after we stop waiting for it.
    auto* job = new QKeychain::ReadPasswordJob(QStringLiteral("skillgrad"));
    job->setAutoDelete(true);
    job->setKey(QStringLiteral("doctor-probe"));
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorText;
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job* done) {
        finished = true;
        error = done->error();
        errorText = done->errorString();
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    loop.exec();
    if (!finished) {
        status.detail = QStringLiteral("the keychain did not answer within %1 s").arg(timeoutMs / 1000);
        return status;
    }
    // "Entry not found" means the keychain answered: it works.
    status.available = error == QKeychain::NoError || error == QKeychain::EntryNotFound;
    if (!status.available)
        status.detail = errorText;
    return status;
}

} // namespace sg
