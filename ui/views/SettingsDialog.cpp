#include "SettingsDialog.h"

#include "llm/ProviderFactory.h"
#include "llm/Redactor.h"
#include "llm/Secrets.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace sg {

namespace {

const QString kExecutor = QStringLiteral("executor");
const QString kFirstOptimizerRole = QStringLiteral("failure-diagnoser");
const QStringList kKeyKinds{QStringLiteral("openai"), QStringLiteral("anthropic")};
const QString kOkStyle = QStringLiteral("color: #1a7f37;");
const QString kProblemStyle = QStringLiteral("color: #c62828;");
constexpr int kMaxConcurrency = 256;
// A quick check: one retry, and no minutes-long waits behind a dead endpoint.
constexpr int kTestAttempts = 2;
constexpr int kTestConnectTimeoutMs = 10000;
constexpr int kTestTotalTimeoutMs = 60000;

bool usesEndpoint(const QString& kind)
{
    return kind == QLatin1String("openai") || kind == QLatin1String("anthropic");
}

// The placeholders show what an empty field means for this provider.
void describeDefaults(const QString& kind, QLineEdit* baseUrl, QLineEdit* keyEnv)
{
    const bool http = usesEndpoint(kind);
    baseUrl->setEnabled(http);
    keyEnv->setEnabled(http);
    baseUrl->setPlaceholderText(http ? ProviderFactory::defaultBaseUrl(kind)
                                     : QObject::tr("not used by %1").arg(kind));
    keyEnv->setPlaceholderText(http ? Secrets::defaultEnvName(kind)
                                    : QObject::tr("not used by %1").arg(kind));
}

QString kindTitle(const QString& kind)
{
    return kind == QLatin1String("openai") ? QStringLiteral("OpenAI-compatible")
                                           : QStringLiteral("Anthropic");
}

QLabel* header(const QString& text)
{
    auto* label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QLabel* note(const QString& text)
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    return label;
}

void setStatus(QLabel* label, const QString& text, bool ok)
{
    label->setText(text);
    label->setStyleSheet(ok ? kOkStyle : kProblemStyle);
}

} // namespace

SettingsDialog::SettingsDialog(const WorkspaceConfig& config, QWidget* parent)
    : QDialog(parent), m_config(config)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));

    // Tabs keep each page's wrapped messages from squeezing the others.
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("settingsTabs"));
    m_tabs->addTab(buildRoles(), tr("Models"));
    m_tabs->addTab(buildKeys(), tr("API keys"));
    m_tabs->addTab(buildPrices(), tr("Prices"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);

    m_validation = new QLabel;
    m_validation->setObjectName(QStringLiteral("validationMessage"));
    m_validation->setWordWrap(true);
    m_validation->setStyleSheet(kProblemStyle);
    m_validation->hide();
    layout->addWidget(m_validation);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    layout->addWidget(buttons);
    resize(1000, 540);
}

