#include "Secrets.h"

#include "KeychainProbe.h"
#include "Redactor.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QHostAddress>
#include <QTimer>
#include <QUrl>

namespace sg {

namespace {

const QString kService = QStringLiteral("skillgrad");

// Runs one keychain job to its end (or the timeout) in a local event loop.
template <typename Job>
std::pair<QKeychain::Error, QString> runJob(Job* job, int timeoutMs, QString* secret = nullptr)
{
    job->setAutoDelete(true); // it ends itself even when we stop waiting
    QKeychain::Error error = QKeychain::OtherError;
    QString message = QStringLiteral("the keychain did not answer within %1 s").arg(timeoutMs / 1000);
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job* done) {
        error = done->error();
        message = done->errorString();
        if constexpr (std::is_same_v<Job, QKeychain::ReadPasswordJob>) {
            if (secret && error == QKeychain::NoError)
                *secret = static_cast<QKeychain::ReadPasswordJob*>(done)->textData();
        }
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    loop.exec();
    return {error, message};
}

} // namespace

QString Secrets::defaultEnvName(const QString& providerKind)
{
    if (providerKind == QLatin1String("anthropic"))
        return QStringLiteral("ANTHROPIC_API_KEY");
    if (providerKind == QLatin1String("openai"))
        return QStringLiteral("OPENAI_API_KEY");
    return {};
}

bool Secrets::isLocalUrl(const QString& baseUrl)
{
    const QString host = QUrl(baseUrl).host();
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

Result<QString> Secrets::readKeychain(const QString& account, int timeoutMs)
{
    const KeychainStatus status = KeychainProbe::probe(timeoutMs);
    if (!status.available)
        return Error{QStringLiteral("the keychain is not available: %1").arg(status.detail),
                     QStringLiteral("use an environment variable instead"), {}, QStringLiteral("no-keychain")};
    auto* job = new QKeychain::ReadPasswordJob(kService);
    job->setKey(account);
    QString secret;
    const auto [error, message] = runJob(job, timeoutMs, &secret);
    if (error == QKeychain::EntryNotFound)
        return Error{QStringLiteral("the keychain holds no key for %1").arg(account), {}, {}, QStringLiteral("not-found")};
    if (error != QKeychain::NoError)
        return Error{QStringLiteral("the keychain refused: %1").arg(message), {}, {}, QStringLiteral("no-keychain")};
    Redactor::add(secret);
    return secret;
}

Result<void> Secrets::storeInKeychain(const QString& account, const QString& secret, int timeoutMs)
{
    Redactor::add(secret);
    const KeychainStatus status = KeychainProbe::probe(timeoutMs);
    if (!status.available)
        return Error{QStringLiteral("the keychain is not available: %1").arg(status.detail),
                     QStringLiteral("set the key in an environment variable instead (it is never written to the workspace)"), {},
                     QStringLiteral("no-keychain")};
    auto* job = new QKeychain::WritePasswordJob(kService);
    job->setKey(account);
    job->setTextData(secret);
    const auto [error, message] = runJob(job, timeoutMs);
    if (error != QKeychain::NoError)
        return Error{QStringLiteral("the keychain refused to store the key: %1").arg(Redactor::scrub(message)), {}, {},
                     QStringLiteral("no-keychain")};
    return {};
}

Result<Secrets::Key> Secrets::apiKey(const QString& providerKind, const QString& envName, const QString& baseUrl)
{
    const QString variable = envName.isEmpty() ? defaultEnvName(providerKind) : envName;
    if (!variable.isEmpty()) {
        const QString value = qEnvironmentVariable(variable.toLocal8Bit().constData()).trimmed();
        if (!value.isEmpty()) {
            Redactor::add(value);
            return Key{value, variable};
        }
    }
    auto stored = readKeychain(providerKind);
    if (stored)
        return Key{stored.value(), QStringLiteral("keychain")};
    if (isLocalUrl(baseUrl))
        return Key{QString(), QStringLiteral("none")}; // llama.cpp, Ollama and friends rarely want one
    QString why = stored.error().message;
    return Error{QStringLiteral("no API key for %1: %2 is not set, and %3").arg(providerKind, variable, why),
                 QStringLiteral("export %1=… (or name another variable with --api-key-env)").arg(variable), {}, QStringLiteral("config")};
}

} // namespace sg
