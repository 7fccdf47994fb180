#pragma once

#include "common/Result.h"
#include "llm/PriceTable.h"
#include "llm/UsageLedger.h"

#include <nlohmann/json.hpp>

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <map>
#include <vector>

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QLabel;
class QRadioButton;
class QStackedBarSeries;
class QStackedWidget;
class QValueAxis;

namespace sg {

// What a run's LLM calls cost (issue 11): a stacked bar per iteration, one colour per role, in
// US dollars or in tokens. Fed from the usage ledger's rows — usage.json at the end of a run, or
// calls.jsonl as it grows; the per-iteration "usage" events carry only totals.
class CostChart : public QWidget
{
    Q_OBJECT
public:
    enum class Measure { Cost, Tokens };

    // The one "role" of totals that come without a split by role ("usage" events).
    static const QString kAllRoles;

    explicit CostChart(QWidget* parent = nullptr);

    // Rows per role and iteration, as UsageLedger::rows() gives them.
    void setRows(const std::vector<UsageLedger::Row>& rows);
    // usage.json (UsageLedger::toJson), or the lines of a run's calls.jsonl or events.jsonl as
    // one JSON array: "call" lines are booked per role with `prices`; without them, "usage"
    // events give each iteration's total. An error names what could not be read.
    Result<void> setUsage(const nlohmann::json& usage,
                          const PriceTable& prices = PriceTable::defaults());
    static Result<std::vector<UsageLedger::Row>>
    rowsFrom(const nlohmann::json& usage, const PriceTable& prices = PriceTable::defaults());

    // Names for iterations on the x axis, e.g. the final test evaluation a run books after its
    // last iteration; iteration 0 is "seed" (the seed skill's evaluation) unless named here.
    void setIterationLabels(const std::map<int, QString>& labels);
    // A sim run costs nothing (its price is 0), and the chart says so rather than look broken.
    void setSimulated(bool simulated);
    void setMeasure(Measure measure);
    Measure measure() const { return m_measure; }
    void clear();

    // For tests and the status bar.
    QStringList roles() const;      // in legend order
    QStringList categories() const; // the iterations on the x axis
    QList<qreal>
    values(const QString& role) const; // per category, as drawn: USD, or thousands of tokens
    double total() const;              // of all bars, as drawn
    QString note() const; // why the numbers may mislead (sim, unpriced models); may be empty
    QString title() const;
    bool showsEmptyState() const;
    QChart* chart() const { return m_chart; }

Q_SIGNALS:
    void measureChanged(sg::CostChart::Measure measure);

private:
    void rebuild();
    void updateNote();
    double valueOf(const UsageLedger::Row& row) const;
    void onHovered(bool on, int index, QBarSet* set);

    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QLabel* m_note = nullptr;
    QRadioButton* m_costButton = nullptr;
    QRadioButton* m_tokensButton = nullptr;
    QChartView* m_view = nullptr;
    QChart* m_chart = nullptr;
    QStackedBarSeries* m_series = nullptr;
    QBarCategoryAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    std::vector<UsageLedger::Row> m_rows;
    QStringList m_roles;     // the legend's order
    QList<int> m_iterations; // the x axis's order
    std::map<int, QString> m_labels;
    bool m_simulated = false;
    Measure m_measure = Measure::Cost;
};

} // namespace sg
