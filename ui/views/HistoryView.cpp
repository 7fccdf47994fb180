#include "HistoryView.h"

#include "DiffDialog.h"
#include "history/GitRepo.h"
#include "models/HistoryModel.h"
#include "run/RunLock.h"
#include "skill/SkillWriter.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceConfig.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetrics>
#include <QHeaderView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace sg {

namespace {

// The workspace layout is fixed by DESIGN.md 3; paths are derived without opening the workspace
// on the UI thread.
const QString kSkillFolder = QStringLiteral("skill");
const QString kRunsFolder = QStringLiteral("runs");
const QString kConfigFile = QStringLiteral("skillgrad.json");
const QString kZipFilter = QStringLiteral("Zip archive (*.zip)");
const QString kSkillFilter = QStringLiteral("Skill archive (*.skill)");

bool isArchivePath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("zip") || suffix == QLatin1String("skill");
}

// What `skillgrad export` does, with its own workspace and repository handle (a worker thread).
Result<QString> writeExport(const QString& root, const QString& sha, const QString& path)
{
    auto ws = Workspace::open(root);
    if (!ws)
        return ws.error();
    auto tree = ws->repo().files(sha);
    if (!tree)
        return tree.error();
    std::vector<SkillFile> files;
    files.reserve(tree->size());
    for (const TreeFile& f : tree.value())
        files.push_back({f.path, f.data, f.executable});
    const QString name = ws->config().skillName;
    const QString target = QFileInfo(path).absoluteFilePath();
    if (isArchivePath(target)) {
        if (auto written = SkillWriter::writeZip(files, name, target); !written)
            return written.error();
        return target;
    }
    // The skill's folder must carry its name (the spec's "name equals folder" rule).
    const QString folder =
        QFileInfo(target).fileName() == name ? target : QDir(target).filePath(name);
    if (auto written = SkillWriter::writeFolder(files, folder); !written)
        return written.error();
    return folder;
}

Result<QString> diffText(const QString& skillDir, const QString& from, const QString& to)
{
    auto repo = GitRepo::open(skillDir);
    if (!repo)
        return repo.error();
    return repo->unifiedDiff(from, to);
}

} // namespace

HistoryView::HistoryView(QWidget* parent) : QWidget(parent)
{
    m_model = new HistoryModel(this);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("historyTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setTextElideMode(Qt::ElideRight);

    // Widths from the font, so they fit "abc1234  (current)" and "0.750" at any DPI; the summary's
    // tooltip has the whole message.
    QHeaderView* header = m_tree->header();
    header->setStretchLastSection(false);
    header->setSectionsMovable(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    const QFontMetrics fm(m_tree->font());
    QFont bold = m_tree->font();
    bold.setBold(true); // the current version's row
    const int pad = fm.horizontalAdvance(QLatin1Char('M')) * 2;
    header->resizeSection(HistoryModel::VersionColumn, QFontMetrics(bold).horizontalAdvance(
                                                           QStringLiteral("abc1234  (current)")) +
                                                           m_tree->indentation() + pad);
    // Wide enough to read a summary's gist; the run and time columns are further right.
    header->resizeSection(HistoryModel::SummaryColumn, fm.horizontalAdvance(QLatin1Char('n')) * 38);
    header->resizeSection(HistoryModel::ValColumn,
                          fm.horizontalAdvance(QStringLiteral("0.000")) + pad);
    header->resizeSection(HistoryModel::TrainColumn,
                          fm.horizontalAdvance(QStringLiteral("Train")) + pad * 2);
    header->resizeSection(HistoryModel::DecisionColumn,
                          fm.horizontalAdvance(QStringLiteral("restored from abc1234")) + pad);
    header->resizeSection(HistoryModel::RunColumn,
                          fm.horizontalAdvance(QStringLiteral("optimize-20260101-000000 · 00")) +
                              pad);
    header->resizeSection(HistoryModel::TimeColumn,
                          fm.horizontalAdvance(QStringLiteral("2026-01-01 00:00")) + pad);
    header->setMinimumSectionSize(fm.horizontalAdvance(QStringLiteral("Val")) + pad);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);

    createActions();

    connect(&m_loadWatcher, &QFutureWatcherBase::finished, this, &HistoryView::onLoaded);
    connect(&m_restoreWatcher, &QFutureWatcherBase::finished, this, &HistoryView::onRestored);
    connect(&m_exportWatcher, &QFutureWatcherBase::finished, this, &HistoryView::onExported);
    connect(&m_diffWatcher, &QFutureWatcherBase::finished, this, &HistoryView::onDiffReady);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                updateActions();
                if (current.isValid())
                    Q_EMIT versionSelected(current.data(HistoryModel::ShaRole).toString());
            });
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &HistoryView::showContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, &HistoryView::showHeaderMenu);
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex& index) {
        showDiffWithCurrent(index.data(HistoryModel::ShaRole).toString());
    });
    updateActions();
}