QWidget* SettingsDialog::buildRoles()
{
    auto* page = new QWidget;
    auto* grid = new QGridLayout;
    const QStringList headers{tr("Role"),     tr("Provider"),         tr("Model"),
                              tr("Base URL"), tr("API key variable"), tr("Concurrency")};
    for (int c = 0; c < headers.size(); ++c)
        grid->addWidget(header(headers.at(c)), 0, c);
    grid->addWidget(header(tr("Connection")), 0, int(headers.size()), 1, 2);

    int r = 1;
    for (const QString& role : WorkspaceConfig::roleNames()) {
        RoleRow& row = m_roles[role];
        row.provider = new QComboBox;
        row.provider->addItems(ProviderFactory::kinds());
        row.model = new QLineEdit;
        row.baseUrl = new QLineEdit;
        row.keyEnv = new QLineEdit;
        row.concurrency = new QSpinBox;
        row.concurrency->setRange(1, kMaxConcurrency);
        row.concurrency->setToolTip(tr("Requests in flight at once to this provider"));
        row.test = new QPushButton(tr("Test"));
        row.test->setToolTip(tr("Send one small request with this row's settings"));
        row.status = new QLabel;
        row.status->setMinimumWidth(110);
        const QList<std::pair<QWidget*, QString>> named{
            {row.provider, QStringLiteral("provider_")},
            {row.model, QStringLiteral("model_")},
            {row.baseUrl, QStringLiteral("baseUrl_")},
            {row.keyEnv, QStringLiteral("keyEnv_")},
            {row.concurrency, QStringLiteral("concurrency_")},
            {row.test, QStringLiteral("test_")},
            {row.status, QStringLiteral("testStatus_")}};
        for (const auto& [widget, prefix] : named)
            widget->setObjectName(prefix + role);
        setRow(row, m_config.role(role));

        grid->addWidget(new QLabel(role), r, 0);
        grid->addWidget(row.provider, r, 1);
        grid->addWidget(row.model, r, 2);
        grid->addWidget(row.baseUrl, r, 3);
        grid->addWidget(row.keyEnv, r, 4);
        grid->addWidget(row.concurrency, r, 5);
        grid->addWidget(row.test, r, 6);
        grid->addWidget(row.status, r, 7);
        connect(row.provider, &QComboBox::currentTextChanged, this,
                [this, role] { onProviderChanged(role); });
        connect(row.test, &QPushButton::clicked, this, [this, role] { testConnection(role); });
        ++r;
    }
    grid->setColumnStretch(2, 2);
    grid->setColumnStretch(3, 3);
    grid->setColumnStretch(4, 2);

    auto* applyAll =
        new QPushButton(tr("Use the %1 row for all optimizer roles").arg(kFirstOptimizerRole));
    applyAll->setObjectName(QStringLiteral("applyToOptimizerRoles"));
    applyAll->setToolTip(tr("Copies provider, model, base URL, key variable and concurrency to the "
                            "other optimizer roles; "
                            "the executor keeps its own"));
    connect(applyAll, &QPushButton::clicked, this, &SettingsDialog::applyToOptimizerRoles);

    m_connectionResult = new QLabel;
    m_connectionResult->setObjectName(QStringLiteral("connectionResult"));
    m_connectionResult->setWordWrap(true);
    m_connectionResult->setTextFormat(Qt::RichText);
    m_connectionResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(applyAll);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(note(tr(
        "The executor answers the tasks; the optimizer roles diagnose failures, keep the momentum "
        "notes and write patches, so a cheap executor can pair with a stronger optimizer model. "
        "An empty field takes the default shown in grey; a server on this machine needs no key.")));
    layout->addLayout(grid);
    layout->addLayout(buttons);
    layout->addWidget(m_connectionResult);
    layout->addStretch(1);
    return page;
}

QWidget* SettingsDialog::buildPrices()
{
    auto* page = new QWidget;
    m_prices = new QTableWidget(0, 3);
    m_prices->setObjectName(QStringLiteral("pricesTable"));
    m_prices->setHorizontalHeaderLabels({tr("Model"), tr("$ per M input"), tr("$ per M output")});
    m_prices->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_prices->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_prices->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_prices->verticalHeader()->hide();
    m_prices->setMinimumHeight(110);
    for (const auto& [model, price] : m_config.prices)
        addPriceRow(model, price);

    auto* add = new QPushButton(tr("Add price"));
    add->setObjectName(QStringLiteral("addPrice"));
    connect(add, &QPushButton::clicked, this, [this] {
        addPriceRow({}, {});
        m_prices->setCurrentCell(m_prices->rowCount() - 1, 0);
        m_prices->editItem(m_prices->item(m_prices->rowCount() - 1, 0));
    });
    auto* remove = new QPushButton(tr("Remove price"));
    remove->setObjectName(QStringLiteral("removePrice"));
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_prices->currentRow() >= 0)
            m_prices->removeRow(m_prices->currentRow());
    });
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto* row = new QHBoxLayout;
    row->addWidget(m_prices, 1);
    row->addLayout(buttons);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(note(tr(
        "USD per million tokens. List prices of common OpenAI and Anthropic models are built in; "
        "a row here adds a model or overrides its price in the usage ledger.")));
    layout->addLayout(row, 1);
    return page;
}

