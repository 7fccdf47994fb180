#include "common/AtomicFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;

class tst_AtomicFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesAndReadsBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a/b/c.txt"));
        QVERIFY(AtomicFile::write(path, "hello\n"));
        const auto read = AtomicFile::read(path);
        QVERIFY(read);
        QCOMPARE(*read, QByteArray("hello\n"));
    }

    void readsEmptyAndLargeFiles_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("empty") << 0;
        QTest::newRow("one byte") << 1;
        QTest::newRow("one chunk") << 64 * 1024;
        QTest::newRow("several chunks") << 200 * 1024 + 7;
    }

    void readsEmptyAndLargeFiles()
    {
        QFETCH(int, size);
        QTemporaryDir dir;
        QByteArray data(size, '\0');
        for (int i = 0; i < size; ++i)
            data[i] = char('a' + i % 26);
        const QString path = dir.filePath(QStringLiteral("f"));
        QVERIFY(AtomicFile::write(path, data));
        const auto read = AtomicFile::read(path);
        QVERIFY(read);
        QCOMPARE(read->size(), data.size());
        QVERIFY(*read == data);
    }

    void theCapIsExact()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("f"));
        QVERIFY(AtomicFile::write(path, QByteArray(100, 'x')));
        QVERIFY(AtomicFile::read(path, 100));
        const auto over = AtomicFile::read(path, 99);
        QVERIFY(!over);
        QCOMPARE(over.error().code, QStringLiteral("io"));
        QVERIFY(over.error().message.contains(QStringLiteral("larger than 99 bytes")));
    }

    void readsFilesThatReportNoSize()
    {
        // /proc files say they are empty; their content must come through all the same, and the
        // cap still holds.
        const auto status = AtomicFile::read(QStringLiteral("/proc/self/status"));
        QVERIFY(status);
        QVERIFY(status->startsWith("Name:"));
        QVERIFY(!AtomicFile::read(QStringLiteral("/proc/self/status"), 10));
    }

    void aMissingFileIsNotFound()
    {
        QTemporaryDir dir;
        const auto read = AtomicFile::read(dir.filePath(QStringLiteral("nope")));
        QVERIFY(!read);
        QCOMPARE(read.error().code, QStringLiteral("not-found"));
    }
};

QTEST_GUILESS_MAIN(tst_AtomicFile)
#include "tst_AtomicFile.moc"
