#include "optim/LineDiff.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;

namespace {

// An edit script as "<origin><text>" items: " kept", "-removed", "+added".
QStringList script(const std::vector<LineEdit>& edits)
{
    QStringList out;
    for (const LineEdit& e : edits) {
        const QChar origin = e.kind == LineEdit::Keep  ? QLatin1Char(' ')
                             : e.kind == LineEdit::Add ? QLatin1Char('+')
                                                       : QLatin1Char('-');
        out << origin + e.text;
    }
    return out;
}

QString numbered(int from, int to, const QString& prefix = QStringLiteral("line"))
{
    QString out;
    for (int i = from; i <= to; ++i)
        out += QStringLiteral("%1 %2\n").arg(prefix).arg(i);
    return out;
}

int lcsLength(const QStringList& a, const QStringList& b)
{
    std::vector<std::vector<int>> t(a.size() + 1, std::vector<int>(b.size() + 1, 0));
    for (int i = int(a.size()) - 1; i >= 0; --i)
        for (int j = int(b.size()) - 1; j >= 0; --j)
            t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
    return t[0][0];
}

// The hunks of a patch: every line from the first "@@" on, with git's function context (the
// text after the second "@@") left out, since LineDiff does not guess function names.
QStringList hunkLines(const QString& patch)
{
    QStringList out;
    bool inHunks = false;
    for (QString line : patch.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("@@ "))) {
            inHunks = true;
            line = line.left(line.indexOf(QLatin1String(" @@"), 3) + 3);
        }
        if (inHunks)
            out << line;
    }
    while (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

} // namespace

