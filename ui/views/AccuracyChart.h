#pragma once

#include "run/RunTimeline.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <vector>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QStackedWidget;
class QValueAxis;
class QXYSeries;

namespace sg {

// The accuracy chart (issue 10): per iteration, the train batch's pass rate, main's val score
// and the test score (the seed's and the final version's), with the gate's decisions marked on
// the val line. Clicking a point asks for that version in the history.
class AccuracyChart : public QWidget
{
    Q_OBJECT
public:
    // Series names, as the legend shows them.
    static const QString kBatchSeries;
    static const QString kValSeries;
    static const QString kTestSeries;
    static const QString kAcceptedSeries; // accepted and edited proposals
    static const QString kRejectedSeries;
    static const QString kFailedSeries;

    explicit AccuracyChart(QWidget* parent = nullptr);

    // Cheap enough for every update of a running run: the series are kept and their points
    // replaced.
    void setPoints(const std::vector<TimelinePoint>& points);
    // The sim provider's scores are synthetic, and the chart says so.
    void setSimulated(bool simulated);
    void clear();

    // For tests and the status bar.
    int pointCount(const QString& seriesName) const;
    QList<QPointF> seriesPoints(const QString& seriesName) const;
    QXYSeries* series(const QString& seriesName) const;
    QString title() const;
    bool showsEmptyState() const;
    QChart* chart() const { return m_chart; }

Q_SIGNALS:
    // The version a click picked: the new commit of an accepted point, the proposal of a
    // rejected one, main's version otherwise.
    void pointClicked(int iteration, const QString& commitOrProposalSha);

private:
    void onClicked(const QPointF& point);
    void onHovered(const QPointF& point, bool state);
    QList<QXYSeries*> allSeries() const; // in legend order; lines first, so markers draw on top
    const TimelinePoint* nearest(double x) const;
    void updateTitle();
    void updateXRange();

    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QChartView* m_view = nullptr;
    QChart* m_chart = nullptr;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    QLineSeries* m_batch = nullptr;
    QLineSeries* m_val = nullptr;
    QScatterSeries* m_test = nullptr;
    QScatterSeries* m_accepted = nullptr;
    QScatterSeries* m_rejected = nullptr;
    QScatterSeries* m_failed = nullptr;
    std::vector<TimelinePoint> m_points;
    bool m_simulated = false;
};

} // namespace sg
