#pragma once

#include "common/Result.h"
#include "skill/SkillProblem.h"
#include "workspace/WorkspaceConfig.h"

#include <QString>
#include <QWizard>

#include <map>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QRadioButton;
class QSpinBox;
class QTemporaryDir;
class QTimer;
class QTreeWidget;
class QWizardPage;
template <typename T> class QFutureWatcher;

namespace sg {

// Makes a workspace the way `skillgrad init` does (issue 11): the skill (a built-in example, or
// a folder or archive, validated as it is chosen), its tasks and their split, the models, and
// the folder. Slow checks and the creation itself run off the UI thread; a skill with errors
// cannot get past the first page, and a failed creation leaves nothing on disk.
class NewWorkspaceWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { SkillPageId, TasksPageId, ProviderPageId, LocationPageId };

    explicit NewWorkspaceWizard(QWidget* parent = nullptr);
    ~NewWorkspaceWizard() override;

    // The new workspace's folder once Finish has made it; empty before.
    QString createdWorkspace() const { return m_created; }

    // What the fields hold; each setter checks again at once, as editing the field would.
    void setExample(const QString& name);
    void setSkillPath(const QString& path);
    void setTasks(const QString& kind, const QString& path); // an empty kind or "none": no tasks
    void setSplit(const SplitCounts& split, quint64 seed);
    void setExecutor(const RoleConfig& role);
    void setOptimizer(const RoleConfig& role); // every role but the executor
    void setLocation(const QString& dir);

    // The roles skillgrad.json will get.
    std::map<QString, RoleConfig> roles() const;
    // The last check's findings for the current skill (empty while checking).
    SkillProblems skillProblems() const;
    bool isCreating() const { return m_creating; }

    void reject() override;

Q_SIGNALS:
    void workspaceCreated(const QString& dir);
    // A check of the current input ended (for tests and screenshots).
    void skillChecked(bool usable);
    void tasksChecked(bool usable);
    void creationFailed(const QString& message);

protected:
    bool validateCurrentPage() override;
    void initializePage(int id) override;

private:
    struct SkillCheck;
    struct TaskCheck;

    QWizardPage* buildSkillPage();
    QWizardPage* buildTasksPage();
    QWizardPage* buildProviderPage();
    QWizardPage* buildLocationPage();
    QWidget* buildRoleRow(const QString& prefix, QComboBox*& provider, QLineEdit*& model,
                          QLineEdit*& baseUrl);

    QString skillInput() const;
    QString taskInput() const;
    bool usesExample() const;
    void startSkillCheck();
    void onSkillChecked();
    void showSkillCheck();
    void startTaskCheck();
    void onTaskChecked();
    void updateTaskFields();
    void updateProviderNote();
    void checkLocation();
    QString summary() const;
    void startCreate();
    void onCreated();
    void refresh(int pageId);

    bool skillUsable() const;
    bool tasksUsable() const;
    bool providersUsable() const;
    bool locationUsable() const;

    // Where examples are extracted; shared with the workers so it outlives any still running.
    std::shared_ptr<QTemporaryDir> m_extractDir;

    QRadioButton* m_exampleRadio = nullptr;
    QRadioButton* m_skillRadio = nullptr;
    QComboBox* m_example = nullptr;
    QLabel* m_exampleDescription = nullptr;
    QLineEdit* m_skillPath = nullptr;
    QLabel* m_skillStatus = nullptr;
    QTreeWidget* m_findings = nullptr;
    QTimer* m_skillDebounce = nullptr;
    QFutureWatcher<SkillCheck>* m_skillWatcher = nullptr;
    std::unique_ptr<SkillCheck> m_skillResult;
    bool m_skillRecheck = false;

    QComboBox* m_taskKind = nullptr;
    QLineEdit* m_tasksPath = nullptr;
    QLabel* m_taskNote = nullptr;
    QLabel* m_taskStatus = nullptr;
    QSpinBox* m_train = nullptr;
    QSpinBox* m_val = nullptr;
    QSpinBox* m_test = nullptr;
    QSpinBox* m_seed = nullptr;
    QTimer* m_taskDebounce = nullptr;
    QFutureWatcher<TaskCheck>* m_taskWatcher = nullptr;
    std::unique_ptr<TaskCheck> m_taskResult;
    bool m_taskRecheck = false;
    bool m_tasksFromExample = false; // the fields show an example's own tasks

    QComboBox* m_executorProvider = nullptr;
    QLineEdit* m_executorModel = nullptr;
    QLineEdit* m_executorBaseUrl = nullptr;
    QComboBox* m_optimizerProvider = nullptr;
    QLineEdit* m_optimizerModel = nullptr;
    QLineEdit* m_optimizerBaseUrl = nullptr;
    QLabel* m_providerNote = nullptr;

    QLineEdit* m_location = nullptr;
    QLabel* m_locationStatus = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_createError = nullptr;
    QProgressBar* m_createProgress = nullptr;
    QFutureWatcher<Result<QString>>* m_createWatcher = nullptr;
    bool m_creating = false;
    QString m_created;
};

} // namespace sg