class tst_LineDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editScript_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QStringList>("expected");
        const auto list = [](std::initializer_list<const char*> items) {
            QStringList out;
            for (const char* item : items)
                out << QString::fromUtf8(item);
            return out;
        };

        QTest::newRow("identical") << "a\nb\n"
                                   << "a\nb\n"
                                   << list({" a", " b"});
        QTest::newRow("both empty") << ""
                                    << "" << QStringList{};
        QTest::newRow("empty to text") << ""
                                       << "a\nb\n"
                                       << list({"+a", "+b"});
        QTest::newRow("text to empty") << "a\nb\n"
                                       << "" << list({"-a", "-b"});
        QTest::newRow("insert at start") << "b\nc\n"
                                         << "a\nb\nc\n"
                                         << list({"+a", " b", " c"});
        QTest::newRow("insert in middle") << "a\nc\n"
                                          << "a\nb\nc\n"
                                          << list({" a", "+b", " c"});
        QTest::newRow("insert at end") << "a\nb\n"
                                       << "a\nb\nc\n"
                                       << list({" a", " b", "+c"});
        QTest::newRow("delete at start") << "a\nb\nc\n"
                                         << "b\nc\n"
                                         << list({"-a", " b", " c"});
        QTest::newRow("delete in middle") << "a\nb\nc\n"
                                          << "a\nc\n"
                                          << list({" a", "-b", " c"});
        QTest::newRow("delete at end") << "a\nb\nc\n"
                                       << "a\nb\n"
                                       << list({" a", " b", "-c"});
        QTest::newRow("replace one") << "a\nb\nc\n"
                                     << "a\nx\nc\n"
                                     << list({" a", "-b", "+x", " c"});
        QTest::newRow("replace two by three") << "a\nb\nc\nd\n"
                                              << "a\nx\ny\nz\nd\n"
                                              << list({" a", "-b", "-c", "+x", "+y", "+z", " d"});
        QTest::newRow("replace all") << "a\nb\n"
                                     << "x\ny\n"
                                     << list({"-a", "-b", "+x", "+y"});
        QTest::newRow("CRLF equals LF") << "a\r\nb\r\n"
                                        << "a\nb\n"
                                        << list({" a", " b"});
        QTest::newRow("CRLF with a change") << "a\r\nb\r\n"
                                            << "a\nc\n"
                                            << list({" a", "-b", "+c"});
        QTest::newRow("no final newline in a") << "a\nb"
                                               << "a\nb\n"
                                               << list({" a", " b"});
        QTest::newRow("no final newline in b") << "a\nb\n"
                                               << "a\nb" << list({" a", " b"});
        QTest::newRow("no final newline, change") << "a\nb"
                                                  << "a\nc" << list({" a", "-b", "+c"});
        QTest::newRow("one blank line vs none") << "\n"
                                                << "" << list({"-"});
        QTest::newRow("blank line added") << "a\nb\n"
                                          << "a\n\nb\n"
                                          << list({" a", "+", " b"});
        QTest::newRow("line moved down") << "a\nb\nc\n"
                                         << "b\nc\na\n"
                                         << list({"-a", " b", " c", "+a"});
        // An insertion among equal lines slides as far down as it can, as in git.
        QTest::newRow("slides down") << "x\ny\ny\nz\n"
                                     << "x\ny\ny\ny\nz\n"
                                     << list({" x", " y", " y", "+y", " z"});
        QTest::newRow("new section slides past the blank line")
            << "# A\ntext\n\n# B\n"
            << "# A\ntext\n\n# New\nnew text\n\n# B\n"
            << list({" # A", " text", " ", "+# New", "+new text", "+", " # B"});
        // Between two edits, a removed blank line among blank lines goes to the last of them.
        QTest::newRow("removed blank line slides down")
            << "# Steps\n\nCheck types.\n\n\nCount rows.\n\nDone.\n"
            << "# Steps\nCheck types.\n\nCount rows.\n\nDone!\n"
            << list({" # Steps", "-", " Check types.", " ", "-", " Count rows.", " ", "-Done.",
                     "+Done!"});
    }

    void editScript()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QStringList, expected);
        QCOMPARE(script(LineDiff::diff(a, b)), expected);
    }

    void lineNumbers()
    {
        const auto edits =
            LineDiff::diff(QStringLiteral("a\nb\nc\n"), QStringLiteral("a\nx\ny\nc\n"));
        QCOMPARE(edits.size(), std::size_t(5));
        // Keep a (1,1), Remove b (2,0), Add x (0,2), Add y (0,3), Keep c (3,4).
        const int expected[5][2] = {{1, 1}, {2, 0}, {0, 2}, {0, 3}, {3, 4}};
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(edits[i].oldLine, expected[i][0]);
            QCOMPARE(edits[i].newLine, expected[i][1]);
        }
    }

    // Random texts over a small alphabet (many equal lines): the script rebuilds both texts and
    // keeps a longest common subsequence, so it is a shortest edit script.
    void scriptIsMinimal()
    {
        QRandomGenerator random(20240611);
        const QStringList alphabet = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                      QString()};
        for (int round = 0; round < 400; ++round) {
            QStringList a, b;
            const int na = random.bounded(25), nb = random.bounded(25);
            for (int i = 0; i < na; ++i)
                a << alphabet[random.bounded(int(alphabet.size()))];
            for (int i = 0; i < nb; ++i)
                b << alphabet[random.bounded(int(alphabet.size()))];
            const QString textA =
                a.isEmpty() ? QString() : a.join(QLatin1Char('\n')) + QLatin1Char('\n');
            const QString textB =
                b.isEmpty() ? QString() : b.join(QLatin1Char('\n')) + QLatin1Char('\n');
            const auto edits = LineDiff::diff(textA, textB);

            QStringList rebuiltA, rebuiltB;
            int kept = 0, oldLine = 0, newLine = 0;
            for (const LineEdit& e : edits) {
                if (e.kind != LineEdit::Add) {
                    rebuiltA << e.text;
                    QCOMPARE(e.oldLine, ++oldLine);
                }
                if (e.kind != LineEdit::Remove) {
                    rebuiltB << e.text;
                    QCOMPARE(e.newLine, ++newLine);
                }
                kept += e.kind == LineEdit::Keep ? 1 : 0;
            }
            QCOMPARE(rebuiltA, a);
            QCOMPARE(rebuiltB, b);
            QCOMPARE(kept, lcsLength(a, b));
        }
    }

    void largeFiles()
    {
        // 2,000 lines each, every line different: the worst case for Myers stays quick.
        const auto edits = LineDiff::diff(numbered(1, 2000, QStringLiteral("old")),
                                          numbered(1, 2000, QStringLiteral("new")));
        QCOMPARE(edits.size(), std::size_t(4000));
        QCOMPARE(edits.front().kind, LineEdit::Remove);
        QCOMPARE(edits.back().kind, LineEdit::Add);
    }

    void unified_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("context");
        QTest::addColumn<QString>("expected");
        const QString head = QStringLiteral("--- a/SKILL.md\n+++ b/SKILL.md\n");

        QTest::newRow("no change") << "a\n"
                                   << "a\r\n"
                                   << 3 << QString();
        QTest::newRow("one line changed, short file")
            << "a\nb\nc\n"
            << "a\nx\nc\n"
            << 3 << head + QStringLiteral("@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n");
        QTest::newRow("counts of one are left out")
            << "a\n"
            << "b\n"
            << 3 << head + QStringLiteral("@@ -1 +1 @@\n-a\n+b\n");
        QTest::newRow("no context") << numbered(1, 9) << numbered(1, 4) + numbered(6, 9) << 0
                                    << head + QStringLiteral("@@ -5 +4,0 @@\n-line 5\n");
        QTest::newRow("insertion without context")
            << numbered(1, 4) << numbered(1, 2) + QStringLiteral("new\n") + numbered(3, 4) << 0
            << head + QStringLiteral("@@ -2,0 +3 @@\n+new\n");
        // Changes 6 unchanged lines apart share a hunk; 7 apart make two.
        QTest::newRow("gap of 6 joins")
            << numbered(1, 20)
            << numbered(1, 4) + QStringLiteral("x\n") + numbered(6, 11) + QStringLiteral("y\n") +
                   numbered(13, 20)
            << 3
            << head + QStringLiteral(
                          "@@ -2,14 +2,14 @@\n line 2\n line 3\n line 4\n-line 5\n+x\n line 6\n "
                          "line 7\n line 8\n line 9\n"
                          " line 10\n line 11\n-line 12\n+y\n line 13\n line 14\n line 15\n");
        QTest::newRow("gap of 7 splits")
            << numbered(1, 20)
            << numbered(1, 4) + QStringLiteral("x\n") + numbered(6, 12) + QStringLiteral("y\n") +
                   numbered(14, 20)
            << 3
            << head + QStringLiteral("@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+x\n "
                                     "line 6\n line 7\n line 8\n"
                                     "@@ -10,7 +10,7 @@\n line 10\n line 11\n line 12\n-line "
                                     "13\n+y\n line 14\n line 15\n line 16\n");
    }

    void unified()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, context);
        QFETCH(QString, expected);
        QCOMPARE(LineDiff::unified(QStringLiteral("SKILL.md"), a, b, context), expected);
    }

    void unifiedAddedAndDeletedFiles()
    {
        const QString path = QStringLiteral("references/x.md");
        QCOMPARE(LineDiff::unified(path, QString(), QStringLiteral("a\nb\n")),
                 QStringLiteral("--- /dev/null\n+++ b/references/x.md\n@@ -0,0 +1,2 @@\n+a\n+b\n"));
        QCOMPARE(LineDiff::unified(path, QStringLiteral("a\n"), QString()),
                 QStringLiteral("--- a/references/x.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n"));
        // An existing empty file is not a missing one.
        QCOMPARE(
            LineDiff::unified(path, QStringLiteral(""), QStringLiteral("a\n")),
            QStringLiteral("--- a/references/x.md\n+++ b/references/x.md\n@@ -0,0 +1 @@\n+a\n"));
        // A file added or deleted empty still shows as one.
        QCOMPARE(LineDiff::unified(path, QString(), QStringLiteral("")),
                 QStringLiteral("--- /dev/null\n+++ b/references/x.md\n"));
    }

    void unifiedMatchesGit_data()
    {
        QTest::addColumn<QString>("a"); // null: the file is added
        QTest::addColumn<QString>("b"); // null: the file is deleted
        const QString body = QStringLiteral(
            "# Table QA\n\nInspect the table first.\n\n## Counting\n\nCount rows with SQL.\n"
            "Check for duplicates.\n\n## Dates\n\nParse dates as ISO.\nMind partial dates.\n\n"
            "## Output\n\nSubmit a list.\nOne value per item.\n");
        QString edited = body;
        edited.replace(
            QStringLiteral("Count rows with SQL.\n"),
            QStringLiteral(
                "Count rows with SQL, never by eye.\nRead references/count.md when counting.\n"));
        edited.replace(QStringLiteral("One value per item.\n"),
                       QStringLiteral("One value per item, no units.\n"));
        QString sectionAdded = body;
        sectionAdded.replace(
            QStringLiteral("## Output\n"),
            QStringLiteral("## Superlatives\n\nSort, then take the first row.\n\n## Output\n"));

        QTest::newRow("two hunks") << numbered(1, 30)
                                   << numbered(1, 3) + QStringLiteral("three and a half\n") +
                                          numbered(4, 19) + numbered(21, 30);
        QTest::newRow("skill edits") << body << edited;
        QTest::newRow("section added") << body << sectionAdded;
        QTest::newRow("section removed") << sectionAdded << body;
        QTest::newRow("blank lines removed between edits")
            << QStringLiteral("# Steps\n\nCheck types.\n\n\nCount rows.\n\nDone.\n")
            << QStringLiteral("# Steps\nCheck types.\n\nCount rows.\n\nDone!\n");
        QTest::newRow("everything replaced")
            << numbered(1, 5) << numbered(1, 4, QStringLiteral("row"));
        QTest::newRow("added file") << QString() << body;
        QTest::newRow("deleted file") << body << QString();
    }

    void unifiedMatchesGit()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        const QString git = QStandardPaths::findExecutable(QStringLiteral("git"));
        if (git.isEmpty())
            QSKIP("git is not installed");
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const auto write = [&](const QString& name, const QString& text) {
            QFile f(tmp.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text.toUtf8());
        };
        write(QStringLiteral("old.md"), a);
        write(QStringLiteral("new.md"), b);

        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // The user's and the system's git config stay out (diff.algorithm and the like).
        env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
        env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(tmp.path());
        p.start(git, {QStringLiteral("diff"), QStringLiteral("--no-index"),
                      QStringLiteral("--no-color"), QStringLiteral("--no-ext-diff"),
                      a.isNull() ? QStringLiteral("/dev/null") : QStringLiteral("old.md"),
                      b.isNull() ? QStringLiteral("/dev/null") : QStringLiteral("new.md")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1); // 1: the files differ
        const QString fromGit = QString::fromUtf8(p.readAllStandardOutput());

        const QString ours = LineDiff::unified(QStringLiteral("SKILL.md"), a, b);
        QVERIFY2(!hunkLines(fromGit).isEmpty(), qPrintable(fromGit));
        QCOMPARE(hunkLines(ours), hunkLines(fromGit));
        QCOMPARE(ours.section(QLatin1Char('\n'), 0, 1),
                 QStringLiteral("%1\n%2").arg(a.isNull() ? QStringLiteral("--- /dev/null")
                                                         : QStringLiteral("--- a/SKILL.md"),
                                              b.isNull() ? QStringLiteral("+++ /dev/null")
                                                         : QStringLiteral("+++ b/SKILL.md")));
    }
};

QTEST_GUILESS_MAIN(tst_LineDiff)
#include "tst_LineDiff.moc"