QWidget* SettingsDialog::buildKeys()
{
    auto* page = new QWidget;
    auto* grid = new QGridLayout;
    int r = 0;
    for (const QString& kind : kKeyKinds) {
        KeyRow& row = m_keys[kind];
        row.key = new QLineEdit;
        row.key->setObjectName(QStringLiteral("apiKey_") + kind);
        row.key->setEchoMode(QLineEdit::Password);
        row.key->setPlaceholderText(tr("paste a key to store it in the keychain"));
        row.store = new QPushButton(tr("Store in keychain"));
        row.store->setObjectName(QStringLiteral("storeKey_") + kind);
        row.result = new QLabel;
        row.result->setObjectName(QStringLiteral("keyResult_") + kind);
        row.result->setWordWrap(true);
        row.result->setTextInteractionFlags(Qt::TextSelectableByMouse);
        const QString variable = Secrets::defaultEnvName(kind);
        row.result->setText(
            qEnvironmentVariableIsSet(variable.toLocal8Bit().constData())
                ? tr("%1 is set in this environment; it is used before the keychain.").arg(variable)
                : tr("%1 is not set in this environment.").arg(variable));
        grid->addWidget(new QLabel(kindTitle(kind)), r, 0);
        grid->addWidget(row.key, r, 1);
        grid->addWidget(row.store, r, 2);
        grid->addWidget(row.result, r + 1, 1, 1, 2);
        connect(row.store, &QPushButton::clicked, this, [this, kind] { storeKey(kind); });
        connect(row.key, &QLineEdit::returnPressed, this, [this, kind] { storeKey(kind); });
        r += 2;
    }
    grid->setColumnStretch(1, 1);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(note(
        tr("A key is read from its environment variable first, then from the OS keychain (service "
           "\"skillgrad\"). Keys are never written to skillgrad.json, the logs or the cache.")));
    layout->addLayout(grid);
    layout->addStretch(1);
    return page;
}

void SettingsDialog::setRow(RoleRow& row, const RoleConfig& role)
{
    {
        const QSignalBlocker blocker(row.provider); // a loaded value is not a user's change
        if (row.provider->findText(role.provider) < 0)
            row.provider->addItem(role.provider);
        row.provider->setCurrentText(role.provider);
    }
    row.lastKind = role.provider;
    row.model->setText(role.model);
    row.baseUrl->setText(role.baseUrl);
    row.keyEnv->setText(role.apiKeyEnv);
    row.concurrency->setValue(role.concurrency);
    describeDefaults(role.provider, row.baseUrl, row.keyEnv);
    row.status->clear();
    row.status->setToolTip({});
}

RoleConfig SettingsDialog::rowConfig(const RoleRow& row) const
{
    RoleConfig role;
    role.provider = row.provider->currentText();
    role.model = row.model->text().trimmed();
    role.baseUrl = row.baseUrl->text().trimmed();
    role.apiKeyEnv = row.keyEnv->text().trimmed();
    role.concurrency = row.concurrency->value();
    return role;
}

void SettingsDialog::onProviderChanged(const QString& role)
{
    RoleRow& row = m_roles[role];
    const QString kind = row.provider->currentText();
    // A model left at the old provider's default follows the provider; a chosen one stays.
    const QString model = row.model->text().trimmed();
    if (model.isEmpty() || model == ProviderFactory::defaultModel(row.lastKind))
        row.model->setText(ProviderFactory::defaultModel(kind));
    row.lastKind = kind;
    describeDefaults(kind, row.baseUrl, row.keyEnv);
    row.status->clear();
}

void SettingsDialog::applyToOptimizerRoles()
{
    const RoleConfig source = rowConfig(m_roles[kFirstOptimizerRole]);
    for (auto& [role, row] : m_roles) {
        if (role != kExecutor && role != kFirstOptimizerRole)
            setRow(row, source);
    }
}

