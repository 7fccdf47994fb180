#include "models/SkillTreeModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace sg;

namespace {

SkillPackage package()
{
    SkillFiles files;
    files.rootName = QStringLiteral("s");
    files.files = {{QStringLiteral("SKILL.md"), "---\nname: s\ndescription: d\n---\nRead references/a.md when x.\n"},
                   {QStringLiteral("assets/logo.png"), "png"},
                   {QStringLiteral("references/a.md"), "# A\n"},
                   {QStringLiteral("references/deep/b.md"), "# B\n"},
                   {QStringLiteral("scripts/run.py"), "print(1)\n"}};
    return SkillPackage::fromFiles(files);
}

} // namespace

class tst_SkillTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passesTheModelTester()
    {
        SkillTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPackage(package());
        model.setPackage(package()); // a reset with the tester watching
    }

    void skillMdFirstThenFolders()
    {
        SkillTreeModel model;
        model.setPackage(package());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("SKILL.md"));
        QCOMPARE(model.index(0, SkillTreeModel::LayerColumn).data().toString(), QStringLiteral("L1 + L2"));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("assets/"));
        QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("references/"));
        QCOMPARE(model.index(3, 0).data().toString(), QStringLiteral("scripts/"));
    }

    void layersAndPaths()
    {
        SkillTreeModel model;
        model.setPackage(package());
        const QModelIndex b = model.indexOfPath(QStringLiteral("references/deep/b.md"));
        QVERIFY(b.isValid());
        QCOMPARE(b.data(SkillTreeModel::PathRole).toString(), QStringLiteral("references/deep/b.md"));
        QCOMPARE(b.siblingAtColumn(SkillTreeModel::LayerColumn).data().toString(), QStringLiteral("L3"));
        QCOMPARE(b.parent().data(SkillTreeModel::PathRole).toString(), QStringLiteral("references/deep"));
        QVERIFY(b.parent().data(SkillTreeModel::IsFolderRole).toBool());
        QCOMPARE(model.indexOfPath(QStringLiteral("scripts/run.py")).siblingAtColumn(1).data().toString(), QStringLiteral("scripts"));
        QCOMPARE(model.indexOfPath(QStringLiteral("assets/logo.png")).siblingAtColumn(1).data().toString(), QStringLiteral("assets"));
        QVERIFY(!model.indexOfPath(QStringLiteral("references/none.md")).isValid());
    }
};

QTEST_MAIN(tst_SkillTreeModel)
#include "tst_SkillTreeModel.moc"
