#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("skillgrad-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("SkillGrad Studio"));
    QApplication::setOrganizationName(QStringLiteral("SkillGrad"));
    QApplication::setApplicationVersion(QStringLiteral(SKILLGRAD_VERSION));
    // Matches the .desktop file, so Wayland shells find the window's icon and entry.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.skillgrad.Studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SkillGrad Studio: optimise agent skills, review every change."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspace(QStringLiteral("workspace"), QStringLiteral("The workspace to open (made with skillgrad init)."),
                                       QStringLiteral("DIR"));
    parser.addOption(workspace);
    parser.addPositionalArgument(QStringLiteral("path"), QStringLiteral("A workspace, a skill folder or a .zip/.skill archive to open "
                                                                        "(default: the one open last time)."),
                                 QStringLiteral("[WORKSPACE|SKILL]"));
    parser.process(app);

    sg::MainWindow window;
    QString path = parser.isSet(workspace) ? parser.value(workspace) : parser.positionalArguments().value(0);
    if (path.isEmpty())
        path = QSettings().value(QStringLiteral("studio/lastPath")).toString();
    window.show();
    // A path that cannot be opened leaves the welcome page and a message saying why.
    if (!path.isEmpty())
        window.openPath(path);
    return app.exec();
}
