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
    parser.addPositionalArgument(QStringLiteral("skill"), QStringLiteral("A skill folder, a .zip/.skill archive, or a workspace to open."),
                                 QStringLiteral("[SKILL|WORKSPACE]"));
    parser.process(app);

    sg::MainWindow window;
    QString skill = parser.positionalArguments().value(0);
    if (skill.isEmpty())
        skill = QSettings().value(QStringLiteral("studio/lastSkill")).toString();
    if (!skill.isEmpty())
        window.openSkill(skill);
    window.show();
    return app.exec();
}