WorkspaceConfig SettingsDialog::config() const
{
    WorkspaceConfig out = m_config;
    for (const auto& [role, row] : m_roles)
        out.roles[role] = rowConfig(row);
    out.prices.clear();
    for (int r = 0; r < m_prices->rowCount(); ++r) {
        const auto text = [this, r](int c) {
            return m_prices->item(r, c) ? m_prices->item(r, c)->text().trimmed() : QString();
        };
        bool inputOk = false;
        bool outputOk = false;
        const ModelPrice price{text(1).toDouble(&inputOk), text(2).toDouble(&outputOk)};
        if (!text(0).isEmpty() && inputOk && outputOk && price.inputPerMTok >= 0 &&
            price.outputPerMTok >= 0)
            out.prices[text(0)] = price;
    }
    return out;
}

Result<void> SettingsDialog::validate() const
{
    Result<void> roles = validateRoles();
    return roles ? validatePrices() : roles;
}

Result<void> SettingsDialog::validateRoles() const
{
    for (const QString& role : WorkspaceConfig::roleNames()) {
        const RoleConfig rc = rowConfig(m_roles.at(role));
        if (rc.provider != QLatin1String("sim") && rc.model.isEmpty()) {
            const QString example = ProviderFactory::defaultModel(rc.provider);
            return Error{tr("The %1 role has no model").arg(role),
                         example.isEmpty()
                             ? tr("enter the model the %1 provider should use").arg(rc.provider)
                             : tr("enter the model the %1 provider should use, for example %2")
                                   .arg(rc.provider, example),
                         {},
                         QStringLiteral("invalid")};
        }
    }
    return {};
}

Result<void> SettingsDialog::validatePrices() const
{
    QSet<QString> seen;
    for (int r = 0; r < m_prices->rowCount(); ++r) {
        const auto text = [this, r](int c) {
            return m_prices->item(r, c) ? m_prices->item(r, c)->text().trimmed() : QString();
        };
        const QString model = text(0);
        if (model.isEmpty()) {
            if (text(1).isEmpty() && text(2).isEmpty())
                continue; // an untouched new row
            return Error{tr("Price row %1 has no model name").arg(r + 1),
                         tr("enter the model's name, or remove the row"),
                         {},
                         QStringLiteral("invalid")};
        }
        if (seen.contains(model))
            return Error{tr("%1 has two prices").arg(model),
                         tr("remove one of the rows"),
                         {},
                         QStringLiteral("invalid")};
        seen.insert(model);
        for (int c = 1; c <= 2; ++c) {
            bool ok = false;
            const double value = text(c).toDouble(&ok);
            if (!ok || value < 0)
                return Error{tr("The %1 price of %2 is not a number of dollars: \"%3\"")
                                 .arg(c == 1 ? tr("input") : tr("output"), model, text(c)),
                             tr("for example 0.15"),
                             {},
                             QStringLiteral("invalid")};
        }
    }
    return {};
}

void SettingsDialog::accept()
{
    // Show the page that holds the problem.
    for (const auto& [check, page] : {std::pair{&SettingsDialog::validateRoles, 0},
                                      std::pair{&SettingsDialog::validatePrices, 2}}) {
        const Result<void> valid = (this->*check)();
        if (!valid) {
            m_validation->setText(valid.error().text());
            m_validation->show();
            m_tabs->setCurrentIndex(page);
            return;
        }
    }
    m_validation->hide();
    QDialog::accept();
}

void SettingsDialog::testConnection(const QString& role)
{
    RoleRow& row = m_roles[role];
    const RoleConfig rc = rowConfig(row);
    ConnectionTest::Options options;
    options.provider.kind = rc.provider;
    options.provider.baseUrl = rc.baseUrl;
    options.provider.apiKeyEnv = rc.apiKeyEnv;
    options.provider.concurrency = 1;
    options.provider.connectTimeoutMs = kTestConnectTimeoutMs;
    options.provider.totalTimeoutMs = kTestTotalTimeoutMs;
    options.provider.simSeed = m_config.seed;
    options.model = rc.model;
    options.maxAttempts = kTestAttempts;

    auto* test = new ConnectionTest(options, this);
    row.test->setEnabled(false);
    row.status->setStyleSheet({});
    row.status->setText(tr("Testing…"));
    row.status->setToolTip({});
    connect(test, &ConnectionTest::waiting, this, [this, role](const QString& reason, qint64 ms) {
        m_roles[role].status->setText(tr("Waiting %1 s…").arg(double(ms) / 1000.0, 0, 'f', 1));
        m_roles[role].status->setToolTip(reason);
    });
    connect(test, &ConnectionTest::finished, this,
            [this, role, test](const ConnectionTest::Result& result) {
                showTestResult(role, result);
                test->deleteLater();
            });
    test->start();
}

