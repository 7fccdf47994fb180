#pragma once

#include "skill/SkillPackage.h"
#include "skill/SkillProblem.h"

#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QTabWidget;
class QTextBrowser;
class QPlainTextEdit;
class QTreeView;

namespace sg {

class SkillTreeModel;

// A skill package at a glance: its files by layer, the selected file rendered or as source,
// the L1 front matter, and the validator's findings.
class SkillView : public QWidget
{
    Q_OBJECT
public:
    explicit SkillView(QWidget* parent = nullptr);

    void showPackage(const SkillPackage& package, const SkillProblems& problems);
    void selectFile(const QString& path);
    QString selectedFile() const { return m_selected; }
    SkillTreeModel* model() const { return m_model; }

private:
    void showFile(const QString& path, int line = 0);
    void showHeader();

    SkillTreeModel* m_model = nullptr;
    QTreeView* m_tree = nullptr;
    QLabel* m_header = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTextBrowser* m_rendered = nullptr;
    QPlainTextEdit* m_source = nullptr;
    QListWidget* m_problems = nullptr;
    std::optional<SkillPackage> m_package;
    SkillProblems m_findings;
    QString m_selected;
};

} // namespace sg
