#include "views/AccuracyChart.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QValueAxis>
#include <QXYSeries>

using namespace sg;

namespace {

TimelinePoint point(int iteration, const QString& decision, std::optional<double> batch,
                    std::optional<double> val, const QString& proposal = {},
                    const QString& commit = {})
{
    TimelinePoint p;
    p.iteration = iteration;
    p.decision = decision;
    p.batchPassRate = batch;
    p.val = val;
    p.proposal = proposal;
    p.commit = commit;
    p.ended = decision != QLatin1String("running");
    return p;
}

// A run of eight iterations: val climbs from 0.35 to 0.75, with rejections, a failure and an
// edit on the way; the final point carries the test score.
std::vector<TimelinePoint> run()
{
    std::vector<TimelinePoint> points;
    TimelinePoint seed = point(0, QStringLiteral("seed"), 0.25, 0.35, {}, QStringLiteral("c0"));
    seed.test = 0.33;
    points.push_back(seed);
    points.push_back(point(1, QStringLiteral("accepted"), 0.25, 0.45, QStringLiteral("p1"),
                           QStringLiteral("c1")));
    points.push_back(point(2, QStringLiteral("rejected"), 0.5, 0.45, QStringLiteral("p2"),
                           QStringLiteral("c1")));
    points.push_back(point(3, QStringLiteral("accepted"), 0.5, 0.55, QStringLiteral("p3"),
                           QStringLiteral("c3")));
    points.push_back(point(4, QStringLiteral("failed"), 0.25, 0.55, {}, QStringLiteral("c3")));
    points.push_back(
        point(5, QStringLiteral("edited"), 0.75, 0.65, QStringLiteral("p5"), QStringLiteral("c5")));
    points.push_back(point(6, QStringLiteral("rejected"), 0.5, 0.65, QStringLiteral("p6"),
                           QStringLiteral("c5")));
    points.push_back(point(7, QStringLiteral("no-change"), 0.75, 0.65, {}, QStringLiteral("c5")));
    TimelinePoint last =
        point(8, QStringLiteral("accepted"), 1.0, 0.75, QStringLiteral("p8"), QStringLiteral("c8"));
    last.test = 0.71;
    points.push_back(last);
    return points;
}

} // namespace

