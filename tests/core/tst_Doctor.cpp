#include "doctor/Doctor.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;

namespace {

const DoctorCheck* find(const std::vector<DoctorCheck>& checks, const QString& name)
{
    for (const auto& c : checks) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

// Runs the checks with PATH pointing at an empty folder, so no tool is found.
std::vector<DoctorCheck> runWithEmptyPath()
{
    QTemporaryDir empty;
    const QByteArray saved = qgetenv("PATH");
    qputenv("PATH", empty.path().toUtf8());
    auto checks = Doctor::run();
    qputenv("PATH", saved);
    return checks;
}

} // namespace

class tst_Doctor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reportsEveryComponent()
    {
        const auto checks = Doctor::run();
        for (const char* name : {"Qt", "libgit2", "SQLite driver", "bubblewrap", "python3", "LibreOffice", "keychain", "API keys"})
            QVERIFY2(find(checks, QString::fromLatin1(name)), name);
        // ./test.sh installs the SQLite driver: the one required component that can be missing.
        QCOMPARE(find(checks, QStringLiteral("SQLite driver"))->status, DoctorCheck::Status::Ok);
        QVERIFY(Doctor::allRequiredOk(checks));
    }

    void missingToolsSayWhatToInstall()
    {
        const auto checks = runWithEmptyPath();
        const DoctorCheck* bwrap = find(checks, QStringLiteral("bubblewrap"));
        QCOMPARE(bwrap->status, DoctorCheck::Status::Missing);
        QVERIFY2(bwrap->fix.contains(QStringLiteral("apt-get install bubblewrap")), qPrintable(bwrap->fix));
        QVERIFY(bwrap->detail.contains(QStringLiteral("--unsafe-no-sandbox")));
        const DoctorCheck* office = find(checks, QStringLiteral("LibreOffice"));
        QCOMPARE(office->status, DoctorCheck::Status::Warning);
        QVERIFY(office->fix.contains(QStringLiteral("libreoffice")));
        // Optional components never make the required set fail.
        QVERIFY(Doctor::allRequiredOk(checks));
    }

    void keychainWithoutSessionBusIsExplained()
    {
        const QByteArray saved = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        const auto checks = Doctor::run();
        if (!saved.isEmpty())
            qputenv("DBUS_SESSION_BUS_ADDRESS", saved);
        const DoctorCheck* keychain = find(checks, QStringLiteral("keychain"));
        QCOMPARE(keychain->status, DoctorCheck::Status::Warning);
        QVERIFY(keychain->detail.contains(QStringLiteral("D-Bus")));
        QVERIFY(keychain->detail.contains(QStringLiteral("environment variables")));
    }

    void apiKeyValuesNeverAppear()
    {
        qputenv("OPENAI_API_KEY", "sk-test-secret-value-123");
        const auto checks = Doctor::run();
        qunsetenv("OPENAI_API_KEY");
        const DoctorCheck* keys = find(checks, QStringLiteral("API keys"));
        QVERIFY(keys->detail.contains(QStringLiteral("OPENAI_API_KEY")));
        for (const auto& c : checks) {
            QVERIFY(!c.detail.contains(QStringLiteral("sk-test-secret")));
            QVERIFY(!c.fix.contains(QStringLiteral("sk-test-secret")));
        }
    }
};

QTEST_GUILESS_MAIN(tst_Doctor)
#include "tst_Doctor.moc"
