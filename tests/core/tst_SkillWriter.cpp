#include "skill/SkillSource.h"
#include "skill/SkillWriter.h"

#include "TestSupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

std::vector<SkillFile> sample()
{
    return {{QStringLiteral("SKILL.md"), skillMd(QStringLiteral("demo")), false},
            {QStringLiteral("references/a.md"), "# A\n", false},
            {QStringLiteral("scripts/run.sh"), "#!/bin/sh\necho hi\n", true}};
}

void compareFiles(const SkillFiles& got, const std::vector<SkillFile>& want)
{
    QCOMPARE(got.files.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        QCOMPARE(got.files[i].path, want[i].path);
        QCOMPARE(got.files[i].data, want[i].data);
        QCOMPARE(got.files[i].executable, want[i].executable);
    }
}

} // namespace

class tst_SkillWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void folderRoundTrip()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("out/demo"));
        QVERIFY(SkillWriter::writeFolder(sample(), dir));
        auto back = SkillSource::readFolder(dir);
        QVERIFY(back);
        compareFiles(back.value(), sample());
        QCOMPARE(snapshot(tmp.filePath(QStringLiteral("out"))).filter(QStringLiteral(".export-")), QStringList{});
    }

    void folderRefusesNonEmptyTarget()
    {
        QTemporaryDir tmp;
        writeFile(tmp.path(), QStringLiteral("demo/keep.txt"), "mine");
        const QStringList before = snapshot(tmp.path());
        auto r = SkillWriter::writeFolder(sample(), tmp.filePath(QStringLiteral("demo")));
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("exists"));
        QCOMPARE(snapshot(tmp.path()), before);
    }

    void folderRefusesUnsafePaths()
    {
        QTemporaryDir tmp;
        auto r = SkillWriter::writeFolder({{QStringLiteral("../evil.md"), "x", false}}, tmp.filePath(QStringLiteral("demo")));
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("refused"));
        QCOMPARE(snapshot(tmp.path()), QStringList{});
    }

    void zipRoundTripWithRootFolder()
    {
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("demo.zip"));
        QVERIFY(SkillWriter::writeZip(sample(), QStringLiteral("demo"), zip));
        auto back = SkillSource::readArchive(zip);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().text()));
        QCOMPARE(back->rootName, QStringLiteral("demo"));
        compareFiles(back.value(), sample());
        auto again = SkillWriter::writeZip(sample(), QStringLiteral("demo"), zip);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("exists"));
    }
};

QTEST_GUILESS_MAIN(tst_SkillWriter)
#include "tst_SkillWriter.moc"
