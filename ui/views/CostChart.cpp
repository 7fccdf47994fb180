#include "CostChart.h"

#include "workspace/WorkspaceConfig.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QRadioButton>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <map>

namespace sg {

const QString CostChart::kAllRoles = QStringLiteral("all roles");

namespace {

constexpr double kTokensPerUnit = 1000; // the token axis counts thousands
const QString kNoteStyle = QStringLiteral("color: #8a5a00;");

// Okabe–Ito colours, as the accuracy chart uses: apart for the common kinds of colour blindness.
QColor roleColour(const QString& role)
{
    static const std::map<QString, QColor> colours{
        {QStringLiteral("executor"), QColor(0x00, 0x72, 0xB2)},
        {QStringLiteral("failure-diagnoser"), QColor(0xD5, 0x5E, 0x00)},
        {QStringLiteral("contrastive-diagnoser"), QColor(0xE6, 0x9F, 0x00)},
        {QStringLiteral("momentum"), QColor(0x00, 0x9E, 0x73)},
        {QStringLiteral("patcher"), QColor(0xCC, 0x79, 0xA7)},
        {CostChart::kAllRoles, QColor(0x88, 0x88, 0x88)}};
    const auto it = colours.find(role);
    return it != colours.end() ? it->second : QColor(0x56, 0xB4, 0xE9);
}

QString tokens(qint64 n)
{
    if (n >= 1000000)
        return QStringLiteral("%1 M").arg(double(n) / 1e6, 0, 'f', 2);
    if (n >= 1000)
        return QStringLiteral("%1 k").arg(double(n) / 1e3, 0, 'f', 1);
    return QString::number(n);
}

QString dollars(double usd)
{
    return QStringLiteral("$%1").arg(usd, 0, 'f', usd > 0 && usd < 0.01 ? 4 : 2);
}

Error unreadable(const QString& what)
{
    return Error{
        QStringLiteral("the usage cannot be read: %1").arg(what),
        QStringLiteral("pass a run's usage.json, or the lines of its calls.jsonl or events.jsonl"),
        {},
        QStringLiteral("invalid")};
}

// A "usage" event: one iteration's totals (DESIGN.md 3), split by role only when it says so.
UsageLedger::Row eventRow(const nlohmann::json& e)
{
    UsageLedger::Row row;
    row.role = e.contains("role") && e.at("role").is_string()
                   ? QString::fromStdString(e.at("role").get<std::string>())
                   : CostChart::kAllRoles;
    row.iteration = e.value("iteration", e.value("iter", -1));
    row.calls = e.value("calls", qint64(0));
    row.cacheHits = e.value("cache_hits", qint64(0));
    row.inputTokens = e.value("input_tokens", qint64(0));
    row.outputTokens = e.value("output_tokens", qint64(0));
    row.costUsd = e.value("cost_usd", 0.0);
    row.fullyPriced = e.value("fully_priced", true);
    return row;
}

} // namespace

CostChart::CostChart(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("costChart"));

    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation); // rebuilt as calls arrive
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_series = new QStackedBarSeries;
    m_series->setBarWidth(0.7);
    m_chart->addSeries(m_series);
    m_x = new QBarCategoryAxis;
    m_x->setTitleText(tr("iteration"));
    m_y = new QValueAxis;
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    connect(m_series, &QStackedBarSeries::hovered, this,
            [this](bool on, int index, QBarSet* set) { onHovered(on, index, set); });

    m_view = new QChartView(m_chart);
    m_view->setObjectName(QStringLiteral("costChartView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(320, 220);

    m_empty = new QLabel(tr("No LLM calls yet"));
    m_empty->setObjectName(QStringLiteral("costChartEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);

    m_costButton = new QRadioButton(tr("Cost (USD)"));
    m_costButton->setObjectName(QStringLiteral("costButton"));
    m_tokensButton = new QRadioButton(tr("Tokens"));
    m_tokensButton->setObjectName(QStringLiteral("tokensButton"));
    auto* group = new QButtonGroup(this);
    group->addButton(m_costButton);
    group->addButton(m_tokensButton);
    m_costButton->setChecked(true);
    connect(m_costButton, &QRadioButton::toggled, this,
            [this](bool on) { setMeasure(on ? Measure::Cost : Measure::Tokens); });

    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("costNote"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(kNoteStyle);

    m_stack = new QStackedWidget;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);
    auto* toggles = new QHBoxLayout;
    toggles->addWidget(new QLabel(tr("Show")));
    toggles->addWidget(m_costButton);
    toggles->addWidget(m_tokensButton);
    toggles->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(toggles);
    layout->addWidget(m_note);
    layout->addWidget(m_stack, 1);
    rebuild();
}

Result<std::vector<UsageLedger::Row>> CostChart::rowsFrom(const nlohmann::json& usage,
                                                          const PriceTable& prices)
{
    if (usage.is_object() && usage.contains("rows")) {
        auto ledger = UsageLedger::fromJson(usage, prices);
        if (!ledger)
            return ledger.error();
        return ledger->rows();
    }
    if (!usage.is_array())
        return unreadable(QStringLiteral("it is neither usage.json nor a list of lines"));

    // calls.jsonl books every call by role; "usage" events only sum up each iteration.
    UsageLedger ledger(prices);
    bool booked = false;
    std::map<int, UsageLedger::Row> totals;
    for (const nlohmann::json& line : usage) {
        if (!line.is_object())
            continue;
        const std::string type = line.value("type", std::string());
        if (type == "call") {
            auto entry = UsageLedger::Entry::fromJson(line);
            if (!entry)
                return unreadable(entry.error().message);
            ledger.apply(entry.value());
            booked = true;
        } else if (type == "usage") {
            try {
                const UsageLedger::Row row = eventRow(line);
                totals[row.iteration] =
                    row; // a resumed run reports an iteration again: the last one counts
            } catch (const nlohmann::json::exception& e) {
                return unreadable(QString::fromUtf8(e.what()));
            }
        }
    }
    if (booked)
        return ledger.rows();
    std::vector<UsageLedger::Row> rows;
    for (const auto& [iteration, row] : totals)
        rows.push_back(row);
    return rows;
}

Result<void> CostChart::setUsage(const nlohmann::json& usage, const PriceTable& prices)
{
    auto rows = rowsFrom(usage, prices);
    if (!rows)
        return rows.error();
    setRows(rows.value());
    return {};
}

void CostChart::setRows(const std::vector<UsageLedger::Row>& rows)
{
    m_rows = rows;
    m_roles.clear();
    m_iterations.clear();
    for (const QString& role : WorkspaceConfig::roleNames()) {
        if (std::any_of(m_rows.begin(), m_rows.end(),
                        [&role](const UsageLedger::Row& r) { return r.role == role; }))
            m_roles << role;
    }
    QStringList others;
    for (const UsageLedger::Row& r : m_rows) {
        if (!m_roles.contains(r.role) && !others.contains(r.role))
            others << r.role;
        if (!m_iterations.contains(r.iteration))
            m_iterations << r.iteration;
    }
    others.sort();
    if (others.removeAll(kAllRoles) > 0)
        others << kAllRoles;
    m_roles << others;
    std::sort(m_iterations.begin(), m_iterations.end());
    rebuild();
}

void CostChart::setIterationLabels(const std::map<int, QString>& labels)
{
    m_labels = labels;
    rebuild();
}

void CostChart::setSimulated(bool simulated)
{
    m_simulated = simulated;
    // Every sim bar would be $0: its tokens are what there is to see.
    if (simulated)
        setMeasure(Measure::Tokens);
    rebuild();
}

void CostChart::setMeasure(Measure measure)
{
    const QSignalBlocker blockCost(m_costButton);
    const QSignalBlocker blockTokens(m_tokensButton);
    (measure == Measure::Cost ? m_costButton : m_tokensButton)->setChecked(true);
    if (measure == m_measure)
        return;
    m_measure = measure;
    rebuild();
    Q_EMIT measureChanged(measure);
}

void CostChart::clear()
{
    setRows({});
}

double CostChart::valueOf(const UsageLedger::Row& row) const
{
    return m_measure == Measure::Cost ? row.costUsd
                                      : double(row.inputTokens + row.outputTokens) / kTokensPerUnit;
}

void CostChart::rebuild()
{
    m_series->clear();
    QStringList labels;
    for (int iteration : m_iterations) {
        const auto named = m_labels.find(iteration);
        labels << (named != m_labels.end() ? named->second
                   : iteration == 0        ? tr("seed")
                                           : QString::number(iteration));
    }
    m_x->clear();
    m_x->append(labels);

    QList<double> stacked(m_iterations.size(), 0.0);
    for (const QString& role : m_roles) {
        QList<qreal> values(m_iterations.size(), 0.0);
        UsageLedger::Row sum;
        for (const UsageLedger::Row& r : m_rows) {
            if (r.role != role)
                continue;
            const qsizetype at = m_iterations.indexOf(r.iteration);
            values[at] += valueOf(r);
            stacked[at] += valueOf(r);
            sum.costUsd += r.costUsd;
            sum.inputTokens += r.inputTokens;
            sum.outputTokens += r.outputTokens;
        }
        // The legend carries each role's total: a role too small to see in the bars still shows.
        const QString total = m_measure == Measure::Cost
                                  ? dollars(sum.costUsd)
                                  : tokens(sum.inputTokens + sum.outputTokens) + tr(" tokens");
        auto* set = new QBarSet(QStringLiteral("%1 — %2").arg(role, total));
        set->setObjectName(role);
        set->setColor(roleColour(role));
        set->setBorderColor(roleColour(role).darker(130));
        set->append(values);
        m_series->append(set);
    }

    const double top = stacked.isEmpty() ? 0.0 : *std::max_element(stacked.begin(), stacked.end());
    if (m_measure == Measure::Cost) {
        m_y->setTitleText(tr("cost (USD)"));
        m_y->setLabelFormat(top > 0 && top < 0.1 ? QStringLiteral("$%.3f")
                                                 : QStringLiteral("$%.2f"));
    } else {
        m_y->setTitleText(tr("tokens, input + output"));
        m_y->setLabelFormat(QStringLiteral("%.0f k"));
    }
    m_y->setRange(0, top > 0 ? top * 1.08 : 1.0);
    if (top > 0)
        m_y->applyNiceNumbers();

    const QString what = m_measure == Measure::Cost
                             ? tr("Cost per role and iteration: %1 in all").arg(dollars(total()))
                             : tr("Tokens per role and iteration: %1 in all")
                                   .arg(tokens(qint64(total() * kTokensPerUnit)));
    m_chart->setTitle(
        m_simulated && m_measure == Measure::Cost ? what + tr(" — no cost: sim (prices 0)") : what);
    updateNote();
    m_stack->setCurrentWidget(m_rows.empty() ? static_cast<QWidget*>(m_empty) : m_view);
}

void CostChart::updateNote()
{
    QStringList notes;
    double cost = 0;
    qint64 tokenCount = 0;
    bool priced = true;
    for (const UsageLedger::Row& r : m_rows) {
        cost += r.costUsd;
        tokenCount += r.inputTokens + r.outputTokens;
        priced = priced && r.fullyPriced;
    }
    if (m_simulated)
        notes << tr("No cost: sim (prices 0). The sim provider answers offline, so the dollars are "
                    "0 and the tokens "
                    "count a synthetic conversation.");
    else if (!m_rows.empty() && cost == 0 && tokenCount > 0)
        notes << tr(
            "No cost recorded: the models are priced at 0, or every answer came from the cache.");
    if (!priced)
        notes << tr("Some models have no price, so the cost is a lower bound: add their prices in "
                    "Settings.");
    if (std::any_of(m_rows.begin(), m_rows.end(),
                    [](const UsageLedger::Row& r) { return r.role == kAllRoles; }))
        notes << tr(
            "Per-iteration totals only: the split by role arrives with the run's usage.json.");
    m_note->setText(notes.join(QLatin1Char(' ')));
    m_note->setVisible(!notes.isEmpty());
}

void CostChart::onHovered(bool on, int index, QBarSet* set)
{
    if (!on || !set || index < 0 || index >= m_iterations.size()) {
        QToolTip::hideText();
        return;
    }
    const QString role = set->objectName();
    for (const UsageLedger::Row& r : m_rows) {
        if (r.role == role && r.iteration == m_iterations.at(index)) {
            QToolTip::showText(
                QCursor::pos(),
                tr("%1, iteration %2\n%3 · %4 in / %5 out tokens\n%6 calls, %7 cache hits%8")
                    .arg(role)
                    .arg(r.iteration)
                    .arg(dollars(r.costUsd), tokens(r.inputTokens), tokens(r.outputTokens))
                    .arg(r.calls)
                    .arg(r.cacheHits)
                    .arg(r.fullyPriced ? QString()
                                       : tr("\nunpriced model: the cost is a lower bound")),
                m_view);
            return;
        }
    }
}

QStringList CostChart::roles() const
{
    return m_roles;
}

QStringList CostChart::categories() const
{
    return m_x->categories();
}

QList<qreal> CostChart::values(const QString& role) const
{
    for (const QBarSet* set : m_series->barSets()) {
        if (set->objectName() == role) {
            QList<qreal> out;
            for (int i = 0; i < set->count(); ++i)
                out << set->at(i);
            return out;
        }
    }
    return {};
}

double CostChart::total() const
{
    double sum = 0;
    for (const UsageLedger::Row& r : m_rows)
        sum += valueOf(r);
    return sum;
}

QString CostChart::note() const
{
    return m_note->text();
}

QString CostChart::title() const
{
    return m_chart->title();
}

bool CostChart::showsEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

} // namespace sg
