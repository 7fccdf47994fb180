#include "SkillView.h"

#include "common/TextCodec.h"
#include "models/SkillTreeModel.h"
#include "skill/SkillValidator.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTreeView>
#include <QVBoxLayout>

namespace sg {

namespace {

constexpr int kProblemLineRole = Qt::UserRole + 1;
constexpr int kProblemFileRole = Qt::UserRole + 2;

// A front matter value on one line: a scalar as is, a map as "key value, …".
QString describe(const FrontMatter::Value& value)
{
    if (value.kind == FrontMatter::Kind::Scalar)
        return value.scalar;
    if (value.kind != FrontMatter::Kind::Map)
        return QStringLiteral("…");
    QStringList parts;
    for (const auto& entry : value.entries)
        parts << entry.key + QLatin1Char(' ') + describe(entry);
    return parts.join(QStringLiteral(", "));
}

} // namespace

SkillView::SkillView(QWidget* parent) : QWidget(parent)
{
    m_model = new SkillTreeModel(this);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("skillTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(SkillTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(SkillTreeModel::LayerColumn, QHeaderView::ResizeToContents);

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("frontMatter"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setMargin(6);

    m_rendered = new QTextBrowser(this);
    m_rendered->setObjectName(QStringLiteral("renderedView"));
    m_rendered->setOpenLinks(false);
    m_source = new QPlainTextEdit(this);
    m_source->setObjectName(QStringLiteral("sourceView"));
    m_source->setReadOnly(true);
    m_source->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_rendered, tr("Rendered"));
    m_tabs->addTab(m_source, tr("Source"));

    m_problems = new QListWidget(this);
    m_problems->setObjectName(QStringLiteral("problemList"));

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_header);
    rightLayout->addWidget(m_tabs, 1);

    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(right);
    vertical->addWidget(m_problems);
    vertical->setStretchFactor(0, 1);
    vertical->setSizes({700, 90});

    auto* horizontal = new QSplitter(Qt::Horizontal, this);
    horizontal->addWidget(m_tree);
    horizontal->addWidget(vertical);
    horizontal->setStretchFactor(1, 1);
    horizontal->setSizes({260, 1000});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(horizontal);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (current.isValid() && !current.data(SkillTreeModel::IsFolderRole).toBool())
            showFile(current.data(SkillTreeModel::PathRole).toString());
    });
    connect(m_problems, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const QString file = item->data(kProblemFileRole).toString();
        selectFile(file);
        showFile(file, item->data(kProblemLineRole).toInt());
    });
    connect(m_rendered, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.isRelative() && m_package && m_package->file(url.path()))
            selectFile(url.path());
    });
}

void SkillView::showPackage(const SkillPackage& package, const SkillProblems& problems)
{
    m_package = package;
    m_findings = problems;
    m_model->setPackage(package);
    m_tree->expandAll();
    showHeader();

    m_problems->clear();
    for (const SkillProblem& p : problems) {
        auto* item = new QListWidgetItem(p.text(), m_problems);
        item->setIcon(style()->standardIcon(p.isError() ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning));
        item->setData(kProblemFileRole, p.file);
        item->setData(kProblemLineRole, p.line);
    }
    if (problems.empty())
        new QListWidgetItem(tr("No problems: the package is valid under the Agent Skills spec."), m_problems);

    selectFile(QStringLiteral("SKILL.md"));
}

void SkillView::showHeader()
{
    const FrontMatter& fm = m_package->frontMatter();
    const int errors = SkillValidator::count(m_findings, SkillProblem::Level::Error);
    const int warnings = SkillValidator::count(m_findings, SkillProblem::Level::Warning);
    QString html = QStringLiteral("<b style='font-size:large'>%1</b>&nbsp;&nbsp;<span style='color:%2'>%3</span><br>%4")
                       .arg(fm.name().isEmpty() ? tr("(unnamed skill)") : fm.name().toHtmlEscaped(),
                            errors ? QStringLiteral("#b00020") : QStringLiteral("#1b7f3a"),
                            errors ? tr("%n error(s)", nullptr, errors) + (warnings ? tr(", %n warning(s)", nullptr, warnings) : QString())
                                   : (warnings ? tr("valid, %n warning(s)", nullptr, warnings) : tr("valid")),
                            fm.description().toHtmlEscaped());
    QStringList extra;
    for (const auto& field : fm.fields()) {
        if (field.key != QLatin1String("name") && field.key != QLatin1String("description"))
            extra << QStringLiteral("%1: %2").arg(field.key.toHtmlEscaped(), describe(field).toHtmlEscaped());
    }
    if (!extra.isEmpty())
        html += QStringLiteral("<br><span style='color:gray'>%1</span>").arg(extra.join(QStringLiteral(" · ")));
    m_header->setText(html);
}

void SkillView::selectFile(const QString& path)
{
    const QModelIndex index = m_model->indexOfPath(path);
    if (index.isValid())
        m_tree->setCurrentIndex(index);
    else
        showFile(path);
}

void SkillView::showFile(const QString& path, int line)
{
    m_selected = path;
    const PackageFile* file = m_package ? m_package->file(path) : nullptr;
    if (!file) {
        m_rendered->setPlainText(tr("%1 is not in the package.").arg(path));
        m_source->clear();
        return;
    }
    const auto text = TextCodec::decodeUtf8(file->data);
    if (!text) {
        const QString message = tr("%1 is binary or not UTF-8 (%2 bytes); it is carried with the skill but not shown.")
                                    .arg(path).arg(file->data.size());
        m_rendered->setPlainText(message);
        m_source->setPlainText(message);
        return;
    }
    m_source->setPlainText(*text);
    if (path.endsWith(QLatin1String(".md"), Qt::CaseInsensitive)) {
        // The body alone is rendered; the front matter is shown in the header above.
        m_rendered->setMarkdown(path == QLatin1String("SKILL.md") ? m_package->body() : *text);
        m_tabs->setCurrentWidget(line > 0 ? static_cast<QWidget*>(m_source) : m_rendered);
    } else {
        m_rendered->setPlainText(*text);
        m_tabs->setCurrentWidget(m_source);
    }
    if (line > 0) {
        QTextCursor cursor(m_source->document()->findBlockByLineNumber(line - 1));
        m_source->setTextCursor(cursor);
        m_source->centerCursor();
    }
}

} // namespace sg
