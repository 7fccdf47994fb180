#include "views/CostChart.h"

#include <QBarSet>
#include <QChart>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTest>

using namespace sg;

namespace {

nlohmann::json row(const char* role, int iteration, qint64 in, qint64 out, double usd,
                   bool priced = true)
{
    return {{"role", role},    {"iteration", iteration}, {"calls", 2},
            {"cache_hits", 1}, {"input_tokens", in},     {"output_tokens", out},
            {"cost_usd", usd}, {"fully_priced", priced}};
}

// usage.json of a two-iteration run: the executor in both, the optimizer roles in the second.
nlohmann::json usageJson()
{
    return {{"rows",
             {row("patcher", 1, 3000, 1000, 0.04), row("executor", 0, 10000, 2000, 0.012),
              row("executor", 1, 8000, 1000, 0.009), row("momentum", 1, 2000, 500, 0.02),
              row("failure-diagnoser", 1, 1500, 500, 0.015)}},
            {"unpriced_models", nlohmann::json::array()}};
}

QStringList legendLabels(const CostChart& chart)
{
    QStringList out;
    for (const QLegendMarker* marker : chart.chart()->legend()->markers())
        out << marker->label();
    return out;
}

} // namespace

class tst_CostChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void perRoleBarsFromUsageJson()
    {
        CostChart chart;
        QCOMPARE(chart.objectName(), QStringLiteral("costChart"));
        QVERIFY(chart.showsEmptyState());
        QVERIFY(chart.setUsage(usageJson()).ok());
        QVERIFY(!chart.showsEmptyState());
        QCOMPARE(chart.measure(), CostChart::Measure::Cost);
        // The design's role order, whatever the input's order.
        QCOMPARE(chart.roles(),
                 (QStringList{QStringLiteral("executor"), QStringLiteral("failure-diagnoser"),
                              QStringLiteral("momentum"), QStringLiteral("patcher")}));
        QCOMPARE(chart.categories(), (QStringList{QStringLiteral("seed"), QStringLiteral("1")}));
        QCOMPARE(chart.values(QStringLiteral("executor")), (QList<qreal>{0.012, 0.009}));
        QCOMPARE(chart.values(QStringLiteral("patcher")), (QList<qreal>{0.0, 0.04}));
        QCOMPARE(chart.values(QStringLiteral("momentum")), (QList<qreal>{0.0, 0.02}));
        QVERIFY(qFuzzyCompare(chart.total(), 0.096));
        QVERIFY2(chart.title().contains(QStringLiteral("$0.10")), qPrintable(chart.title()));

        auto* series = qobject_cast<QStackedBarSeries*>(chart.chart()->series().constFirst());
        QVERIFY(series);
        QCOMPARE(series->count(), 4);
        // A legend entry per role, with the role's total so small roles still show.
        const QStringList legend = legendLabels(chart);
        QCOMPARE(legend.size(), 4);
        QVERIFY2(legend.contains(QStringLiteral("patcher — $0.04")),
                 qPrintable(legend.join(QStringLiteral(" | "))));
        QVERIFY2(legend.contains(QStringLiteral("executor — $0.02")),
                 qPrintable(legend.join(QStringLiteral(" | "))));
        QVERIFY(chart.note().isEmpty());
        QVERIFY(!chart.findChild<QLabel*>(QStringLiteral("costNote"))->isVisibleTo(&chart));
    }

    void tokensAndCostToggle()
    {
        CostChart chart;
        QVERIFY(chart.setUsage(usageJson()).ok());
        QSignalSpy changed(&chart, &CostChart::measureChanged);
        chart.findChild<QRadioButton*>(QStringLiteral("tokensButton"))->click();
        QCOMPARE(chart.measure(), CostChart::Measure::Tokens);
        QCOMPARE(changed.count(), 1);
        // Thousands of tokens, input and output together.
        QCOMPARE(chart.values(QStringLiteral("executor")), (QList<qreal>{12.0, 9.0}));
        QCOMPARE(chart.values(QStringLiteral("patcher")), (QList<qreal>{0.0, 4.0}));
        QVERIFY(legendLabels(chart).contains(QStringLiteral("executor — 21.0 k tokens")));
        QVERIFY2(chart.title().startsWith(QStringLiteral("Tokens")), qPrintable(chart.title()));

        chart.findChild<QRadioButton*>(QStringLiteral("costButton"))->click();
        QCOMPARE(chart.measure(), CostChart::Measure::Cost);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(chart.values(QStringLiteral("executor")), (QList<qreal>{0.012, 0.009}));

        chart.setMeasure(CostChart::Measure::Tokens);
        QVERIFY(chart.findChild<QRadioButton*>(QStringLiteral("tokensButton"))->isChecked());
    }

    void simRunSaysItHasNoCost()
    {
        nlohmann::json usage = {
            {"rows", {row("executor", 0, 5000, 300, 0.0), row("patcher", 1, 2000, 400, 0.0)}}};
        CostChart chart;
        QVERIFY(chart.setUsage(usage).ok());
        chart.setSimulated(true);
        QVERIFY2(chart.note().contains(QStringLiteral("No cost: sim (prices 0)")),
                 qPrintable(chart.note()));
        QVERIFY(chart.findChild<QLabel*>(QStringLiteral("costNote"))->isVisibleTo(&chart));
        // Zero dollars would draw nothing, so a sim run opens on its tokens.
        QCOMPARE(chart.measure(), CostChart::Measure::Tokens);
        QCOMPARE(chart.values(QStringLiteral("executor")), (QList<qreal>{5.3, 0.0}));
        chart.setMeasure(CostChart::Measure::Cost);
        QVERIFY2(chart.title().contains(QStringLiteral("no cost: sim (prices 0)")),
                 qPrintable(chart.title()));

        chart.setSimulated(false); // zero cost without sim: said differently
        QVERIFY2(chart.note().contains(QStringLiteral("No cost recorded")),
                 qPrintable(chart.note()));
    }

    void unpricedModelsMakeTheCostALowerBound()
    {
        CostChart chart;
        QVERIFY(
            chart.setUsage(nlohmann::json{{"rows", {row("executor", 0, 1000, 100, 0.001, false)}}})
                .ok());
        QVERIFY2(chart.note().contains(QStringLiteral("lower bound")), qPrintable(chart.note()));
    }

    void liveInputFromCallsAndEvents()
    {
        // calls.jsonl lines: booked per role, priced by the table.
        const nlohmann::json calls = nlohmann::json::array({{{"seq", 0},
                                                             {"type", "call"},
                                                             {"role", "executor"},
                                                             {"iteration", 1},
                                                             {"cache_hit", false},
                                                             {"model", "sim"},
                                                             {"input_tokens", 900},
                                                             {"output_tokens", 100}},
                                                            {{"seq", 1},
                                                             {"type", "call"},
                                                             {"role", "patcher"},
                                                             {"iteration", 1},
                                                             {"cache_hit", false},
                                                             {"model", "sim"},
                                                             {"input_tokens", 1500},
                                                             {"output_tokens", 500}},
                                                            {{"seq", 2},
                                                             {"type", "call"},
                                                             {"role", "patcher"},
                                                             {"iteration", 1},
                                                             {"cache_hit", true}}});
        CostChart chart;
        QVERIFY(chart.setUsage(calls).ok());
        chart.setMeasure(CostChart::Measure::Tokens);
        QCOMPARE(chart.roles(),
                 (QStringList{QStringLiteral("executor"), QStringLiteral("patcher")}));
        QCOMPARE(chart.values(QStringLiteral("patcher")), (QList<qreal>{2.0}));

        // events.jsonl: "usage" events carry one iteration's total, and the chart says so.
        const nlohmann::json events =
            nlohmann::json::array({{{"seq", 3}, {"type", "iteration_started"}, {"iter", 1}},
                                   {{"seq", 9},
                                    {"type", "usage"},
                                    {"iter", 1},
                                    {"iteration", 1},
                                    {"calls", 80},
                                    {"cache_hits", 0},
                                    {"input_tokens", 100000},
                                    {"output_tokens", 3000},
                                    {"cost_usd", 0.0},
                                    {"fully_priced", true}},
                                   {{"seq", 19},
                                    {"type", "usage"},
                                    {"iter", 2},
                                    {"iteration", 2},
                                    {"calls", 80},
                                    {"cache_hits", 0},
                                    {"input_tokens", 50000},
                                    {"output_tokens", 2000},
                                    {"cost_usd", 0.0},
                                    {"fully_priced", true}}});
        QVERIFY(chart.setUsage(events).ok());
        chart.setIterationLabels({{2, QStringLiteral("final test")}});
        QCOMPARE(chart.categories(),
                 (QStringList{QStringLiteral("1"), QStringLiteral("final test")}));
        QCOMPARE(chart.roles(), QStringList{CostChart::kAllRoles});
        QCOMPARE(chart.values(CostChart::kAllRoles), (QList<qreal>{103.0, 52.0}));
        QVERIFY2(chart.note().contains(QStringLiteral("Per-iteration totals only")),
                 qPrintable(chart.note()));
    }

    void unreadableInputIsAnError()
    {
        CostChart chart;
        QVERIFY(chart.setUsage(usageJson()).ok());
        const auto result = chart.setUsage(nlohmann::json{{"rows", {{{"role", "executor"}}}}});
        QVERIFY(!result.ok());
        QVERIFY(!result.error().text().isEmpty());
        QVERIFY(!chart.setUsage(nlohmann::json("text")).ok());
        QCOMPARE(chart.roles().size(), 4); // the chart keeps what it showed

        chart.clear();
        QVERIFY(chart.showsEmptyState());
        QVERIFY(chart.roles().isEmpty());
    }
};

QTEST_MAIN(tst_CostChart)
#include "tst_CostChart.moc"
