#pragma once

#include "common/Result.h"
#include "llm/ConnectionTest.h"
#include "workspace/WorkspaceConfig.h"

#include <QDialog>

#include <map>
#include <utility>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace sg {

// The workspace's model settings (issue 10): provider, model, endpoint, key variable and
// concurrency per role; prices; API keys into the OS keychain; a connection test per role. It
// edits a copy of the configuration; the caller saves config() when the dialog is accepted.
// Keys never reach skillgrad.json, a label or a log.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(const WorkspaceConfig& config, QWidget* parent = nullptr);

    // The edited copy; prices whose numbers do not parse are left out (validate() names them).
    WorkspaceConfig config() const;
    // What accept() checks: every non-sim role names a model; prices are numbers.
    Result<void> validate() const;

    void accept() override;

Q_SIGNALS:
    // A connection test ended (for tests and the status bar).
    void connectionTested(const QString& role, const sg::ConnectionTest::Result& result);
    // A keychain store ended; `ok` false when the key was not stored.
    void keyStored(const QString& providerKind, bool ok);

private:
    struct RoleRow
    {
        QComboBox* provider = nullptr;
        QLineEdit* model = nullptr;
        QLineEdit* baseUrl = nullptr;
        QLineEdit* keyEnv = nullptr;
        QSpinBox* concurrency = nullptr;
        QPushButton* test = nullptr;
        QLabel* status = nullptr;
        QString lastKind;
    };
    struct KeyRow
    {
        QLineEdit* key = nullptr;
        QPushButton* store = nullptr;
        QLabel* result = nullptr;
    };

    QWidget* buildRoles();
    QWidget* buildPrices();
    QWidget* buildKeys();
    void setRow(RoleRow& row, const RoleConfig& role);
    RoleConfig rowConfig(const RoleRow& row) const;
    void onProviderChanged(const QString& role);
    void applyToOptimizerRoles();
    void testConnection(const QString& role);
    Result<void> validateRoles() const;
    Result<void> validatePrices() const;
    void showTestResult(const QString& role, const ConnectionTest::Result& result);
    void storeKey(const QString& kind);
    void showStoreResult(const QString& kind, const Result<void>& result);
    void addPriceRow(const QString& model, const ModelPrice& price);

    WorkspaceConfig m_config;
    std::map<QString, RoleRow> m_roles;
    std::map<QString, KeyRow> m_keys;
    QTabWidget* m_tabs = nullptr;
    QTableWidget* m_prices = nullptr;
    std::map<QString, std::pair<QString, bool>>
        m_testMessages; // role -> the last test's message, ok
    QLabel* m_connectionResult = nullptr;
    QLabel* m_validation = nullptr;
};

} // namespace sg
