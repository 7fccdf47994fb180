#include "GradientsView.h"

#include "models/DiagnosisModel.h"
#include "run/IterationArtifacts.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace sg {

namespace {

const QString kTrajectoryLink = QStringLiteral("trajectory");

} // namespace

GradientsView::GradientsView(QWidget* parent) : QWidget(parent)
{
    m_model = new DiagnosisModel(this);
    m_filter = new DiagnosisFilterModel(this);
    m_filter->setSourceModel(m_model);

    m_kindCombo = new QComboBox(this);
    m_kindCombo->setObjectName(QStringLiteral("kindFilter"));
    m_kindCombo->setToolTip(
        tr("failure: the task failed. contrastive: it passes now and failed earlier in this run."));
    m_labelCombo = new QComboBox(this);
    m_labelCombo->setObjectName(QStringLiteral("labelFilter"));
    m_labelCombo->setEditable(true);
    m_labelCombo->setInsertPolicy(QComboBox::NoInsert);
    m_labelCombo->setMinimumContentsLength(28);
    m_labelCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_labelCombo->lineEdit()->setPlaceholderText(tr("All labels (type to filter)"));
    m_labelCombo->lineEdit()->setClearButtonEnabled(true);
    m_labelCombo->setToolTip(tr("Pick a label, or type a part of one"));
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("diagnosisCount"));

    auto* filters = new QHBoxLayout;
    auto* kindLabel = new QLabel(tr("&Kind:"), this);
    kindLabel->setBuddy(m_kindCombo);
    auto* labelLabel = new QLabel(tr("&Label:"), this);
    labelLabel->setBuddy(m_labelCombo);
    filters->addWidget(kindLabel);
    filters->addWidget(m_kindCombo);
    filters->addSpacing(12);
    filters->addWidget(labelLabel);
    filters->addWidget(m_labelCombo, 1);
    filters->addSpacing(12);
    filters->addWidget(m_countLabel);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("gradientsMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(6);
    m_message->hide();

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("diagnosisTable"));
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DiagnosisModel::TaskColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm(m_table->font());
    const int pad = fm.horizontalAdvance(QLatin1Char('M')) * 2;
    m_table->setColumnWidth(DiagnosisModel::TaskColumn,
                            fm.horizontalAdvance(QStringLiteral("nt-0000")) + pad);
    m_table->setColumnWidth(DiagnosisModel::KindColumn,
                            fm.horizontalAdvance(QStringLiteral("contrastive")) + pad);
    m_table->verticalHeader()->setDefaultSectionSize(fm.height() + 8);

    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("diagnosisHeading"));
    m_heading->setTextFormat(Qt::RichText);
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("diagnosisProse"));
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select a diagnosis to read what the diagnoser wrote."));
    auto* detailPane = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detailPane);
    detailLayout->setContentsMargins(0, 4, 0, 0);
    detailLayout->addWidget(m_heading);
    detailLayout->addWidget(m_detail, 1);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(detailPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    m_body = splitter;

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(m_message);
    layout->addWidget(m_body, 1);

    connect(m_kindCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_filter->setKind(m_kindCombo->itemData(index).toString());
        updateDetail();
    });
    connect(m_labelCombo, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        m_filter->setLabel(text);
        updateDetail();
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &GradientsView::updateDetail);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &GradientsView::updateDetail);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &GradientsView::updateDetail);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &GradientsView::updateDetail);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &GradientsView::updateDetail);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        Q_EMIT trajectoryRequested(index.data(DiagnosisModel::TaskRole).toString());
    });
    connect(m_heading, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link == kTrajectoryLink && !selectedTask().isEmpty())
            Q_EMIT trajectoryRequested(selectedTask());
    });
    updateFilterChoices();
    updateDetail();
}

void GradientsView::setArtifacts(const IterationArtifacts& artifacts)
{
    const QString selected = selectedTask();
    m_evidence.clear();
    if (artifacts.outcomes().value)
        for (const TaskOutcome& o : artifacts.outcomes().value->outcomes)
            m_evidence.insert(o.task, o.outcome.evidence);

    const int n = artifacts.iteration();
    const auto& diagnoses = artifacts.diagnoses();
    QString message;
    if (n == 0) {
        message = tr(
            "Iteration 0 is the selection pass: the seed skill run over the train pool to find the "
            "tasks it "
            "fails. It has outcomes and trajectories (see the Trajectory tab), but no diagnoses.");
    } else if (diagnoses.error) {
        message = tr("The diagnoses could not be read — %1").arg(diagnoses.error->text());
    } else if (diagnoses.missing()) {
        message = tr("Not yet: iteration %1's diagnoses are written once every task of its batch "
                     "has been graded "
                     "and diagnosed.")
                      .arg(n);
    } else if (diagnoses.value->empty()) {
        const auto& decision = artifacts.decision();
        message = tr("No diagnoses in iteration %1: no task of the batch failed, and none passed "
                     "after failing earlier.")
                      .arg(n);
        if (decision.value && !decision.value->reason.isEmpty())
            message += QLatin1Char(' ') + tr("(%1)").arg(decision.value->reason);
    }
    if (!message.isEmpty()) {
        showMessage(message);
        return;
    }
    m_message->hide();
    m_body->setEnabled(true);
    m_model->setDiagnoses(*diagnoses.value);
    updateFilterChoices();
    if (!selected.isEmpty())
        selectTask(selected);
    if (!m_table->currentIndex().isValid() && m_filter->rowCount() > 0)
        m_table->setCurrentIndex(m_filter->index(0, 0));
    updateDetail();
}