// The watchers' jobs own copies of what they need and their own repository handles, so the
// widget may go away while one is still running.
HistoryView::~HistoryView()
{
    // The children outlive the members; selection changes while they go must not reach
    // updateActions().
    disconnect(m_tree->selectionModel(), nullptr, this, nullptr);
}

void HistoryView::createActions()
{
    m_diffAction = new QAction(tr("Diff with Current Version"), this);
    m_diffAction->setObjectName(QStringLiteral("diffWithCurrentAction"));
    m_diffAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    connect(m_diffAction, &QAction::triggered, this,
            [this] { showDiffWithCurrent(selectedSha()); });

    m_restoreAction = new QAction(tr("Restore This Version…"), this);
    m_restoreAction->setObjectName(QStringLiteral("restoreAction"));
    m_restoreAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    connect(m_restoreAction, &QAction::triggered, this, [this] { restoreVersion(selectedSha()); });

    m_exportAction = new QAction(tr("Export…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportAction"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(m_exportAction, &QAction::triggered, this, &HistoryView::chooseExportPath);

    m_copyShaAction = new QAction(tr("Copy Commit Id"), this);
    m_copyShaAction->setObjectName(QStringLiteral("copyShaAction"));
    connect(m_copyShaAction, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(selectedSha()); });

    // Shortcuts act on the tree's selection, so only while the view has focus: the main window
    // has shortcuts of its own.
    for (QAction* a : {m_diffAction, m_restoreAction, m_exportAction, m_copyShaAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
}

QString HistoryView::skillDir() const
{
    return QDir(m_root).filePath(kSkillFolder);
}

QString HistoryView::runsDir() const
{
    return QDir(m_root).filePath(kRunsFolder);
}

void HistoryView::setWorkspace(const QString& workspaceRoot)
{
    m_root = workspaceRoot;
    m_selectAfterLoad.clear();
    if (m_root.isEmpty()) {
        m_model->setSnapshot({});
        updateActions();
        Q_EMIT loaded();
        return;
    }
    reload();
}

void HistoryView::reload()
{
    if (m_root.isEmpty())
        return;
    // One load at a time; a reload asked for meanwhile runs when it ends, so the view ends up
    // showing what is on disk now.
    if (m_loadWatcher.isRunning()) {
        m_reloadAgain = true;
        return;
    }
    startLoad();
}

bool HistoryView::isLoading() const
{
    return m_loadWatcher.isRunning();
}

void HistoryView::startLoad()
{
    m_reloadAgain = false;
    m_loadingRoot = m_root;
    const QString dir = skillDir();
    m_loadWatcher.setFuture(QtConcurrent::run([dir] { return HistorySnapshot::load(dir); }));
}

void HistoryView::onLoaded()
{
    Result<HistorySnapshot> result = m_loadWatcher.result();
    const bool current = m_loadingRoot == m_root;
    if ((m_reloadAgain || !current) && !m_root.isEmpty())
        startLoad();
    if (!current)
        return; // another workspace's history
    if (!result) {
        m_model->setSnapshot({});
        updateActions();
        Q_EMIT failed(tr("Cannot read the skill's history: %1").arg(result.error().text()));
        return;
    }
    const QString previous = selectedSha();
    const bool wasHead = !previous.isEmpty() && previous == m_model->headSha();
    m_model->setSnapshot(std::move(result).value());
    m_tree->expandAll();
    // A version just made is selected once it shows; otherwise the selection stays, or falls
    // back to the current version.
    QString select = m_model->headSha();
    if (m_model->indexOfSha(m_selectAfterLoad).isValid()) {
        select = m_selectAfterLoad;
        m_selectAfterLoad.clear();
    } else if (m_model->indexOfSha(previous).isValid() && !wasHead) {
        // A selected current version follows main as a run moves it.
        select = previous;
    }
    selectVersion(select);
    updateActions();
    Q_EMIT loaded();
}

void HistoryView::selectVersion(const QString& sha)
{
    const QModelIndex index = m_model->indexOfSha(sha);
    if (!index.isValid())
        return;
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_tree->scrollTo(index);
}

QString HistoryView::selectedSha() const
{
    return m_tree->selectionModel()->currentIndex().data(HistoryModel::ShaRole).toString();
}

void HistoryView::setRunInProgress(bool running)
{
    m_runInProgress = running;
    updateActions();
}

void HistoryView::setConfirmRestore(ConfirmRestore confirm)
{
    m_confirm = std::move(confirm);
}

QString HistoryView::restoreBlocker(const QModelIndex& index) const
{
    if (m_runInProgress)
        return tr("Restore is unavailable while an optimizer run is in progress: the run commits "
                  "to the history too. Wait for it to finish or stop it first.");
    if (m_restoreWatcher.isRunning())
        return tr("A restore is in progress.");
    if (!index.isValid())
        return tr("Select a version to restore.");
    if (index.data(HistoryModel::IsProposalRole).toBool())
        return tr("A proposal main did not accept cannot be restored; diff or export it instead.");
    if (index.data(HistoryModel::IsHeadRole).toBool())
        return tr("This is already the current version.");
    return {};
}

void HistoryView::updateActions()
{
    const QModelIndex current = m_tree->selectionModel()->currentIndex();
    const bool selected = current.isValid();
    const bool head = current.data(HistoryModel::IsHeadRole).toBool();

    m_diffAction->setEnabled(selected);
    m_diffAction->setToolTip(head ? tr("Show what the current version changed")
                                  : tr("Show the changes from this version to the current one"));
    m_exportAction->setEnabled(selected && !m_exportWatcher.isRunning());
    m_exportAction->setToolTip(
        tr("Write this version out as a skill folder or a .zip/.skill archive"));
    m_copyShaAction->setEnabled(selected);

    const QString why = restoreBlocker(current);
    m_restoreAction->setEnabled(why.isEmpty());
    m_restoreAction->setToolTip(
        why.isEmpty() ? tr("Make this version's files current again, as a new version; nothing is "
                           "lost")
                      : why);
}

bool HistoryView::confirmWithDialog(const Version& version)
{
    const QString head = m_model->headSha().left(7);
    QMessageBox box(QMessageBox::Question, tr("Restore Version %1").arg(version.shortSha()),
                    tr("Restore version %1 “%2”?").arg(version.shortSha(), version.summary),
                    QMessageBox::NoButton, this);
    box.setInformativeText(
        tr("A new version will be committed with the files of %1, and skill/ will be updated to "
           "match.\n\nNothing is lost: the current version %2 and every other version stay in "
           "the history, and can be restored the same way.")
            .arg(version.shortSha(), head));
    QPushButton* restore = box.addButton(tr("Restore"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == restore;
}

bool HistoryView::restoreVersion(const QString& sha)
{
    const QModelIndex index = m_model->indexOfSha(sha);
    const std::optional<Version> version = m_model->versionAt(index);
    if (!version || m_root.isEmpty())
        return false;
    if (const QString why = restoreBlocker(index); !why.isEmpty()) {
        Q_EMIT failed(why);
        return false;
    }
    // The Studio's own run is known; one started from the command line shows in runs/.lock.
    if (const QString holder = RunLock::holder(runsDir()); !holder.isEmpty()) {
        Q_EMIT failed(tr("An optimizer run (%1) is in progress in this workspace; restore once it "
                         "has finished.")
                          .arg(holder));
        return false;
    }
    const bool confirmed = m_confirm ? m_confirm(*version) : confirmWithDialog(*version);
    if (!confirmed)
        return false;

    const QString dir = skillDir();
    const QString target = version->sha;
    const QString summary = tr("Restore %1: %2").arg(version->shortSha(), version->summary);
    m_restoreWatcher.setFuture(QtConcurrent::run([dir, target, summary]() -> Result<Version> {
        auto repo = GitRepo::open(dir);
        if (!repo)
            return repo.error();
        return repo->restore(target, summary);
    }));
    updateActions();
    Q_EMIT message(tr("Restoring %1…").arg(version->shortSha()));
    return true;
}

void HistoryView::onRestored()
{
    Result<Version> result = m_restoreWatcher.result();
    updateActions();
    if (!result) {
        if (result.error().code == QLatin1String("unchanged"))
            Q_EMIT message(tr("Nothing to restore: %1.").arg(result.error().message));
        else
            Q_EMIT failed(tr("Could not restore the version: %1").arg(result.error().text()));
        reload();
        return;
    }
    const Version& v = result.value();
    m_selectAfterLoad = v.sha;
    Q_EMIT message(
        tr("Restored %1 as the new current version %2. Nothing was lost: every "
           "earlier version is still in the history.")
            .arg(v.trailer(QStringLiteral("SkillGrad-Restored-From")).left(7), v.shortSha()));
    Q_EMIT restored(v);
    reload();
}

void HistoryView::showDiffWithCurrent(const QString& sha)
{
    const QModelIndex index = m_model->indexOfSha(sha);
    const std::optional<Version> version = m_model->versionAt(index);
    const QString head = m_model->headSha();
    if (!version || head.isEmpty())
        return;
    // One diff at a time; the newest request asked for meanwhile follows.
    if (m_diffWatcher.isRunning()) {
        m_pendingDiff = sha;
        return;
    }
    QString from = version->sha, to = head, title;
    if (version->sha == head) {
        // The current version against itself is empty; what it changed is more useful.
        from = version->parents.value(0);
        title = tr("changes made by the current version %1").arg(version->shortSha());
    } else {
        const QString what =
            index.data(HistoryModel::IsProposalRole).toBool() ? tr("proposal") : tr("version");
        title = tr("%1 %2 → current version %3").arg(what, version->shortSha(), head.left(7));
    }
    const QString dir = skillDir();
    m_diffTitle = title;
    m_diffWatcher.setFuture(QtConcurrent::run([dir, from, to] { return diffText(dir, from, to); }));
}

void HistoryView::onDiffReady()
{
    const Result<QString> patch = m_diffWatcher.result();
    if (patch) {
        auto* dialog = new DiffDialog(this);
        dialog->setDiff(m_diffTitle, patch.value());
        dialog->show();
        dialog->raise();
    } else {
        Q_EMIT failed(tr("Cannot compute the diff: %1").arg(patch.error().text()));
    }
    if (!m_pendingDiff.isEmpty())
        showDiffWithCurrent(std::exchange(m_pendingDiff, QString()));
}

void HistoryView::chooseExportPath()
{
    const std::optional<Version> version = m_model->versionAt(m_tree->currentIndex());
    if (!version)
        return;
    const QString folderFilter = tr("Folder named after the skill (*)");
    QString filter = kSkillFilter;
    // A small file: read here rather than waiting for the export job to know the name.
    const auto config = WorkspaceConfig::load(QDir(m_root).filePath(kConfigFile));
    const QString name = config ? config->skillName : QFileInfo(m_root).fileName();
    const QString start =
        QDir::home().filePath(QStringLiteral("%1-%2.skill").arg(name, version->shortSha()));
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Version %1").arg(version->shortSha()), start,
        QStringList{kSkillFilter, kZipFilter, folderFilter}.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty())
        return;
    // A name typed without a suffix follows the chosen filter.
    if (!isArchivePath(path) && filter == kSkillFilter)
        path += QStringLiteral(".skill");
    else if (!isArchivePath(path) && filter == kZipFilter)
        path += QStringLiteral(".zip");
    exportVersion(version->sha, path);
}

bool HistoryView::exportVersion(const QString& sha, const QString& path)
{
    if (m_root.isEmpty() || sha.isEmpty() || m_exportWatcher.isRunning())
        return false;
    const QString root = m_root;
    m_exportWatcher.setFuture(
        QtConcurrent::run([root, sha, path] { return writeExport(root, sha, path); }));
    updateActions();
    Q_EMIT message(tr("Exporting %1…").arg(sha.left(7)));
    return true;
}

void HistoryView::onExported()
{
    const Result<QString> result = m_exportWatcher.result();
    updateActions();
    if (!result) {
        Q_EMIT failed(tr("Could not export the version: %1").arg(result.error().text()));
        return;
    }
    Q_EMIT message(tr("Exported to %1").arg(QDir::toNativeSeparators(result.value())));
    Q_EMIT exported(result.value());
}

void HistoryView::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_tree->indexAt(pos);
    if (!index.isValid())
        return;
    m_tree->setCurrentIndex(index);
    updateActions();
    QMenu menu(this);
    menu.setToolTipsVisible(true); // says why Restore is disabled
    menu.addAction(m_diffAction);
    menu.addAction(m_restoreAction);
    menu.addAction(m_exportAction);
    menu.addSeparator();
    menu.addAction(m_copyShaAction);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

void HistoryView::showHeaderMenu(const QPoint& pos)
{
    // Columns can be hidden when the view is docked narrow.
    QMenu menu(this);
    QHeaderView* header = m_tree->header();
    for (int c = HistoryModel::SummaryColumn; c < HistoryModel::ColumnCount; ++c) {
        QAction* a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        connect(a, &QAction::toggled, header,
                [header, c](bool on) { header->setSectionHidden(c, !on); });
    }
    menu.exec(header->mapToGlobal(pos));
}

} // namespace sg
