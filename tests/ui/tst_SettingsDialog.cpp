#include "MockLlmServer.h"
#include "views/SettingsDialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

const QString kCanary = QStringLiteral("sk-canary-5f4e3d2c1b0a9f8e7d");

template <typename T> T* child(const QWidget& dialog, const QString& name)
{
    auto* widget = dialog.findChild<T*>(name);
    if (!widget)
        qWarning("no widget named %s", qPrintable(name));
    return widget;
}

WorkspaceConfig baseConfig()
{
    WorkspaceConfig config;
    config.skillName = QStringLiteral("table-qa");
    config.prices[QStringLiteral("m-1")] = ModelPrice{0.5, 1.5};
    return config;
}

// Every text a person can read in the dialog, save the input fields.
QStringList visibleTexts(const QWidget& dialog)
{
    QStringList texts;
    for (const QLabel* label : dialog.findChildren<QLabel*>())
        texts << label->text() << label->toolTip();
    for (const QPushButton* button : dialog.findChildren<QPushButton*>())
        texts << button->text() << button->toolTip();
    texts << dialog.windowTitle();
    return texts;
}

} // namespace

class tst_SettingsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // As on these machines: no session bus, so no keychain; no key in the environment.
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        qunsetenv("OPENAI_API_KEY");
        qunsetenv("ANTHROPIC_API_KEY");
        qRegisterMetaType<ConnectionTest::Result>();
    }

    void showsTheConfiguration()
    {
        WorkspaceConfig config = baseConfig();
        config.roles[QStringLiteral("patcher")] =
            RoleConfig{QStringLiteral("anthropic"), QStringLiteral("claude-x"),
                       QStringLiteral("http://127.0.0.1:9/"), QStringLiteral("MY_KEY"), 3};
        SettingsDialog dialog(config);
        QCOMPARE(dialog.objectName(), QStringLiteral("settingsDialog"));
        QCOMPARE(child<QComboBox>(dialog, QStringLiteral("provider_patcher"))->currentText(),
                 QStringLiteral("anthropic"));
        QCOMPARE(child<QLineEdit>(dialog, QStringLiteral("model_patcher"))->text(),
                 QStringLiteral("claude-x"));
        QCOMPARE(child<QLineEdit>(dialog, QStringLiteral("keyEnv_patcher"))->text(),
                 QStringLiteral("MY_KEY"));
        QCOMPARE(child<QSpinBox>(dialog, QStringLiteral("concurrency_patcher"))->value(), 3);
        QCOMPARE(child<QComboBox>(dialog, QStringLiteral("provider_executor"))->currentText(),
                 QStringLiteral("sim"));
        // An empty base URL shows the provider's default as its placeholder.
        auto* executorUrl = child<QLineEdit>(dialog, QStringLiteral("baseUrl_executor"));
        child<QComboBox>(dialog, QStringLiteral("provider_executor"))
            ->setCurrentText(QStringLiteral("openai"));
        QVERIFY(executorUrl->placeholderText().startsWith(QStringLiteral("https://")));
        QCOMPARE(child<QLineEdit>(dialog, QStringLiteral("keyEnv_executor"))->placeholderText(),
                 QStringLiteral("OPENAI_API_KEY"));
        auto* prices = child<QTableWidget>(dialog, QStringLiteral("pricesTable"));
        QCOMPARE(prices->rowCount(), 1);
        QCOMPARE(prices->item(0, 0)->text(), QStringLiteral("m-1"));
        // Every role has a row.
        for (const QString& role : WorkspaceConfig::roleNames())
            QVERIFY2(dialog.findChild<QPushButton*>(QStringLiteral("test_") + role),
                     qPrintable(role));
    }

    void editsRoundTripIntoConfig()
    {
        QTemporaryDir dir;
        SettingsDialog dialog(baseConfig());
        child<QComboBox>(dialog, QStringLiteral("provider_executor"))
            ->setCurrentText(QStringLiteral("openai"));
        // The model follows the provider while it was the old default.
        QCOMPARE(child<QLineEdit>(dialog, QStringLiteral("model_executor"))->text(),
                 QStringLiteral("gpt-4o-mini"));
        child<QLineEdit>(dialog, QStringLiteral("model_executor"))
            ->setText(QStringLiteral("  qwen-7b "));
        child<QLineEdit>(dialog, QStringLiteral("baseUrl_executor"))
            ->setText(QStringLiteral("http://127.0.0.1:8080/v1"));
        child<QLineEdit>(dialog, QStringLiteral("keyEnv_executor"))
            ->setText(QStringLiteral("LOCAL_KEY"));
        child<QSpinBox>(dialog, QStringLiteral("concurrency_executor"))->setValue(16);

        child<QComboBox>(dialog, QStringLiteral("provider_failure-diagnoser"))
            ->setCurrentText(QStringLiteral("anthropic"));
        child<QLineEdit>(dialog, QStringLiteral("model_failure-diagnoser"))
            ->setText(QStringLiteral("claude-big"));
        child<QSpinBox>(dialog, QStringLiteral("concurrency_failure-diagnoser"))->setValue(2);
        child<QPushButton>(dialog, QStringLiteral("applyToOptimizerRoles"))->click();

        auto* prices = child<QTableWidget>(dialog, QStringLiteral("pricesTable"));
        prices->item(0, 2)->setText(QStringLiteral("2.25"));
        child<QPushButton>(dialog, QStringLiteral("addPrice"))->click();
        prices->item(1, 0)->setText(QStringLiteral("claude-big"));
        prices->item(1, 1)->setText(QStringLiteral("3"));
        prices->item(1, 2)->setText(QStringLiteral("15"));

        QVERIFY(dialog.validate().ok());
        const WorkspaceConfig edited = dialog.config();
        const RoleConfig executor = edited.role(QStringLiteral("executor"));
        QCOMPARE(executor.provider, QStringLiteral("openai"));
        QCOMPARE(executor.model, QStringLiteral("qwen-7b"));
        QCOMPARE(executor.baseUrl, QStringLiteral("http://127.0.0.1:8080/v1"));
        QCOMPARE(executor.apiKeyEnv, QStringLiteral("LOCAL_KEY"));
        QCOMPARE(executor.concurrency, 16);
        for (const QString& role :
             {QStringLiteral("failure-diagnoser"), QStringLiteral("contrastive-diagnoser"),
              QStringLiteral("momentum"), QStringLiteral("patcher")}) {
            QCOMPARE(edited.role(role).provider, QStringLiteral("anthropic"));
            QCOMPARE(edited.role(role).model, QStringLiteral("claude-big"));
            QCOMPARE(edited.role(role).concurrency, 2);
        }
        QCOMPARE(edited.prices.size(), std::size_t(2));
        QCOMPARE(edited.prices.at(QStringLiteral("m-1")).outputPerMTok, 2.25);
        QCOMPARE(edited.prices.at(QStringLiteral("claude-big")).inputPerMTok, 3.0);
        QCOMPARE(edited.skillName,
                 QStringLiteral("table-qa")); // what the dialog does not edit stays

        // What the caller saves loads back the same.
        const QString file = dir.filePath(QStringLiteral("skillgrad.json"));
        QVERIFY(edited.save(file).ok());
        auto loaded = WorkspaceConfig::load(file);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().text()));
        QCOMPARE(loaded->role(QStringLiteral("executor")).model, QStringLiteral("qwen-7b"));
        QCOMPARE(loaded->prices.at(QStringLiteral("claude-big")).outputPerMTok, 15.0);

        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void refusesARoleWithoutModel()
    {
        SettingsDialog dialog(baseConfig());
        dialog.show();
        child<QComboBox>(dialog, QStringLiteral("provider_momentum"))
            ->setCurrentText(QStringLiteral("openai"));
        child<QLineEdit>(dialog, QStringLiteral("model_momentum"))->clear();
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.result() != QDialog::Accepted);
        auto* message = child<QLabel>(dialog, QStringLiteral("validationMessage"));
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(QStringLiteral("momentum")), qPrintable(message->text()));
        // A sim role needs no model.
        child<QComboBox>(dialog, QStringLiteral("provider_momentum"))
            ->setCurrentText(QStringLiteral("sim"));
        child<QLineEdit>(dialog, QStringLiteral("model_momentum"))->clear();
        QVERIFY(dialog.validate().ok());
    }

    void refusesAPriceThatIsNotANumber()
    {
        SettingsDialog dialog(baseConfig());
        child<QTableWidget>(dialog, QStringLiteral("pricesTable"))
            ->item(0, 1)
            ->setText(QStringLiteral("cheap"));
        const Result<void> valid = dialog.validate();
        QVERIFY(!valid.ok());
        QVERIFY(valid.error().message.contains(QStringLiteral("m-1")));
        QVERIFY(valid.error().message.contains(QStringLiteral("cheap")));
        // Accepting refuses, and shows the page with the problem.
        dialog.show();
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QCOMPARE(child<QTabWidget>(dialog, QStringLiteral("settingsTabs"))->currentIndex(), 2);
        QVERIFY(child<QLabel>(dialog, QStringLiteral("validationMessage"))
                    ->text()
                    .contains(QStringLiteral("cheap")));
    }

    void keychainFailureIsClearAndKeyNeverShown()
    {
        SettingsDialog dialog(baseConfig());
        QSignalSpy stored(&dialog, &SettingsDialog::keyStored);
        auto* key = child<QLineEdit>(dialog, QStringLiteral("apiKey_openai"));
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        key->setText(kCanary);
        child<QPushButton>(dialog, QStringLiteral("storeKey_openai"))->click();
        QVERIFY(stored.wait(10000));
        QCOMPARE(stored.at(0).at(0).toString(), QStringLiteral("openai"));
        QCOMPARE(stored.at(0).at(1).toBool(), false);
        const QString text = child<QLabel>(dialog, QStringLiteral("keyResult_openai"))->text();
        QVERIFY2(text.contains(QStringLiteral("keychain is not available")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("OPENAI_API_KEY")), qPrintable(text));
        for (const QString& t : visibleTexts(dialog)) {
            QVERIFY2(!t.contains(QStringLiteral("canary")), qPrintable(t));
            QVERIFY2(!t.contains(QStringLiteral("5f4e3d2c")), qPrintable(t));
        }
        // Nor does the key reach the configuration that will be saved.
        QVERIFY(!QString::fromStdString(dialog.config().toJson().dump())
                     .contains(QStringLiteral("canary")));
    }

    void testConnectionAgainstTheMock()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        SettingsDialog dialog(baseConfig());
        QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
        child<QComboBox>(dialog, QStringLiteral("provider_executor"))
            ->setCurrentText(QStringLiteral("openai"));
        child<QLineEdit>(dialog, QStringLiteral("model_executor"))->setText(QStringLiteral("m-1"));
        child<QLineEdit>(dialog, QStringLiteral("baseUrl_executor"))
            ->setText(server.openaiBaseUrl());
        auto* button = child<QPushButton>(dialog, QStringLiteral("test_executor"));
        button->click();
        QVERIFY(!button->isEnabled()); // one test at a time per role, and the UI goes on
        QVERIFY(tested.wait(15000));
        QVERIFY(button->isEnabled());
        const auto result = tested.at(0).at(1).value<ConnectionTest::Result>();
        QVERIFY2(result.ok, qPrintable(result.message));
        QCOMPARE(result.model, QStringLiteral("m-1"));
        QCOMPARE(server.requestCount(), 1);
        QVERIFY(child<QLabel>(dialog, QStringLiteral("testStatus_executor"))
                    ->text()
                    .contains(QStringLiteral("OK")));
        const QString shown = child<QLabel>(dialog, QStringLiteral("connectionResult"))->text();
        QVERIFY2(shown.contains(QStringLiteral("executor")) &&
                     shown.contains(QStringLiteral("m-1")),
                 qPrintable(shown));
    }

    void testConnectionAgainstADeadPort()
    {
        QString url;
        {
            QTcpServer gone;
            QVERIFY(gone.listen(QHostAddress::LocalHost));
            url = QStringLiteral("http://127.0.0.1:%1/v1").arg(gone.serverPort());
            gone.close();
        }
        SettingsDialog dialog(baseConfig());
        QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
        child<QComboBox>(dialog, QStringLiteral("provider_patcher"))
            ->setCurrentText(QStringLiteral("openai"));
        child<QLineEdit>(dialog, QStringLiteral("baseUrl_patcher"))->setText(url);
        child<QPushButton>(dialog, QStringLiteral("test_patcher"))->click();
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.at(0).at(0).toString(), QStringLiteral("patcher"));
        QVERIFY(!tested.at(0).at(1).value<ConnectionTest::Result>().ok);
        QVERIFY(child<QLabel>(dialog, QStringLiteral("testStatus_patcher"))
                    ->text()
                    .contains(QStringLiteral("Failed")));
        const QString shown = child<QLabel>(dialog, QStringLiteral("connectionResult"))->text();
        QVERIFY2(shown.contains(QStringLiteral("patcher")) &&
                     shown.contains(QStringLiteral("connection refused")),
                 qPrintable(shown));
        QVERIFY2(shown.contains(url), qPrintable(shown));
    }

    void testConnectionWithTheSimulatorSaysSynthetic()
    {
        SettingsDialog dialog(baseConfig());
        QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
        child<QPushButton>(dialog, QStringLiteral("test_momentum"))->click();
        child<QPushButton>(dialog, QStringLiteral("test_patcher"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 10000);
        // Each role keeps its own line.
        const QString shown = child<QLabel>(dialog, QStringLiteral("connectionResult"))->text();
        QVERIFY2(shown.contains(QStringLiteral("momentum: ")) &&
                     shown.contains(QStringLiteral("patcher: ")),
                 qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("synthetic")), qPrintable(shown));
    }

    void closingDuringATestIsSafe()
    {
        MockLlmServer server;
        QVERIFY(server.listen());
        server.setDefault(MockReply::completion(QStringLiteral("pong"), 500));
        auto* dialog = new SettingsDialog(baseConfig());
        child<QComboBox>(*dialog, QStringLiteral("provider_executor"))
            ->setCurrentText(QStringLiteral("openai"));
        child<QLineEdit>(*dialog, QStringLiteral("baseUrl_executor"))
            ->setText(server.openaiBaseUrl());
        child<QPushButton>(*dialog, QStringLiteral("test_executor"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(server.inFlight(), 1, 5000);
        delete dialog;
        QTest::qWait(700); // the reply the server still sends finds nobody waiting
    }
};

QTEST_MAIN(tst_SettingsDialog)
#include "tst_SettingsDialog.moc"
