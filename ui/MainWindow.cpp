#include "MainWindow.h"

#include "skill/SkillPackage.h"
#include "skill/SkillValidator.h"
#include "views/SkillView.h"
#include "workspace/Workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

namespace sg {

namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kLastSkillKey = QStringLiteral("studio/lastSkill");

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("SkillGrad Studio"));

    m_welcome = new QLabel(this);
    m_welcome->setObjectName(QStringLiteral("welcome"));
    m_welcome->setAlignment(Qt::AlignCenter);
    m_welcome->setWordWrap(true);
    m_welcome->setText(tr("<h2>SkillGrad Studio</h2><p>Open a skill package (a folder with SKILL.md, or a "
                          ".zip/.skill archive) with <b>File › Open Skill…</b> (Ctrl+O).</p>"));
    m_skillView = new SkillView(this);
    m_skillView->setObjectName(QStringLiteral("skillView"));
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_welcome);
    m_stack->addWidget(m_skillView);
    setCentralWidget(m_stack);

    createActions();
    statusBar()->showMessage(tr("Ready"));
    restoreWindowState();
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Skill…"), this, &MainWindow::chooseSkill);
    open->setShortcut(QKeySequence::Open);
    QAction* reloadAction = file->addAction(tr("&Reload"), this, &MainWindow::reload);
    reloadAction->setShortcut(QKeySequence::Refresh);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About SkillGrad Studio"), this, &MainWindow::showAbout);
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray())) {
        // No window manager may be there to place us: pick a size that fits the screen.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        const QSize size(std::min(1280, available.width() * 9 / 10), std::min(820, available.height() * 9 / 10));
        resize(size);
        move(available.center() - QPoint(size.width() / 2, size.height() / 2));
    }
    restoreState(settings.value(kStateKey).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    if (!m_skillPath.isEmpty())
        settings.setValue(kLastSkillKey, m_skillPath);
    event->accept();
}

bool MainWindow::openSkill(const QString& requested)
{
    // A workspace opens as its skill/ folder, checked under the name the workspace recorded.
    const QString path = Workspace::isWorkspace(requested) ? QDir(requested).filePath(QStringLiteral("skill")) : requested;
    auto loaded = SkillPackage::load(path);
    if (!loaded) {
        statusBar()->showMessage(tr("Cannot open %1: %2").arg(path, loaded.error().text()));
        if (isVisible())
            QMessageBox::warning(this, tr("Cannot open skill"), loaded.error().text());
        return false;
    }
    SkillValidator::Options validation;
    validation.expectedName = Workspace::recordedSkillName(path);
    const SkillProblems problems = SkillValidator::validate(loaded.value(), validation);
    m_skillPath = QFileInfo(path).absoluteFilePath();
    m_skillView->showPackage(loaded.value(), problems);
    m_stack->setCurrentWidget(m_skillView);
    const QString name = loaded->name().isEmpty() ? QFileInfo(path).fileName() : loaded->name();
    setWindowTitle(tr("%1 — SkillGrad Studio").arg(name));
    const int errors = SkillValidator::count(problems, SkillProblem::Level::Error);
    const int warnings = SkillValidator::count(problems, SkillProblem::Level::Warning);
    statusBar()->showMessage(tr("%1: %2 file(s), %3 error(s), %4 warning(s)")
                                 .arg(QDir::toNativeSeparators(m_skillPath))
                                 .arg(loaded->files().size())
                                 .arg(errors)
                                 .arg(warnings));
    QSettings().setValue(kLastSkillKey, m_skillPath);
    return true;
}

void MainWindow::chooseSkill()
{
    const QString start = m_skillPath.isEmpty() ? QDir::homePath() : QFileInfo(m_skillPath).absolutePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Skill Folder"), start);
    if (!dir.isEmpty())
        openSkill(dir);
}

void MainWindow::reload()
{
    if (!m_skillPath.isEmpty()) {
        const QString selected = m_skillView->selectedFile();
        if (openSkill(m_skillPath) && !selected.isEmpty())
            m_skillView->selectFile(selected);
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About SkillGrad Studio"),
                       tr("<b>SkillGrad Studio %1</b><p>Optimises agent skills (SKILL.md packages) the way gradient "
                          "descent optimises a parameter, with every change reviewable and reversible.</p>")
                           .arg(QApplication::applicationVersion()));
}

} // namespace sg
