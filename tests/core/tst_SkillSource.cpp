#include "skill/SkillSource.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace sg;
using namespace sg::test;

namespace {

QStringList paths(const SkillFiles& files)
{
    QStringList out;
    for (const auto& f : files.files)
        out << f.path;
    return out;
}

QByteArray zeros(int size)
{
    return QByteArray(size, '\0');
}

} // namespace

class tst_SkillSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsAFolderSortedWithoutGit()
    {
        QTemporaryDir tmp;
        const QString dir = makeSkill(tmp.path(), QStringLiteral("my-skill"));
        writeFile(dir, QStringLiteral("references/b.md"), "b");
        writeFile(dir, QStringLiteral("references/a.md"), "a");
        writeFile(dir, QStringLiteral(".git/HEAD"), "ref: refs/heads/main\n");
        writeFile(dir, QStringLiteral("scripts/run.py"), "print(1)\n");
        auto files = SkillSource::read(dir);
        QVERIFY2(files, qPrintable(files ? QString() : files.error().text()));
        QCOMPARE(files->rootName, QStringLiteral("my-skill"));
        QCOMPARE(paths(*files), (QStringList{QStringLiteral("SKILL.md"), QStringLiteral("references/a.md"),
                                             QStringLiteral("references/b.md"), QStringLiteral("scripts/run.py")}));
        QVERIFY(files->find(QStringLiteral("references/a.md")));
        QVERIFY(!files->find(QStringLiteral(".git/HEAD")));
    }

    void skillMdPathMeansItsFolder()
    {
        QTemporaryDir tmp;
        const QString dir = makeSkill(tmp.path(), QStringLiteral("s"));
        auto files = SkillSource::read(dir + QStringLiteral("/SKILL.md"));
        QVERIFY(files);
        QCOMPARE(files->rootName, QStringLiteral("s"));
    }

    void missingPathIsNotFound()
    {
        auto files = SkillSource::read(QStringLiteral("/nonexistent/skill"));
        QVERIFY(!files);
        QCOMPARE(files.error().code, QStringLiteral("not-found"));
        QVERIFY(files.error().text().contains(QStringLiteral("/nonexistent/skill")));
    }

    void folderSymlinkInsideIsReadAsCopy()
    {
        QTemporaryDir tmp;
        const QString dir = makeSkill(tmp.path(), QStringLiteral("s"));
        writeFile(dir, QStringLiteral("references/a.md"), "alpha");
        QVERIFY(QFile::link(QStringLiteral("a.md"), dir + QStringLiteral("/references/b.md")));
        auto files = SkillSource::read(dir);
        QVERIFY(files);
        QCOMPARE(files->find(QStringLiteral("references/b.md"))->data, QByteArray("alpha"));
    }

    void folderRefusals_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("words");
        QTest::newRow("symlink out") << "link-out" << "references/passwd.md" << "leaves the package";
        QTest::newRow("symlink out by ..") << "link-dotdot" << "references/up.md" << "leaves the package";
        QTest::newRow("dangling symlink") << "dangling" << "references/gone.md" << "dangling";
        QTest::newRow("symlink to folder") << "link-dir" << "refs" << "symlink to a folder";
        QTest::newRow("oversize file") << "oversize" << "assets/big.bin" << "larger than";
        QTest::newRow("too many files") << "many" << "assets/" << "more than";
        QTest::newRow("fifo") << "fifo" << "pipe" << "not a regular file";
    }

    void folderRefusals()
    {
        QFETCH(QString, kind);
        QFETCH(QString, entry);
        QFETCH(QString, words);
        QTemporaryDir tmp;
        const QString outside = tmp.path() + QStringLiteral("/outside");
        writeFile(outside, QStringLiteral("secret.md"), "secret");
        const QString dir = makeSkill(tmp.path(), QStringLiteral("s"));
        QDir().mkpath(dir + QStringLiteral("/references"));
        SkillSourceLimits limits;
        if (kind == QLatin1String("link-out"))
            QVERIFY(QFile::link(outside + QStringLiteral("/secret.md"), dir + QStringLiteral("/references/passwd.md")));
        else if (kind == QLatin1String("link-dotdot"))
            QVERIFY(QFile::link(QStringLiteral("../../outside/secret.md"), dir + QStringLiteral("/references/up.md")));
        else if (kind == QLatin1String("dangling"))
            QVERIFY(QFile::link(QStringLiteral("nowhere.md"), dir + QStringLiteral("/references/gone.md")));
        else if (kind == QLatin1String("link-dir"))
            QVERIFY(QFile::link(dir + QStringLiteral("/references"), dir + QStringLiteral("/refs")));
        else if (kind == QLatin1String("oversize")) {
            limits.maxFileBytes = 1024;
            writeFile(dir, QStringLiteral("assets/big.bin"), zeros(1025));
        } else if (kind == QLatin1String("many")) {
            limits.maxFiles = 5;
            for (int i = 0; i < 6; ++i)
                writeFile(dir, QStringLiteral("assets/%1.txt").arg(i), "x");
        } else if (kind == QLatin1String("fifo")) {
            QVERIFY(::mkfifo(QFile::encodeName(dir + QStringLiteral("/pipe")).constData(), 0644) == 0);
        }
        const QStringList before = snapshot(tmp.path());
        auto files = SkillSource::read(dir, limits);
        QVERIFY2(!files, "the package should have been refused");
        QCOMPARE(files.error().code, QStringLiteral("refused"));
        QVERIFY2(files.error().where.startsWith(entry), qPrintable(files.error().text()));
        QVERIFY2(files.error().message.contains(words), qPrintable(files.error().text()));
        QVERIFY(!files.error().hint.isEmpty());
        QCOMPARE(snapshot(tmp.path()), before);
    }

    void archiveWithTopFolderIsStripped()
    {
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("pkg.skill"));
        writeZip(zip, {{QStringLiteral("table-qa/"), {}, false, true},
                       {QStringLiteral("table-qa/SKILL.md"), skillMd(QStringLiteral("table-qa"))},
                       {QStringLiteral("table-qa/references/a.md"), "a"},
                       {QStringLiteral("__MACOSX/table-qa/._SKILL.md"), "junk"}});
        auto files = SkillSource::read(zip);
        QVERIFY2(files, qPrintable(files ? QString() : files.error().text()));
        QCOMPARE(files->rootName, QStringLiteral("table-qa"));
        QCOMPARE(paths(*files), (QStringList{QStringLiteral("SKILL.md"), QStringLiteral("references/a.md")}));
    }

    void archiveAtRootAndBackslashes()
    {
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("pkg.zip"));
        writeZip(zip, {{QStringLiteral("SKILL.md"), skillMd(QStringLiteral("pkg"))},
                       {QStringLiteral("references\\win.md"), "w"}});
        auto files = SkillSource::read(zip);
        QVERIFY(files);
        QVERIFY(files->rootName.isEmpty());
        QCOMPARE(paths(*files), (QStringList{QStringLiteral("SKILL.md"), QStringLiteral("references/win.md")}));
    }

    void archiveSymlinkInsideIsACopy()
    {
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("pkg.zip"));
        writeZip(zip, {{QStringLiteral("SKILL.md"), skillMd(QStringLiteral("pkg"))},
                       {QStringLiteral("references/a.md"), "alpha"},
                       {QStringLiteral("references/b.md"), "a.md", true}});
        auto files = SkillSource::read(zip);
        QVERIFY2(files, qPrintable(files ? QString() : files.error().text()));
        QCOMPARE(files->find(QStringLiteral("references/b.md"))->data, QByteArray("alpha"));
    }

    void archiveRefusals_data()
    {
        QTest::addColumn<QString>("entryName");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("symlink");
        QTest::addColumn<QString>("words");
        QTest::newRow("traversal") << "../evil.md" << QByteArray("x") << false << "climbs out";
        QTest::newRow("nested traversal") << "references/../../evil.md" << QByteArray("x") << false << "climbs out";
        QTest::newRow("backslash traversal") << "..\\evil.md" << QByteArray("x") << false << "climbs out";
        QTest::newRow("absolute") << "/etc/cron.d/evil" << QByteArray("x") << false << "absolute path";
        QTest::newRow("drive letter") << "C:/evil.md" << QByteArray("x") << false << "absolute path";
        QTest::newRow("symlink out") << "references/passwd.md" << QByteArray("../../../etc/passwd") << true << "leaves the package";
        QTest::newRow("absolute symlink") << "references/passwd.md" << QByteArray("/etc/passwd") << true << "leaves the package";
        QTest::newRow("symlink to nothing") << "references/x.md" << QByteArray("missing.md") << true << "not in the archive";
        QTest::newRow("oversize (bomb)") << "assets/bomb.bin" << zeros(4 * 1024 * 1024) << false << "larger than";
    }

    void archiveRefusals()
    {
        QFETCH(QString, entryName);
        QFETCH(QByteArray, data);
        QFETCH(bool, symlink);
        QFETCH(QString, words);
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("hostile.zip"));
        writeZip(zip, {{QStringLiteral("SKILL.md"), skillMd(QStringLiteral("hostile"))}, {entryName, data, symlink}});
        const QStringList before = snapshot(tmp.path());
        const QStringList parentBefore = snapshot(QDir::tempPath()).filter(QStringLiteral("evil"));
        SkillSourceLimits limits;
        limits.maxFileBytes = 1024 * 1024;
        auto files = SkillSource::read(zip, limits);
        QVERIFY2(!files, "the archive should have been refused");
        QCOMPARE(files.error().code, QStringLiteral("refused"));
        QVERIFY2(files.error().message.contains(words), qPrintable(files.error().text()));
        QVERIFY2(files.error().where.contains(QStringLiteral("evil")) || files.error().where.contains(QStringLiteral("references"))
                     || files.error().where.contains(QStringLiteral("assets")),
                 qPrintable(files.error().where));
        QCOMPARE(snapshot(tmp.path()), before);
        QCOMPARE(snapshot(QDir::tempPath()).filter(QStringLiteral("evil")), parentBefore);
    }

    void archiveTotalCapAndFileCount()
    {
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("big.zip"));
        std::vector<ZipEntry> entries{{QStringLiteral("SKILL.md"), skillMd(QStringLiteral("big"))}};
        for (int i = 0; i < 4; ++i)
            entries.push_back({QStringLiteral("assets/%1.bin").arg(i), zeros(600)});
        writeZip(zip, entries);
        SkillSourceLimits total;
        total.maxTotalBytes = 2000;
        auto files = SkillSource::read(zip, total);
        QVERIFY(!files);
        QVERIFY(files.error().message.contains(QStringLiteral("package is larger")));
        SkillSourceLimits count;
        count.maxFiles = 3;
        files = SkillSource::read(zip, count);
        QVERIFY(!files);
        QVERIFY(files.error().message.contains(QStringLiteral("more than 3 files")));
    }

    void duplicateEntriesAreRefused()
    {
        QTemporaryDir tmp;
        const QString zip = tmp.filePath(QStringLiteral("dup.zip"));
        writeZip(zip, {{QStringLiteral("SKILL.md"), skillMd(QStringLiteral("dup"))}, {QStringLiteral("./SKILL.md"), "other"}});
        auto files = SkillSource::read(zip);
        QVERIFY(!files);
        QVERIFY(files.error().message.contains(QStringLiteral("twice")));
    }

    void garbageArchiveIsAClearError()
    {
        QTemporaryDir tmp;
        writeFile(tmp.path(), QStringLiteral("junk.zip"), QByteArray("PK\x03\x04 this is not really a zip", 32));
        auto files = SkillSource::read(tmp.filePath(QStringLiteral("junk.zip")));
        QVERIFY(!files);
        QVERIFY2(files.error().message.startsWith(QStringLiteral("cannot open the archive")), qPrintable(files.error().text()));
        writeFile(tmp.path(), QStringLiteral("notes.txt"), "hello");
        files = SkillSource::read(tmp.filePath(QStringLiteral("notes.txt")));
        QVERIFY(!files);
        QVERIFY(files.error().message.contains(QStringLiteral("not a skill folder or archive")));
    }

    void normalizeEntry_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("expected"); // empty: refused
        QTest::newRow("plain") << "a/b.md" << "a/b.md";
        QTest::newRow("dot") << "./a/./b.md" << "a/b.md";
        QTest::newRow("double slash") << "a//b.md" << "a/b.md";
        QTest::newRow("backslash") << "a\\b.md" << "a/b.md";
        QTest::newRow("dotdot") << "a/../../b.md" << "";
        QTest::newRow("absolute") << "/a.md" << "";
        QTest::newRow("unc") << "\\\\server\\a.md" << "";
        QTest::newRow("empty") << "" << "";
        QTest::newRow("only dots") << "./." << "";
    }

    void normalizeEntry()
    {
        QFETCH(QString, raw);
        QFETCH(QString, expected);
        const auto result = SkillSource::normalizeEntry(raw);
        if (expected.isEmpty()) {
            QVERIFY(!result);
            QCOMPARE(result.error().code, QStringLiteral("refused"));
        } else {
            QVERIFY(result);
            QCOMPARE(result.value(), expected);
        }
    }
};

QTEST_GUILESS_MAIN(tst_SkillSource)
#include "tst_SkillSource.moc"