void SettingsDialog::showTestResult(const QString& role, const ConnectionTest::Result& result)
{
    RoleRow& row = m_roles[role];
    row.test->setEnabled(true);
    // The hints are written for the command line; name this dialog's fields instead.
    QString message = Redactor::scrub(result.message);
    message.replace(QStringLiteral("--base-url"), tr("the Base URL"));
    message.replace(QStringLiteral("--api-key-env"), tr("the API key variable"));
    setStatus(row.status, result.ok ? tr("✓ OK, %1 ms").arg(result.latencyMs) : tr("✗ Failed"),
              result.ok);
    row.status->setToolTip(message);
    // One line per role tested, so a failure stays readable after another role's test.
    m_testMessages[role] = {message, result.ok};
    QString html;
    for (const QString& name : WorkspaceConfig::roleNames()) {
        const auto it = m_testMessages.find(name);
        if (it == m_testMessages.end())
            continue;
        html += QStringLiteral("<div style=\"%1\">%2: %3</div>")
                    .arg(it->second.second ? kOkStyle : kProblemStyle, name.toHtmlEscaped(),
                         it->second.first.toHtmlEscaped());
    }
    m_connectionResult->setText(html);
    Q_EMIT connectionTested(role, result);
}

void SettingsDialog::addPriceRow(const QString& model, const ModelPrice& price)
{
    const int r = m_prices->rowCount();
    m_prices->insertRow(r);
    const bool blank = model.isEmpty();
    m_prices->setItem(r, 0, new QTableWidgetItem(model));
    m_prices->setItem(
        r, 1,
        new QTableWidgetItem(blank ? QString() : QString::number(price.inputPerMTok, 'g', 10)));
    m_prices->setItem(
        r, 2,
        new QTableWidgetItem(blank ? QString() : QString::number(price.outputPerMTok, 'g', 10)));
}

void SettingsDialog::storeKey(const QString& kind)
{
    KeyRow& row = m_keys[kind];
    const QString key = row.key->text().trimmed();
    if (key.isEmpty()) {
        setStatus(row.result, tr("Paste a key into the field first."), false);
        return;
    }
    row.store->setEnabled(false);
    row.result->setStyleSheet({});
    row.result->setText(tr("Storing…"));
    // The keychain runs a local event loop and may wait on D-Bus: never on the UI thread.
    auto* watcher = new QFutureWatcher<Result<void>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, kind, watcher] {
        showStoreResult(kind, watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(
        QtConcurrent::run([kind, key] { return Secrets::storeInKeychain(kind, key); }));
}

void SettingsDialog::showStoreResult(const QString& kind, const Result<void>& result)
{
    KeyRow& row = m_keys[kind];
    row.store->setEnabled(true);
    // The variable a role of this kind names, else the provider's usual one.
    QString variable = Secrets::defaultEnvName(kind);
    for (const auto& [role, roleRow] : m_roles) {
        if (roleRow.provider->currentText() == kind && !roleRow.keyEnv->text().trimmed().isEmpty())
            variable = roleRow.keyEnv->text().trimmed();
    }
    if (result) {
        row.key->clear(); // it lives in the keychain now, not in this window
        setStatus(row.result,
                  tr("Stored in the keychain (service \"skillgrad\", account \"%1\"). It is used "
                     "when %2 is not set.")
                      .arg(kind, variable),
                  true);
    } else {
        setStatus(row.result,
                  tr("Not stored: %1. Give the key through the environment instead: set %2 before "
                     "starting SkillGrad "
                     "Studio (it is never written to the workspace).")
                      .arg(Redactor::scrub(result.error().message), variable),
                  false);
    }
    Q_EMIT keyStored(kind, result.ok());
}

} // namespace sg
