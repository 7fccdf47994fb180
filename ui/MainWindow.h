#pragma once

#include <QMainWindow>

class QLabel;
class QStackedWidget;

namespace sg {

class SkillView;

// The Studio's main window. For now it opens a skill package (folder or archive) and shows it;
// workspaces, history, runs and the chart arrive with the Studio issues.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Loads and shows a package; false (and a message in the window) when it cannot be read.
    // A skill folder or archive, or a workspace (which opens its skill/).
    bool openSkill(const QString& path);
    QString currentSkill() const { return m_skillPath; }
    SkillView* skillView() const { return m_skillView; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void chooseSkill();
    void reload();
    void showAbout();
    void restoreWindowState();

    QStackedWidget* m_stack = nullptr;
    QLabel* m_welcome = nullptr;
    SkillView* m_skillView = nullptr;
    QString m_skillPath;
};

} // namespace sg