class tst_AccuracyChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyStateUntilThereArePoints()
    {
        AccuracyChart chart;
        QCOMPARE(chart.objectName(), QStringLiteral("accuracyChart"));
        QVERIFY(chart.showsEmptyState());
        auto* empty = chart.findChild<QLabel*>(QStringLiteral("accuracyChartEmpty"));
        QVERIFY(empty);
        QVERIFY(empty->text().contains(QStringLiteral("press Run")));
        chart.setPoints(run());
        QVERIFY(!chart.showsEmptyState());
        chart.clear();
        QVERIFY(chart.showsEmptyState());
        QCOMPARE(chart.pointCount(AccuracyChart::kValSeries), 0);
    }

    void seriesHoldTheScores()
    {
        AccuracyChart chart;
        chart.setPoints(run());
        QCOMPARE(chart.pointCount(AccuracyChart::kBatchSeries), 9);
        QCOMPARE(chart.pointCount(AccuracyChart::kValSeries), 9);
        const QList<QPointF> val = chart.seriesPoints(AccuracyChart::kValSeries);
        QCOMPARE(val.first(), QPointF(0, 0.35));
        QCOMPARE(val.last(), QPointF(8, 0.75));
        QCOMPARE(chart.seriesPoints(AccuracyChart::kBatchSeries).at(2), QPointF(2, 0.5));
        // Test scores exist for the seed and the final version only.
        QCOMPARE(chart.seriesPoints(AccuracyChart::kTestSeries),
                 (QList<QPointF>{{0, 0.33}, {8, 0.71}}));
        QCOMPARE(chart.pointCount(QStringLiteral("no such series")), -1);
    }

    void axesAreScoreAndIteration()
    {
        AccuracyChart chart;
        chart.setPoints(run());
        const auto vertical = chart.chart()->axes(Qt::Vertical);
        const auto horizontal = chart.chart()->axes(Qt::Horizontal);
        QCOMPARE(vertical.size(), 1);
        QCOMPARE(horizontal.size(), 1);
        QCOMPARE(vertical.first()->titleText(), QStringLiteral("score"));
        QCOMPARE(horizontal.first()->titleText(), QStringLiteral("iteration"));
        auto* x = qobject_cast<QValueAxis*>(horizontal.first());
        auto* y = qobject_cast<QValueAxis*>(vertical.first());
        QVERIFY(x && y);
        QCOMPARE(y->min(), 0.0);
        QCOMPARE(y->max(), 1.0);
        QVERIFY(x->min() <= 0 && x->max() >= 8 && x->max() < 9);
    }

    void markersFollowTheDecisions()
    {
        AccuracyChart chart;
        chart.setPoints(run());
        // accepted and edited: 1, 3, 5, 8; rejected: 2, 6; failed: 4; seed and no-change: none.
        QCOMPARE(chart.seriesPoints(AccuracyChart::kAcceptedSeries),
                 (QList<QPointF>{{1, 0.45}, {3, 0.55}, {5, 0.65}, {8, 0.75}}));
        QCOMPARE(chart.seriesPoints(AccuracyChart::kRejectedSeries),
                 (QList<QPointF>{{2, 0.45}, {6, 0.65}}));
        QCOMPARE(chart.seriesPoints(AccuracyChart::kFailedSeries), (QList<QPointF>{{4, 0.55}}));
    }

    void aRunningIterationHasNoScoresYet()
    {
        AccuracyChart chart;
        auto points = run();
        points.resize(3);
        points.push_back(point(3, QStringLiteral("running"), std::nullopt, std::nullopt));
        chart.setPoints(points);
        QCOMPARE(chart.pointCount(AccuracyChart::kValSeries), 3);
        QCOMPARE(chart.pointCount(AccuracyChart::kBatchSeries), 3);
        QCOMPARE(chart.pointCount(AccuracyChart::kAcceptedSeries), 1);
    }

    void updatesReplaceRatherThanAdd()
    {
        AccuracyChart chart;
        const int seriesBefore = int(chart.chart()->series().size());
        auto points = run();
        for (std::size_t n = 1; n <= points.size(); ++n) {
            chart.setPoints(
                std::vector<TimelinePoint>(points.begin(), points.begin() + std::ptrdiff_t(n)));
            QCOMPARE(chart.pointCount(AccuracyChart::kValSeries), int(n));
        }
        chart.setPoints(points);
        chart.setPoints(points);
        QCOMPARE(chart.pointCount(AccuracyChart::kValSeries), 9);
        QCOMPARE(chart.pointCount(AccuracyChart::kAcceptedSeries), 4);
        QCOMPARE(int(chart.chart()->series().size()), seriesBefore);
        // A resumed run drops the later iterations: the chart shrinks with it.
        points.resize(4);
        chart.setPoints(points);
        QCOMPARE(chart.pointCount(AccuracyChart::kValSeries), 4);
        QCOMPARE(chart.pointCount(AccuracyChart::kRejectedSeries), 1);
        auto* x = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).first());
        QVERIFY(x->max() < 4);
    }

    void simulatedScoresSaySo()
    {
        AccuracyChart chart;
        chart.setPoints(run());
        QVERIFY(!chart.title().contains(QStringLiteral("SIMULATED")));
        chart.setSimulated(true);
        QVERIFY(chart.title().contains(QStringLiteral("SIMULATED scores (sim provider)")));
        chart.setSimulated(false);
        QVERIFY(!chart.title().contains(QStringLiteral("SIMULATED")));
    }

    void clickPicksTheVersion_data()
    {
        QTest::addColumn<QString>("series");
        QTest::addColumn<QPointF>("at");
        QTest::addColumn<int>("iteration");
        QTest::addColumn<QString>("sha");
        QTest::newRow("accepted: the new commit")
            << AccuracyChart::kAcceptedSeries << QPointF(3, 0.55) << 3 << "c3";
        QTest::newRow("edited: the new commit")
            << AccuracyChart::kAcceptedSeries << QPointF(5, 0.65) << 5 << "c5";
        QTest::newRow("rejected: the proposal")
            << AccuracyChart::kRejectedSeries << QPointF(6, 0.65) << 6 << "p6";
        QTest::newRow("failed: main's version")
            << AccuracyChart::kFailedSeries << QPointF(4, 0.55) << 4 << "c3";
        QTest::newRow("seed") << AccuracyChart::kValSeries << QPointF(0, 0.35) << 0 << "c0";
        QTest::newRow("no change, near the point")
            << AccuracyChart::kValSeries << QPointF(7.3, 0.64) << 7 << "c5";
        QTest::newRow("batch line")
            << AccuracyChart::kBatchSeries << QPointF(1.9, 0.5) << 2 << "p2";
        QTest::newRow("test line, final point")
            << AccuracyChart::kTestSeries << QPointF(8, 0.71) << 8 << "c8";
    }

    void clickPicksTheVersion()
    {
        QFETCH(QString, series);
        QFETCH(QPointF, at);
        QFETCH(int, iteration);
        QFETCH(QString, sha);
        AccuracyChart chart;
        chart.setPoints(run());
        QSignalSpy spy(&chart, &AccuracyChart::pointClicked);
        QXYSeries* s = chart.series(series);
        QVERIFY(s);
        Q_EMIT s->clicked(at);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), iteration);
        QCOMPARE(spy.at(0).at(1).toString(), sha);
    }

    void mouseClickOnAMarker()
    {
        AccuracyChart chart;
        chart.resize(800, 450);
        chart.setPoints(run());
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        auto* view = chart.findChild<QChartView*>(QStringLiteral("accuracyChartView"));
        QVERIFY(view);
        QSignalSpy spy(&chart, &AccuracyChart::pointClicked);
        const QPointF scene = chart.chart()->mapToPosition(
            QPointF(6, 0.65), chart.series(AccuracyChart::kRejectedSeries));
        const QPoint pos = view->mapFromScene(chart.chart()->mapToScene(scene));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pos);
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= 1, 2000);
        QCOMPARE(spy.at(0).at(0).toInt(), 6);
        QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("p6"));
    }

    void clickWithoutPointsDoesNothing()
    {
        AccuracyChart chart;
        QSignalSpy spy(&chart, &AccuracyChart::pointClicked);
        Q_EMIT chart.series(AccuracyChart::kValSeries)->clicked(QPointF(1, 0.5));
        QCOMPARE(spy.count(), 0);
    }
};

QTEST_MAIN(tst_AccuracyChart)
#include "tst_AccuracyChart.moc"
