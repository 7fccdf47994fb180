#include "AccuracyChart.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QStackedWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace sg {

const QString AccuracyChart::kBatchSeries = QStringLiteral("train batch pass rate");
const QString AccuracyChart::kValSeries = QStringLiteral("val");
const QString AccuracyChart::kTestSeries = QStringLiteral("test");
const QString AccuracyChart::kAcceptedSeries = QStringLiteral("accepted");
const QString AccuracyChart::kRejectedSeries = QStringLiteral("rejected");
const QString AccuracyChart::kFailedSeries = QStringLiteral("failed");

namespace {

const QString kTitle = QStringLiteral("Scores per iteration");
const QString kSimulatedNote = QStringLiteral("SIMULATED scores (sim provider)");

// Colours that stay apart for the common kinds of colour blindness (Okabe–Ito).
const QColor kBatchColour(0xE6, 0x9F, 0x00);
const QColor kValColour(0x00, 0x72, 0xB2);
const QColor kTestColour(0xCC, 0x79, 0xA7);
const QColor kAcceptedColour(0x00, 0x9E, 0x73);
const QColor kRejectedColour(0xD5, 0x5E, 0x00);
const QColor kFailedColour(0x88, 0x88, 0x88);
constexpr qreal kMarkerSize = 11;

QLineSeries* lineSeries(const QString& name, const QColor& colour, qreal width)
{
    auto* series = new QLineSeries;
    series->setName(name);
    QPen pen(colour, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    series->setPen(pen);
    series->setPointsVisible(true);
    return series;
}

QScatterSeries* markerSeries(const QString& name, const QColor& fill, const QColor& outline)
{
    auto* series = new QScatterSeries;
    series->setName(name);
    series->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    series->setMarkerSize(kMarkerSize);
    series->setBrush(fill);
    series->setPen(QPen(outline, 2));
    return series;
}

QString score(const std::optional<double>& value)
{
    return value ? QStringLiteral("%1").arg(*value, 0, 'f', 3) : QStringLiteral("–");
}

} // namespace

AccuracyChart::AccuracyChart(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("accuracyChart"));

    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation); // updates arrive every few seconds
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    m_chart->setMargins(QMargins(4, 4, 4, 4));

    m_batch = lineSeries(kBatchSeries, kBatchColour, 1.5);
    m_val = lineSeries(kValSeries, kValColour, 2.5);
    // The test score exists only for the seed and the final version: two markers, no line, since
    // a line would suggest test scores for the iterations in between.
    m_test = markerSeries(kTestSeries, kTestColour, kTestColour.darker(130));
    m_test->setMarkerShape(QScatterSeries::MarkerShapeRotatedRectangle);
    m_test->setMarkerSize(kMarkerSize + 3);
    m_accepted = markerSeries(kAcceptedSeries, kAcceptedColour, kAcceptedColour.darker(130));
    m_rejected = markerSeries(kRejectedSeries, Qt::white, kRejectedColour); // hollow
    m_failed = markerSeries(kFailedSeries, kFailedColour, kFailedColour.darker(130));

    m_x = new QValueAxis;
    m_x->setTitleText(tr("iteration"));
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
    m_x->setTickInterval(1);
    m_x->setMinorTickCount(0);
    m_y = new QValueAxis;
    m_y->setTitleText(tr("score"));
    m_y->setRange(0, 1);
    m_y->setTickCount(6);
    m_y->setLabelFormat(QStringLiteral("%.1f"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);

    // Markers last, so they are drawn over the lines.
    for (QXYSeries* s : allSeries()) {
        m_chart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        connect(s, &QXYSeries::clicked, this, &AccuracyChart::onClicked);
        connect(s, &QXYSeries::hovered, this, &AccuracyChart::onHovered);
    }
    m_view = new QChartView(m_chart);
    m_view->setObjectName(QStringLiteral("accuracyChartView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setRenderHint(QPainter::TextAntialiasing);
    m_view->setMinimumSize(320, 220);

    m_empty = new QLabel(tr("No run yet — press Run"));
    m_empty->setObjectName(QStringLiteral("accuracyChartEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false); // greyed, like a placeholder

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    updateTitle();
    clear();
}

void AccuracyChart::setPoints(const std::vector<TimelinePoint>& points)
{
    m_points = points;
    QList<QPointF> batch, val, test, accepted, rejected, failed;
    for (const TimelinePoint& p : m_points) {
        const double x = p.iteration;
        if (p.batchPassRate)
            batch << QPointF(x, *p.batchPassRate);
        if (p.test)
            test << QPointF(x, *p.test);
        if (!p.val)
            continue;
        val << QPointF(x, *p.val);
        if (p.decision == QLatin1String("accepted") || p.decision == QLatin1String("edited"))
            accepted << QPointF(x, *p.val);
        else if (p.decision == QLatin1String("rejected"))
            rejected << QPointF(x, *p.val);
        else if (p.decision == QLatin1String("failed"))
            failed << QPointF(x, *p.val);
    }
    m_batch->replace(batch);
    m_val->replace(val);
    m_test->replace(test);
    m_accepted->replace(accepted);
    m_rejected->replace(rejected);
    m_failed->replace(failed);
    updateXRange();
    m_stack->setCurrentWidget(m_points.empty() ? static_cast<QWidget*>(m_empty) : m_view);
}

void AccuracyChart::setSimulated(bool simulated)
{
    m_simulated = simulated;
    updateTitle();
}

void AccuracyChart::clear()
{
    setPoints({});
}

int AccuracyChart::pointCount(const QString& seriesName) const
{
    const QXYSeries* s = series(seriesName);
    return s ? s->count() : -1;
}

QList<QPointF> AccuracyChart::seriesPoints(const QString& seriesName) const
{
    const QXYSeries* s = series(seriesName);
    return s ? s->points() : QList<QPointF>{};
}

QXYSeries* AccuracyChart::series(const QString& seriesName) const
{
    for (QXYSeries* s : allSeries()) {
        if (s->name() == seriesName)
            return s;
    }
    return nullptr;
}

QString AccuracyChart::title() const
{
    return m_chart->title();
}

bool AccuracyChart::showsEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

void AccuracyChart::onClicked(const QPointF& point)
{
    const TimelinePoint* p = nearest(point.x());
    if (!p)
        return;
    QString sha = p->commit;
    if (p->decision == QLatin1String("accepted") || p->decision == QLatin1String("edited"))
        sha = p->commit.isEmpty() ? p->proposal : p->commit;
    else if (p->decision == QLatin1String("rejected"))
        sha = p->proposal.isEmpty() ? p->commit : p->proposal; // the version the gate turned down
    Q_EMIT pointClicked(p->iteration, sha);
}

void AccuracyChart::onHovered(const QPointF& point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const TimelinePoint* p = nearest(point.x());
    if (!p)
        return;
    QString text = p->iteration == 0 ? tr("Seed") : tr("Iteration %1").arg(p->iteration);
    if (!p->decision.isEmpty() && p->iteration != 0)
        text += QStringLiteral(": ") + p->decision;
    text += tr("\nbatch pass rate %1 · val %2 · test %3")
                .arg(score(p->batchPassRate), score(p->val), score(p->test));
    if (m_simulated)
        text += QStringLiteral("\n") + kSimulatedNote;
    text += tr("\nClick to show this version in the history.");
    QToolTip::showText(QCursor::pos(), text, m_view);
}

QList<QXYSeries*> AccuracyChart::allSeries() const
{
    return {m_batch, m_val, m_test, m_accepted, m_rejected, m_failed};
}

const TimelinePoint* AccuracyChart::nearest(double x) const
{
    const TimelinePoint* best = nullptr;
    double bestDistance = 0;
    for (const TimelinePoint& p : m_points) {
        const double d = std::abs(p.iteration - x);
        if (!best || d < bestDistance) {
            best = &p;
            bestDistance = d;
        }
    }
    return best;
}

void AccuracyChart::updateTitle()
{
    m_chart->setTitle(m_simulated ? kTitle + QStringLiteral(" — ") + kSimulatedNote : kTitle);
    QFont font = m_chart->titleFont();
    font.setBold(true);
    m_chart->setTitleFont(font);
    m_chart->setTitleBrush(m_simulated ? QBrush(kRejectedColour.darker(120))
                                       : palette().windowText());
}

void AccuracyChart::updateXRange()
{
    int last = 1;
    for (const TimelinePoint& p : m_points)
        last = std::max(last, p.iteration);
    // Half an iteration of air on each side keeps the end markers off the plot's edge; long runs
    // get fewer labels.
    m_x->setRange(-0.5, last + 0.5);
    m_x->setTickInterval(last <= 15 ? 1 : std::ceil(last / 15.0));
}

} // namespace sg