void GradientsView::showMessage(const QString& text)
{
    m_model->setDiagnoses({});
    m_evidence.clear();
    updateFilterChoices();
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_body->setEnabled(false);
    updateDetail();
}

void GradientsView::setKindFilter(const QString& kind)
{
    const int index = m_kindCombo->findData(kind);
    m_kindCombo->setCurrentIndex(index < 0 ? 0 : index);
}

void GradientsView::setLabelFilter(const QString& label)
{
    m_labelCombo->setCurrentText(label);
}

void GradientsView::selectTask(const QString& task)
{
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QModelIndex index = m_filter->index(row, 0);
        if (index.data(DiagnosisModel::TaskRole).toString() == task) {
            m_table->setCurrentIndex(index);
            m_table->scrollTo(index);
            return;
        }
    }
}

QString GradientsView::selectedTask() const
{
    const QModelIndex index = m_table->currentIndex();
    return index.isValid() ? index.data(DiagnosisModel::TaskRole).toString() : QString();
}

QString GradientsView::detailText() const
{
    return m_detail->toPlainText();
}

QString GradientsView::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void GradientsView::updateFilterChoices()
{
    // Keep what the reader chose across reloads; only the counts and labels change.
    const QString kind = m_kindCombo->currentData().toString();
    const QString label = m_labelCombo->currentText();
    const QSignalBlocker kindBlock(m_kindCombo);
    const QSignalBlocker labelBlock(m_labelCombo);
    m_kindCombo->clear();
    m_kindCombo->addItem(tr("All kinds (%1)").arg(m_model->rowCount()), QString());
    m_kindCombo->addItem(tr("Failure (%1)").arg(m_model->countOfKind(QStringLiteral("failure"))),
                         QStringLiteral("failure"));
    m_kindCombo->addItem(
        tr("Contrastive (%1)").arg(m_model->countOfKind(QStringLiteral("contrastive"))),
        QStringLiteral("contrastive"));
    m_kindCombo->setCurrentIndex(std::max(0, m_kindCombo->findData(kind)));
    m_labelCombo->clear();
    m_labelCombo->addItem(QString());
    m_labelCombo->addItems(m_model->labels());
    m_labelCombo->setCurrentText(label);
    m_filter->setKind(kind);
    m_filter->setLabel(label);
}

void GradientsView::updateDetail()
{
    const int shown = m_filter->rowCount();
    const int total = m_model->rowCount();
    const QString noun = total == 1 ? tr("diagnosis") : tr("diagnoses");
    m_countLabel->setText(shown == total ? tr("%1 %2").arg(total).arg(noun)
                                         : tr("%1 of %2 %3").arg(shown).arg(total).arg(noun));

    QModelIndex current = m_table->currentIndex();
    if (!current.isValid() && shown > 0) {
        // A filter hid the selected row: show the first one left rather than nothing.
        const QSignalBlocker block(m_table->selectionModel());
        m_table->setCurrentIndex(m_filter->index(0, 0));
        current = m_table->currentIndex();
    }
    if (!current.isValid()) {
        m_heading->setText(total > 0 ? tr("<i>No diagnosis matches the filters.</i>") : QString());
        m_detail->clear();
        return;
    }
    const QString task = current.data(DiagnosisModel::TaskRole).toString();
    const QString kind = current.data(DiagnosisModel::KindRole).toString();
    const QString label = current.data(DiagnosisModel::LabelRole).toString();
    m_heading->setText(tr("<b>%1</b> · %2 · <i>%3</i> &nbsp; <a href=\"%4\">Open trajectory</a>")
                           .arg(task.toHtmlEscaped(), kind.toHtmlEscaped(), label.toHtmlEscaped(),
                                kTrajectoryLink));
    QString text = current.data(DiagnosisModel::ProseRole).toString();
    const QString evidence = m_evidence.value(task);
    if (!evidence.isEmpty())
        text += QStringLiteral("\n\n") + tr("Grader evidence: %1").arg(evidence);
    else if (m_evidence.contains(task))
        text += QStringLiteral("\n\n") + tr("Grader: the answer matched.");
    m_detail->setPlainText(text);
}

} // namespace sg
