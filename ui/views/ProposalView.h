#pragma once

#include "models/DiffModel.h"
#include "optim/HunkSelection.h"
#include "optim/Review.h"

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace sg {

class DiffDelegate;

// The review gate's proposal (DESIGN.md 4.7): what changed, file by file and hunk by hunk, with
// layer tags and the cap checks, and the person's answer. Every hunk starts accepted; rejecting
// some and applying the selection sends an Edit with the resulting files. It emits `decided`
// once per request and never blocks: the worker waits for the signal, not the UI.
//
// Keys: n/j/Alt+Down next hunk, p/k/Alt+Up previous, a accept the hunk, r reject it,
// Ctrl+Return apply the selection (accept when all is accepted), Ctrl+Backspace reject all.
class ProposalView : public QWidget
{
    Q_OBJECT
public:
    explicit ProposalView(QWidget* parent = nullptr);
    ~ProposalView() override;

    // Shows `request` as the diff of `currentFiles` (the version it would replace, usually
    // main's tree) against its candidate. Replaces any request shown before.
    void showRequest(const sg::ReviewRequest& request,
                     const std::vector<sg::TreeFile>& currentFiles);
    // Back to "nothing to review"; no decision is sent.
    void clear();
    // A request is shown and not yet answered.
    bool awaitingDecision() const { return m_request && !m_decided; }

    void setMode(DiffModel::Mode mode);
    DiffModel::Mode mode() const { return m_model->mode(); }

    int hunkCount() const { return m_selection.hunkCount(); }
    int currentHunk() const { return m_currentHunk; }
    void setCurrentHunk(int hunk);
    bool isHunkAccepted(int hunk) const { return m_selection.isAccepted(hunk); }
    void setHunkAccepted(int hunk, bool accepted);
    void setFileAccepted(const QString& path, bool accepted);
    const HunkSelection& selection() const { return m_selection; }
    DiffModel* diffModel() const { return m_model; }

public Q_SLOTS:
    void nextHunk();
    void previousHunk();
    void acceptAll();
    void rejectAll();
    // Accept when every hunk is accepted, reject when none is, else an Edit of the choice.
    void applySelection();
    // Opens the current file, as the choice leaves it, in an editor; saving sends an Edit.
    void editAndAccept();

Q_SIGNALS:
    void decided(const sg::Decision& decision);

private:
    void buildFileList();
    void refreshChoice();
    void refreshHeader();
    void markCurrentHunk(int hunk);
    void decide(Decision decision);
    int currentFile() const;

    std::unique_ptr<ReviewRequest> m_request;
    HunkSelection m_selection;
    bool m_decided = false;
    int m_currentHunk = -1;
    bool m_syncing = false; // set while the view moves its own selections

    QLabel* m_title = nullptr;
    QLabel* m_facts = nullptr;
    QLabel* m_caps = nullptr;
    QToolButton* m_unified = nullptr;
    QToolButton* m_sideBySide = nullptr;
    QTreeWidget* m_files = nullptr;
    QListView* m_diff = nullptr;
    DiffModel* m_model = nullptr;
    DiffDelegate* m_delegate = nullptr;
    QLineEdit* m_note = nullptr;
    QPushButton* m_rejectAll = nullptr;
    QPushButton* m_edit = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_acceptAll = nullptr;
};

} // namespace sg
