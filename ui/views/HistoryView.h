#pragma once

#include "common/Result.h"
#include "history/HistorySnapshot.h"

#include <QFutureWatcher>
#include <QModelIndex>
#include <QWidget>

#include <functional>

class QAction;
class QTreeView;

namespace sg {

class HistoryModel;

// The skill's history (DESIGN.md 3): main's versions with their scores, decisions and tags, and
// the proposals main did not accept as side branches. From the context menu (or the shortcuts):
// diff a version with the current one, restore it as a new commit, or export it. Git work runs on
// QtConcurrent threads, each with its own repository handle; the UI thread never waits for it.
class HistoryView : public QWidget
{
    Q_OBJECT
public:
    // Asked before a restore; true to go ahead. The default asks with a QMessageBox.
    using ConfirmRestore = std::function<bool(const Version&)>;

    explicit HistoryView(QWidget* parent = nullptr);
    ~HistoryView() override;

    // A workspace folder (the history is its skill/ repository); empty to show nothing. Reloads.
    void setWorkspace(const QString& workspaceRoot);
    QString workspace() const { return m_root; }
    // Reads the history again in the background; loaded() once the model shows it.
    void reload();
    bool isLoading() const;

    void selectVersion(const QString& sha);
    QString selectedSha() const;

    // While an optimizer runs it commits to main, so restoring is disabled (with a tooltip).
    void setRunInProgress(bool running);
    bool isRunInProgress() const { return m_runInProgress; }

    void setConfirmRestore(ConfirmRestore confirm);
    // Asks for confirmation, then makes a new main commit with `sha`'s files in the background;
    // restored() when done. False when it did not start (declined, refused, or busy).
    bool restoreVersion(const QString& sha);
    // Opens a DiffDialog from `sha` to the current version (for the current version itself: the
    // changes it made to its parent) once the diff has been computed.
    void showDiffWithCurrent(const QString& sha);
    // Writes `sha` out: `path` ending in .zip or .skill is an archive; otherwise a folder, named
    // after the skill (inside `path` unless `path` already has that name). False when busy.
    bool exportVersion(const QString& sha, const QString& path);

    HistoryModel* model() const { return m_model; }
    QTreeView* tree() const { return m_tree; }
    QAction* diffWithCurrentAction() const { return m_diffAction; }
    QAction* restoreAction() const { return m_restoreAction; }
    QAction* exportAction() const { return m_exportAction; }

Q_SIGNALS:
    void versionSelected(const QString& sha);
    void restored(const sg::Version& version);
    void exported(const QString& path);
    void loaded();
    void message(const QString& text);
    void failed(const QString& error);

private:
    void createActions();
    void startLoad();
    void onLoaded();
    void onRestored();
    void onExported();
    void onDiffReady();
    void updateActions();
    // Why `index` cannot be restored now; empty when it can.
    QString restoreBlocker(const QModelIndex& index) const;
    void showContextMenu(const QPoint& pos);
    void showHeaderMenu(const QPoint& pos);
    void chooseExportPath();
    bool confirmWithDialog(const Version& version);
    QString skillDir() const;
    QString runsDir() const;

    HistoryModel* m_model = nullptr;
    QTreeView* m_tree = nullptr;
    QAction* m_diffAction = nullptr;
    QAction* m_restoreAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_copyShaAction = nullptr;

    QFutureWatcher<Result<HistorySnapshot>> m_loadWatcher;
    QFutureWatcher<Result<Version>> m_restoreWatcher;
    QFutureWatcher<Result<QString>> m_exportWatcher;
    QFutureWatcher<Result<QString>> m_diffWatcher;

    QString m_root;
    QString m_loadingRoot; // the workspace the running load reads
    bool m_reloadAgain = false;
    QString m_selectAfterLoad; // a version just made, selected once a load shows it
    QString m_diffTitle;       // what the running diff compares
    QString m_pendingDiff;     // a version whose diff was asked for while another ran
    bool m_runInProgress = false;
    ConfirmRestore m_confirm;
};

} // namespace sg
