#include "history/GitRepo.h"

#include "TestSupport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cstdio>
#include <type_traits>
#include <unistd.h>

using namespace sg;
using namespace sg::test;

static_assert(!std::is_copy_constructible_v<GitRepo>, "GitRepo owns libgit2 handles");
static_assert(std::is_nothrow_move_constructible_v<GitRepo>, "GitRepo is movable");

namespace {

const char* const kChildCommitLoop = "--child-commit-loop";
const char* const kChildHoldLock = "--child-hold-lock";

struct GitRun
{
    int code = -1;
    QString out;
    QString err;
};

// Runs the real git CLI on `dir`.
GitRun git(const QString& dir, const QStringList& args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-C"), dir} + args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString gitOut(const QString& dir, const QStringList& args)
{
    return git(dir, args).out.trimmed();
}

template <typename T> QByteArray why(const Result<T>& r)
{
    return r ? QByteArray() : r.error().text().toUtf8();
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

QByteArray numberedLines(int count, int changed = -1, const QByteArray& replacement = {})
{
    QByteArray out;
    for (int i = 1; i <= count; ++i)
        out +=
            i == changed ? replacement + '\n' : QByteArray("line ") + QByteArray::number(i) + '\n';
    return out;
}

std::vector<TreeFile> sampleFiles(const QString& step = QStringLiteral("1"))
{
    return {
        {QStringLiteral("SKILL.md"),
         skillMd(QStringLiteral("demo"), {},
                 QStringLiteral("# Steps\n\n1. Inspect the table.\n2. Answer %1.\n").arg(step)),
         false},
        {QStringLiteral("references/guide.md"), numberedLines(20), false},
        {QStringLiteral("scripts/run.sh"), "#!/bin/sh\necho hi\n", true},
    };
}

TreeFile* findFile(std::vector<TreeFile>& files, const QString& path)
{
    for (TreeFile& f : files) {
        if (f.path == path)
            return &f;
    }
    return nullptr;
}

// The lines of a patch that carry content or file names: "+...", "-...".
QStringList changeLines(const QString& patch)
{
    QStringList out;
    for (const QString& line : patch.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1Char('+')) || line.startsWith(QLatin1Char('-')))
            out << line;
        else if (line.startsWith(QLatin1String("@@")))
            out << line.section(QLatin1String("@@"), 1, 1); // the ranges, not the function context
    }
    return out;
}

QStringList lines(const QString& text)
{
    return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

// Creates a repository with a first version; the repository is returned through `out`.
#define MAKE_REPO(out, dir)                                                                        \
    auto out = GitRepo::init(dir);                                                                 \
    QVERIFY2(out, why(out).constData());                                                           \
    {                                                                                              \
        auto first_ =                                                                              \
            out->commitFiles(sampleFiles(), QStringLiteral("Import skill demo"), {}, {});          \
        QVERIFY2(first_, why(first_).constData());                                                 \
    }

#define VERIFY_FSCK(dir)                                                                           \
    do {                                                                                           \
        const GitRun f_ = git(dir, {QStringLiteral("fsck"), QStringLiteral("--strict"),            \
                                    QStringLiteral("--no-progress")});                             \
        QVERIFY2(f_.code == 0 && !f_.err.contains(QLatin1String("error")) &&                       \
                     !f_.err.contains(QLatin1String("warning")),                                   \
                 qPrintable(f_.out + f_.err));                                                     \
    } while (0)

#define VERIFY_STATUS_CLEAN(dir)                                                                   \
    do {                                                                                           \
        const GitRun s_ = git(dir, {QStringLiteral("status"), QStringLiteral("--porcelain"),       \
                                    QStringLiteral("--untracked-files=all")});                     \
        QCOMPARE(s_.code, 0);                                                                      \
        QVERIFY2(s_.out.isEmpty(), qPrintable(s_.out));                                            \
    } while (0)

// ---- child processes ------------------------------------------------------------------------

// A sizeable tree that changes a tenth of its files, the executable bit and one file's presence
// from one commit to the next.
std::vector<TreeFile> bigTree(int round, int i)
{
    std::vector<TreeFile> files;
    files.push_back({QStringLiteral("SKILL.md"),
                     skillMd(QStringLiteral("demo"), {},
                             QStringLiteral("Round %1 commit %2\n").arg(round).arg(i)),
                     false});
    for (int f = 0; f < 300; ++f) {
        const int version = f % 10 == i % 10 ? i : -1;
        const QByteArray line =
            QStringLiteral("round %1 file %2 version %3 of the reference text\n")
                .arg(round)
                .arg(f)
                .arg(version)
                .toUtf8();
        files.push_back({QStringLiteral("references/part-%1.md").arg(f, 3, 10, QLatin1Char('0')),
                         line.repeated(80), false});
    }
    if (i % 3 != 0)
        files.push_back({QStringLiteral("references/extra.md"),
                         QByteArray("extra ") + QByteArray::number(i), false});
    files.push_back({QStringLiteral("scripts/run.sh"), "#!/bin/sh\necho run\n", i % 2 == 0});
    return files;
}

int childCommitLoop(const QString& dir, int round)
{
    auto repo = GitRepo::open(dir);
    if (!repo) {
        std::fprintf(stderr, "E open: %s\n", qPrintable(repo.error().text()));
        return 3;
    }
    for (int i = 0;; ++i) {
        auto v = repo->commitFiles(bigTree(round, i),
                                   QStringLiteral("Loop commit %1.%2").arg(round).arg(i),
                                   QStringLiteral("A commit made to be interrupted."),
                                   {{QStringLiteral("SkillGrad-Run"), QStringLiteral("loop")},
                                    {QStringLiteral("SkillGrad-Iteration"), QString::number(i)}});
        if (!v) {
            std::fprintf(stderr, "E commit: %s\n", qPrintable(v.error().text()));
            return 4;
        }
        std::printf("c %d\n", i);
        std::fflush(stdout);
    }
}

int childHoldLock(const QString& gitDir)
{
    QLockFile lock(gitDir + QStringLiteral("/skillgrad-writer"));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(10000))
        return 3;
    std::printf("locked\n");
    std::fflush(stdout);
    for (;;)
        QThread::sleep(1);
}

// Starts this binary as a child holding the writer lock, and waits until it holds it.
bool startLockHolder(QProcess& child, const QString& gitDir)
{
    child.start(QCoreApplication::applicationFilePath(),
                {QString::fromLatin1(kChildHoldLock), gitDir});
    if (!child.waitForStarted(10000))
        return false;
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (!out.contains("locked") && timer.elapsed() < 20000 &&
           child.state() == QProcess::Running) {
        child.waitForReadyRead(200);
        out += child.readAllStandardOutput();
    }
    return out.contains("locked");
}

} // namespace

class tst_GitRepo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initMakesMainWithoutCommits()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + QStringLiteral("/ws/skill");
        auto repo = GitRepo::init(dir);
        QVERIFY2(repo, why(repo).constData());
        QVERIFY(QFileInfo(dir + QStringLiteral("/.git")).isDir());
        QCOMPARE(gitOut(dir, {QStringLiteral("symbolic-ref"), QStringLiteral("HEAD")}),
                 QStringLiteral("refs/heads/main"));
        auto versions = repo->versions();
        QVERIFY2(versions, why(versions).constData());
        QVERIFY(versions->empty());
        QVERIFY(repo->proposals().empty());
        QCOMPARE(repo->isDirty().value(), false);
        QCOMPARE(repo->workdir(), QDir::cleanPath(dir));

        auto again = GitRepo::init(dir);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("exists"));
    }

    void openNeverUsesAParentRepository()
    {
        QTemporaryDir tmp;
        MAKE_REPO(repo, tmp.path());
        QDir(tmp.path()).mkpath(QStringLiteral("inner"));
        auto inner = GitRepo::open(tmp.path() + QStringLiteral("/inner"));
        QVERIFY(!inner);
        QCOMPARE(inner.error().code, QStringLiteral("not-found"));
        QVERIFY(inner.error().text().contains(QStringLiteral("inner")));
        auto opened = GitRepo::open(tmp.path());
        QVERIFY2(opened, why(opened).constData());
        QCOMPARE(opened->version(QStringLiteral("main"))->summary,
                 QStringLiteral("Import skill demo"));
    }

    void commitsRoundTripThroughGit()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        VERIFY_STATUS_CLEAN(dir);
        QCOMPARE(readFile(dir + QStringLiteral("/references/guide.md")), numberedLines(20));

        std::vector<TreeFile> files = sampleFiles(QStringLiteral("2"));
        files.erase(files.begin() + 1); // drop references/guide.md
        files.push_back({QStringLiteral("references/new.md"), "new\n", false});
        const Trailers trailers{{QStringLiteral("SkillGrad-Run"), QStringLiteral("r1")},
                                {QStringLiteral("SkillGrad-Val-Score"), QStringLiteral("0.75")}};
        auto second = repo->commitFiles(files, QStringLiteral("Tighten the steps"),
                                        QStringLiteral("Why: answers were too long."), trailers);
        QVERIFY2(second, why(second).constData());
        QCOMPARE(second->trailers, trailers);
        QCOMPARE(second->trailer(QStringLiteral("skillgrad-run")), QStringLiteral("r1"));
        QCOMPARE(second->trailer(QStringLiteral("Missing")), QString());
        QCOMPARE(second->message,
                 QStringLiteral("Tighten the steps\n\nWhy: answers were too long.\n\n"
                                "SkillGrad-Run: r1\nSkillGrad-Val-Score: 0.75\n"));
        QCOMPARE(second->shortSha(), second->sha.left(7));

        // The work tree follows main: removed file gone, new file there, status clean.
        QVERIFY(!QFile::exists(dir + QStringLiteral("/references/guide.md")));
        QCOMPARE(readFile(dir + QStringLiteral("/references/new.md")), QByteArray("new\n"));
        VERIFY_STATUS_CLEAN(dir);
        VERIFY_FSCK(dir);

        auto versions = repo->versions();
        QVERIFY2(versions, why(versions).constData());
        QCOMPARE(versions->size(), size_t(2));
        QCOMPARE(versions->at(0).sha, second->sha);
        QCOMPARE(versions->at(0).parents, QStringList{versions->at(1).sha});
        QVERIFY(versions->at(1).parents.isEmpty());
        QCOMPARE(repo->versions(QStringLiteral("main"), 1)->size(), size_t(1));

        // The same through git.
        QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"), QStringLiteral("main")}), second->sha);
        const QStringList log =
            git(dir, {QStringLiteral("log"),
                      QStringLiteral("--format=%H%x00%s%x00%(trailers:only,unfold)%x01")})
                .out.split(QChar(1), Qt::SkipEmptyParts);
        QCOMPARE(log.size(), 3); // two commits and the final newline
        const QStringList newest = log[0].split(QChar(0));
        QCOMPARE(newest[0].trimmed(), second->sha);
        QCOMPARE(newest[1], QStringLiteral("Tighten the steps"));
        QCOMPARE(lines(newest[2]), (QStringList{QStringLiteral("SkillGrad-Run: r1"),
                                                QStringLiteral("SkillGrad-Val-Score: 0.75")}));
        QCOMPARE(log[1].split(QChar(0))[1], QStringLiteral("Import skill demo"));
        const QString raw =
            git(dir, {QStringLiteral("cat-file"), QStringLiteral("-p"), second->sha}).out;
        QVERIFY2(raw.endsWith(second->message), qPrintable(raw));

        // Author from git config when set, else the SkillGrad identity.
        const QString configured =
            gitOut(dir, {QStringLiteral("config"), QStringLiteral("user.name")});
        QCOMPARE(second->author, configured.isEmpty() ? QStringLiteral("SkillGrad") : configured);
        QCOMPARE(gitOut(dir, {QStringLiteral("log"), QStringLiteral("-1"),
                              QStringLiteral("--format=%an <%ae>|%cn")}),
                 second->author + QStringLiteral(" <") + second->authorEmail +
                     QStringLiteral(">|") + second->author);

        // files() gives back exactly what was committed, sorted.
        auto back = repo->files(second->sha);
        QVERIFY2(back, why(back).constData());
        QCOMPARE(back->size(), size_t(3));
        QCOMPARE(back->at(0).path, QStringLiteral("SKILL.md"));
        QCOMPARE(back->at(1).path, QStringLiteral("references/new.md"));
        QCOMPARE(back->at(2).data, QByteArray("#!/bin/sh\necho hi\n"));

        auto same = repo->commitFiles(files, QStringLiteral("Again"), {}, {});
        QVERIFY(!same);
        QCOMPARE(same.error().code, QStringLiteral("unchanged"));
    }

    void authorComesFromGitConfig()
    {
        QTemporaryDir tmp;
        auto repo = GitRepo::init(tmp.path());
        QVERIFY(repo);
        QCOMPARE(git(tmp.path(), {QStringLiteral("config"), QStringLiteral("user.name"),
                                  QStringLiteral("Ada Lovelace")})
                     .code,
                 0);
        QCOMPARE(git(tmp.path(), {QStringLiteral("config"), QStringLiteral("user.email"),
                                  QStringLiteral("ada@example.org")})
                     .code,
                 0);
        auto reopened = GitRepo::open(tmp.path());
        QVERIFY(reopened);
        auto v = reopened->commitFiles(sampleFiles(), QStringLiteral("First"), {}, {});
        QVERIFY2(v, why(v).constData());
        QCOMPARE(v->author, QStringLiteral("Ada Lovelace"));
        QCOMPARE(v->authorEmail, QStringLiteral("ada@example.org"));
        VERIFY_FSCK(tmp.path());
    }

    void executableBitIsKept()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        const QString tree =
            git(dir, {QStringLiteral("ls-tree"), QStringLiteral("-r"), QStringLiteral("main")}).out;
        QVERIFY2(
            tree.contains(QRegularExpression(QStringLiteral("^100755 blob \\w+\\tscripts/run.sh$"),
                                             QRegularExpression::MultilineOption)),
            qPrintable(tree));
        QVERIFY2(tree.contains(QRegularExpression(QStringLiteral("^100644 blob \\w+\\tSKILL.md$"),
                                                  QRegularExpression::MultilineOption)),
                 qPrintable(tree));
        QVERIFY(QFileInfo(dir + QStringLiteral("/scripts/run.sh")).permissions() &
                QFileDevice::ExeOwner);
        QVERIFY(
            !(QFileInfo(dir + QStringLiteral("/SKILL.md")).permissions() & QFileDevice::ExeOwner));
        auto files = repo->files(QStringLiteral("main"));
        QVERIFY(files);
        QVERIFY(findFile(files.value(), QStringLiteral("scripts/run.sh"))->executable);

        // Only the bit changes: still a new version, and the file on disk follows.
        std::vector<TreeFile> changed = sampleFiles();
        findFile(changed, QStringLiteral("scripts/run.sh"))->executable = false;
        auto v = repo->commitFiles(changed, QStringLiteral("Not executable"), {}, {});
        QVERIFY2(v, why(v).constData());
        QVERIFY(git(dir, {QStringLiteral("ls-tree"), QStringLiteral("main"),
                          QStringLiteral("scripts/run.sh")})
                    .out.startsWith(QStringLiteral("100644")));
        QVERIFY(!(QFileInfo(dir + QStringLiteral("/scripts/run.sh")).permissions() &
                  QFileDevice::ExeOwner));
        VERIFY_STATUS_CLEAN(dir);
    }

    void badPathsAreRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("absolute") << "/etc/passwd";
        QTest::newRow("dot dot") << "../outside.md";
        QTest::newRow("inner dot dot") << "references/../../x.md";
        QTest::newRow("empty") << "";
        QTest::newRow("git folder") << ".git/config";
        QTest::newRow("inner git folder") << "references/.git/hooks/x";
        QTest::newRow("double slash") << "references//x.md";
        QTest::newRow("backslash") << "references\\x.md";
    }

    void badPathsAreRefused()
    {
        QFETCH(QString, path);
        QTemporaryDir tmp;
        MAKE_REPO(repo, tmp.path());
        const QString before = repo->version(QStringLiteral("main"))->sha;
        std::vector<TreeFile> files = sampleFiles(QStringLiteral("2"));
        files.push_back({path, "x", false});
        auto v = repo->commitFiles(files, QStringLiteral("Bad"), {}, {});
        QVERIFY(!v);
        QCOMPARE(v.error().code, QStringLiteral("invalid"));
        QVERIFY2(v.error().text().contains(path.isEmpty() ? QStringLiteral("empty") : path),
                 qPrintable(v.error().text()));
        QCOMPARE(repo->version(QStringLiteral("main"))->sha, before);
        auto p = repo->createProposal(QStringLiteral("r"), 1, files, QStringLiteral("Bad"), {});
        QVERIFY(!p);
        QCOMPARE(p.error().code, QStringLiteral("invalid"));
    }

    void badTrailersAreRefused()
    {
        QTemporaryDir tmp;
        MAKE_REPO(repo, tmp.path());
        auto v = repo->commitFiles(sampleFiles(QStringLiteral("2")), QStringLiteral("x"), {},
                                   {{QStringLiteral("Bad Key"), QStringLiteral("v")}});
        QVERIFY(!v);
        QCOMPARE(v.error().code, QStringLiteral("invalid"));
        QVERIFY(v.error().text().contains(QStringLiteral("Bad Key")));
        QCOMPARE(repo->versions()->size(), size_t(1));
    }

    void commitWorkTreeRecordsHandEdits()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        QCOMPARE(repo->isDirty().value(), false);
        writeFile(dir, QStringLiteral("SKILL.md"),
                  skillMd(QStringLiteral("demo"), {}, QStringLiteral("Edited by hand.\n")));
        writeFile(dir, QStringLiteral("notes/idea.md"), "an idea\n");
        QVERIFY(QFile::remove(dir + QStringLiteral("/references/guide.md")));
        QCOMPARE(repo->isDirty().value(), true);

        auto v =
            repo->commitWorkTree(QStringLiteral("Hand edit"), {},
                                 {{QStringLiteral("SkillGrad-Decision"), QStringLiteral("user")}});
        QVERIFY2(v, why(v).constData());
        QCOMPARE(v->trailer(QStringLiteral("SkillGrad-Decision")), QStringLiteral("user"));
        QCOMPARE(repo->isDirty().value(), false);
        VERIFY_STATUS_CLEAN(dir);
        const QStringList tree =
            lines(gitOut(dir, {QStringLiteral("ls-tree"), QStringLiteral("-r"),
                               QStringLiteral("--name-only"), QStringLiteral("main")}));
        QCOMPARE(tree, (QStringList{QStringLiteral("SKILL.md"), QStringLiteral("notes/idea.md"),
                                    QStringLiteral("scripts/run.sh")}));
        QCOMPARE(gitOut(dir, {QStringLiteral("show"), QStringLiteral("main:SKILL.md")}).toUtf8() +
                     '\n',
                 skillMd(QStringLiteral("demo"), {}, QStringLiteral("Edited by hand.\n")));
        VERIFY_FSCK(dir);

        auto again = repo->commitWorkTree(QStringLiteral("Nothing"), {}, {});
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("unchanged"));
        QCOMPARE(repo->versions()->size(), size_t(2));
    }

    void commitWorkTreeRefusesLinksOut()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + QStringLiteral("/skill");
        MAKE_REPO(repo, dir);
        writeFile(tmp.path(), QStringLiteral("secret.txt"), "secret");
        QVERIFY(QFile::link(tmp.path() + QStringLiteral("/secret.txt"),
                            dir + QStringLiteral("/references/leak.md")));
        auto v = repo->commitWorkTree(QStringLiteral("Leak"), {}, {});
        QVERIFY(!v);
        QCOMPARE(v.error().code, QStringLiteral("refused"));
        QCOMPARE(repo->versions()->size(), size_t(1));
    }

    void commitFilesRefusesADirtyWorkTree()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        writeFile(dir, QStringLiteral("references/guide.md"), "my own edit\n");
        auto v = repo->commitFiles(sampleFiles(QStringLiteral("2")), QStringLiteral("Overwrite"),
                                   {}, {});
        QVERIFY(!v);
        QCOMPARE(v.error().code, QStringLiteral("dirty"));
        QVERIFY2(v.error().text().contains(QStringLiteral("references/guide.md")),
                 qPrintable(v.error().text()));
        QCOMPARE(readFile(dir + QStringLiteral("/references/guide.md")),
                 QByteArray("my own edit\n"));
        QCOMPARE(repo->versions()->size(), size_t(1));
    }

    void unifiedDiffMatchesGit()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        auto repo = GitRepo::init(dir);
        QVERIFY(repo);
        std::vector<TreeFile> files = sampleFiles();
        files.push_back({QStringLiteral("references/old.md"), "old\nfile\n", false});
        auto v1 = repo->commitFiles(files, QStringLiteral("One"), {}, {});
        QVERIFY(v1);
        findFile(files, QStringLiteral("references/guide.md"))->data =
            numberedLines(20, 3, "line three").replace("line 15\n", "line fifteen\n") + "line 21\n";
        files.erase(files.end() - 1);
        files.push_back({QStringLiteral("references/new.md"), "brand\nnew\n", false});
        auto v2 = repo->commitFiles(files, QStringLiteral("Two"), {}, {});
        QVERIFY(v2);

        auto ours = repo->unifiedDiff(v1->sha, v2->sha);
        QVERIFY2(ours, why(ours).constData());
        const GitRun theirs = git(dir, {QStringLiteral("diff"), v1->sha, v2->sha});
        QCOMPARE(theirs.code, 0);
        QVERIFY(ours->startsWith(QStringLiteral("diff --git a/")));
        QVERIFY(ours->contains(
            QStringLiteral("--- a/references/guide.md\n+++ b/references/guide.md\n")));
        QCOMPARE(changeLines(*ours), changeLines(theirs.out));
        QVERIFY(changeLines(*ours).contains(QStringLiteral("+line fifteen")));

        // Against the work tree: a hand edit and a deletion, compared with `git diff <sha>`.
        writeFile(dir, QStringLiteral("references/guide.md"), numberedLines(21, 10, "line ten"));
        QVERIFY(QFile::remove(dir + QStringLiteral("/SKILL.md")));
        auto work = repo->unifiedDiff(v2->sha);
        QVERIFY2(work, why(work).constData());
        const GitRun gitWork = git(dir, {QStringLiteral("diff"), v2->sha});
        QCOMPARE(gitWork.code, 0);
        QCOMPARE(changeLines(*work), changeLines(gitWork.out));
        QVERIFY(changeLines(*work).contains(QStringLiteral("+line ten")));
        QVERIFY(changeLines(*work).contains(QStringLiteral("+++ /dev/null")));

        // No changes, no diff.
        auto none = repo->unifiedDiff(v2->sha, v2->sha);
        QVERIFY(none);
        QVERIFY(none->isEmpty());
    }

    void structuredHunks()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        auto repo = GitRepo::init(dir);
        QVERIFY(repo);
        std::vector<TreeFile> files = sampleFiles();
        files.push_back({QStringLiteral("references/gone.md"), "a\nb\nc\n", false});
        files.push_back({QStringLiteral("assets/data.bin"), QByteArray("\0\1\2\3", 4), false});
        files.push_back({QStringLiteral("references/moved.md"), numberedLines(30), false});
        auto v1 = repo->commitFiles(files, QStringLiteral("One"), {}, {});
        QVERIFY(v1);

        findFile(files, QStringLiteral("references/guide.md"))->data =
            numberedLines(20, 3, "line three") + "line 21\n";
        findFile(files, QStringLiteral("assets/data.bin"))->data = QByteArray("\0\1\2\4", 4);
        findFile(files, QStringLiteral("references/moved.md"))->path =
            QStringLiteral("references/renamed.md");
        files.erase(std::find_if(files.begin(), files.end(), [](const TreeFile& f) {
            return f.path == QLatin1String("references/gone.md");
        }));
        files.push_back({QStringLiteral("references/added.md"), "one\ntwo\n", false});
        auto v2 = repo->commitFiles(files, QStringLiteral("Two"), {}, {});
        QVERIFY(v2);

        auto diff = repo->diff(v1->sha, v2->sha);
        QVERIFY2(diff, why(diff).constData());
        auto find = [&](const QString& path) -> const FileDiff* {
            for (const FileDiff& f : *diff) {
                if (f.newPath == path)
                    return &f;
            }
            return nullptr;
        };
        QCOMPARE(diff->size(), size_t(5));

        const FileDiff* guide = find(QStringLiteral("references/guide.md"));
        QVERIFY(guide);
        QCOMPARE(guide->status, FileDiff::Status::Modified);
        QCOMPARE(guide->additions, 2);
        QCOMPARE(guide->deletions, 1);
        QCOMPARE(guide->hunks.size(), size_t(2));
        const DiffHunk& h1 = guide->hunks[0];
        QVERIFY2(h1.header.startsWith(QStringLiteral("@@ -1,6 +1,6 @@")), qPrintable(h1.header));
        QCOMPARE(h1.oldStart, 1);
        QCOMPARE(h1.oldLines, 6);
        QCOMPARE(h1.newStart, 1);
        QCOMPARE(h1.newLines, 6);
        QCOMPARE(h1.lines.size(), size_t(7));
        QCOMPARE(h1.lines[0].origin, ' ');
        QCOMPARE(h1.lines[0].text, QStringLiteral("line 1"));
        QCOMPARE(h1.lines[0].oldLine, 1);
        QCOMPARE(h1.lines[0].newLine, 1);
        QCOMPARE(h1.lines[2].origin, '-');
        QCOMPARE(h1.lines[2].text, QStringLiteral("line 3"));
        QCOMPARE(h1.lines[2].oldLine, 3);
        QCOMPARE(h1.lines[2].newLine, -1);
        QCOMPARE(h1.lines[3].origin, '+');
        QCOMPARE(h1.lines[3].text, QStringLiteral("line three"));
        QCOMPARE(h1.lines[3].oldLine, -1);
        QCOMPARE(h1.lines[3].newLine, 3);
        const DiffHunk& h2 = guide->hunks[1];
        QCOMPARE(h2.oldStart, 18);
        QCOMPARE(h2.oldLines, 3);
        QCOMPARE(h2.newStart, 18);
        QCOMPARE(h2.newLines, 4);
        QCOMPARE(h2.lines.back().origin, '+');
        QCOMPARE(h2.lines.back().text, QStringLiteral("line 21"));
        QCOMPARE(h2.lines.back().newLine, 21);

        const FileDiff* added = find(QStringLiteral("references/added.md"));
        QVERIFY(added);
        QCOMPARE(added->status, FileDiff::Status::Added);
        QCOMPARE(added->additions, 2);
        QCOMPARE(added->deletions, 0);
        QCOMPARE(added->hunks.at(0).oldStart, 0);
        QCOMPARE(added->hunks.at(0).newLines, 2);

        const FileDiff* gone = find(QStringLiteral("references/gone.md"));
        QVERIFY(gone);
        QCOMPARE(gone->status, FileDiff::Status::Deleted);
        QCOMPARE(gone->deletions, 3);
        QCOMPARE(gone->additions, 0);
        QCOMPARE(gone->hunks.at(0).lines.at(0).origin, '-');

        const FileDiff* renamed = find(QStringLiteral("references/renamed.md"));
        QVERIFY(renamed);
        QCOMPARE(renamed->status, FileDiff::Status::Renamed);
        QCOMPARE(renamed->oldPath, QStringLiteral("references/moved.md"));
        QVERIFY(renamed->hunks.empty());

        const FileDiff* binary = find(QStringLiteral("assets/data.bin"));
        QVERIFY(binary);
        QVERIFY(binary->binary);
        QVERIFY(binary->hunks.empty());

        // From nothing (a first commit): every file is added.
        auto first = repo->diff(QString(), v1->sha);
        QVERIFY2(first, why(first).constData());
        QCOMPARE(first->size(), files.size());
        for (const FileDiff& f : *first)
            QCOMPARE(f.status, FileDiff::Status::Added);
    }

    void diffAgainstTheWorkTreeSeesNewFiles()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        auto clean = repo->diff(QStringLiteral("main"));
        QVERIFY2(clean, why(clean).constData());
        QVERIFY(clean->empty());
        writeFile(dir, QStringLiteral("references/fresh.md"), "fresh\n");
        auto diff = repo->diff(QStringLiteral("main"));
        QVERIFY2(diff, why(diff).constData());
        QCOMPARE(diff->size(), size_t(1));
        QCOMPARE(diff->at(0).status, FileDiff::Status::Added);
        QCOMPARE(diff->at(0).newPath, QStringLiteral("references/fresh.md"));
        QCOMPARE(diff->at(0).hunks.at(0).lines.at(0).text, QStringLiteral("fresh"));
        // Diffing the work tree writes no object to disk.
        QCOMPARE(git(dir, {QStringLiteral("cat-file"), QStringLiteral("-e"),
                           gitOut(dir, {QStringLiteral("hash-object"),
                                        QStringLiteral("references/fresh.md")})})
                     .code,
                 1);
    }

    void proposalsLiveOnTheirOwnRefs()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        const QString mainBefore =
            gitOut(dir, {QStringLiteral("rev-parse"), QStringLiteral("main")});
        const QStringList filesBefore = snapshot(dir + QStringLiteral("/references"));
        const QByteArray skillBefore = readFile(dir + QStringLiteral("/SKILL.md"));

        auto p = repo->createProposal(
            QStringLiteral("run-1"), 3, sampleFiles(QStringLiteral("3")),
            QStringLiteral("Shorter answers"),
            {{QStringLiteral("SkillGrad-Train-Score"), QStringLiteral("0.5")}});
        QVERIFY2(p, why(p).constData());
        const QString showRef =
            gitOut(dir, {QStringLiteral("show-ref"),
                         QStringLiteral("refs/skillgrad/proposals/run-1/0003")});
        QCOMPARE(showRef, p->sha + QStringLiteral(" refs/skillgrad/proposals/run-1/0003"));
        QCOMPARE(p->parents, QStringList{mainBefore});
        QCOMPARE(p->trailer(QStringLiteral("SkillGrad-Run")), QStringLiteral("run-1"));
        QCOMPARE(p->trailer(QStringLiteral("SkillGrad-Iteration")), QStringLiteral("3"));
        QCOMPARE(p->trailer(QStringLiteral("SkillGrad-Train-Score")), QStringLiteral("0.5"));

        // main, the index and the work tree are untouched.
        QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"), QStringLiteral("main")}), mainBefore);
        QCOMPARE(readFile(dir + QStringLiteral("/SKILL.md")), skillBefore);
        QCOMPARE(snapshot(dir + QStringLiteral("/references")), filesBefore);
        VERIFY_STATUS_CLEAN(dir);
        VERIFY_FSCK(dir);

        const std::vector<Proposal> all = repo->proposals();
        QCOMPARE(all.size(), size_t(1));
        QCOMPARE(all[0].ref, QStringLiteral("refs/skillgrad/proposals/run-1/0003"));
        QCOMPARE(all[0].run, QStringLiteral("run-1"));
        QCOMPARE(all[0].iteration, 3);
        QCOMPARE(all[0].version.sha, p->sha);
        QCOMPARE(repo->version(QStringLiteral("refs/skillgrad/proposals/run-1/0003"))->sha, p->sha);

        // Same files again: replaced. Other files: refused.
        auto same =
            repo->createProposal(QStringLiteral("run-1"), 3, sampleFiles(QStringLiteral("3")),
                                 QStringLiteral("Shorter answers, again"), {});
        QVERIFY2(same, why(same).constData());
        QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"),
                              QStringLiteral("refs/skillgrad/proposals/run-1/0003")}),
                 same->sha);
        auto other =
            repo->createProposal(QStringLiteral("run-1"), 3, sampleFiles(QStringLiteral("4")),
                                 QStringLiteral("Different"), {});
        QVERIFY(!other);
        QCOMPARE(other.error().code, QStringLiteral("exists"));
        QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"),
                              QStringLiteral("refs/skillgrad/proposals/run-1/0003")}),
                 same->sha);

        auto badRun = repo->createProposal(QStringLiteral("bad run/x"), 1, sampleFiles(),
                                           QStringLiteral("x"), {});
        QVERIFY(!badRun);
        QCOMPARE(badRun.error().code, QStringLiteral("invalid"));
    }

    void acceptMakesAMainCommitWithTheProposalsTree()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        const QString mainBefore = repo->version(QStringLiteral("main"))->sha;
        auto p = repo->createProposal(QStringLiteral("run-1"), 1,
                                      sampleFiles(QStringLiteral("accepted")),
                                      QStringLiteral("Proposal"), {});
        QVERIFY(p);

        auto v = repo->accept(QStringLiteral("refs/skillgrad/proposals/run-1/0001"),
                              QStringLiteral("Accept iteration 1"),
                              {{QStringLiteral("SkillGrad-Val-Score"), QStringLiteral("0.9")}});
        QVERIFY2(v, why(v).constData());
        QCOMPARE(v->parents, QStringList{mainBefore});
        QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"), QStringLiteral("main^{tree}")}),
                 gitOut(dir, {QStringLiteral("rev-parse"), p->sha + QStringLiteral("^{tree}")}));
        const QStringList trailers = lines(gitOut(
            dir, {QStringLiteral("log"), QStringLiteral("-1"),
                  QStringLiteral("--format=%(trailers:only,unfold)"), QStringLiteral("main")}));
        QCOMPARE(trailers, (QStringList{QStringLiteral("SkillGrad-Val-Score: 0.9"),
                                        QStringLiteral("SkillGrad-Decision: accepted"),
                                        QStringLiteral("SkillGrad-Proposal: ") + p->sha}));
        QVERIFY(readFile(dir + QStringLiteral("/SKILL.md")).contains("Answer accepted."));
        VERIFY_STATUS_CLEAN(dir);
        VERIFY_FSCK(dir);
        // The proposal ref stays: nothing is lost.
        QCOMPARE(repo->proposals().size(), size_t(1));

        // A proposal made before main moved would undo the newer versions.
        auto again = repo->accept(p->sha, {}, {});
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("outdated"));
        QCOMPARE(repo->version(QStringLiteral("main"))->sha, v->sha);
    }

    void acceptWithEditedFiles()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        auto p = repo->createProposal(QStringLiteral("run-2"), 7,
                                      sampleFiles(QStringLiteral("proposed")),
                                      QStringLiteral("Proposal"), {});
        QVERIFY(p);
        std::vector<TreeFile> edited = sampleFiles(QStringLiteral("edited"));
        edited.push_back({QStringLiteral("references/extra.md"), "extra\n", false});
        auto v = repo->accept(p->sha, {}, {}, edited);
        QVERIFY2(v, why(v).constData());
        QCOMPARE(v->trailer(QStringLiteral("SkillGrad-Decision")), QStringLiteral("edited"));
        QCOMPARE(v->trailer(QStringLiteral("SkillGrad-Proposal")), p->sha);
        QVERIFY(v->summary.contains(p->shortSha()));
        auto files = repo->files(QStringLiteral("main"));
        QVERIFY(files);
        QCOMPARE(files->size(), size_t(4));
        QVERIFY(
            findFile(files.value(), QStringLiteral("SKILL.md"))->data.contains("Answer edited."));
        QCOMPARE(readFile(dir + QStringLiteral("/references/extra.md")), QByteArray("extra\n"));
        VERIFY_STATUS_CLEAN(dir);
        VERIFY_FSCK(dir);
    }

    void restoreMakesANewCommit()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        const Version v1 = repo->version(QStringLiteral("main")).value();
        std::vector<TreeFile> two = sampleFiles(QStringLiteral("2"));
        two.push_back({QStringLiteral("references/two.md"), "two\n", false});
        auto v2 = repo->commitFiles(two, QStringLiteral("Two"), {}, {});
        QVERIFY(v2);
        auto v3 =
            repo->commitFiles(sampleFiles(QStringLiteral("3")), QStringLiteral("Three"), {}, {});
        QVERIFY(v3);

        auto restored =
            repo->restore(QStringLiteral("main~2"), QStringLiteral("Back to the import"));
        QVERIFY2(restored, why(restored).constData());
        QCOMPARE(restored->trailer(QStringLiteral("SkillGrad-Restored-From")), v1.sha);
        QCOMPARE(restored->parents, QStringList{v3->sha});
        auto history = repo->versions();
        QVERIFY(history);
        QCOMPARE(history->size(), size_t(4));
        QCOMPARE(history->at(1).sha, v3->sha); // nothing rewritten
        QCOMPARE(history->at(2).sha, v2->sha);
        QCOMPARE(history->at(3).sha, v1.sha);
        QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"), QStringLiteral("main^{tree}")}),
                 gitOut(dir, {QStringLiteral("rev-parse"), v1.sha + QStringLiteral("^{tree}")}));
        QCOMPARE(readFile(dir + QStringLiteral("/SKILL.md")), sampleFiles().at(0).data);
        QVERIFY(!QFile::exists(dir + QStringLiteral("/references/two.md")));
        VERIFY_STATUS_CLEAN(dir);
        VERIFY_FSCK(dir);

        auto again = repo->restore(v1.sha);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("unchanged"));

        // Restoring the version in between, by short sha, with the default summary.
        auto middle = repo->restore(v2->shortSha());
        QVERIFY2(middle, why(middle).constData());
        QCOMPARE(middle->summary, QStringLiteral("Restore version ") + v2->shortSha());
        QCOMPARE(readFile(dir + QStringLiteral("/references/two.md")), QByteArray("two\n"));
        VERIFY_STATUS_CLEAN(dir);
    }

    void writesRefuseADirtyWorkTreeAndLoseNothing()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        auto v2 =
            repo->commitFiles(sampleFiles(QStringLiteral("2")), QStringLiteral("Two"), {}, {});
        QVERIFY(v2);
        auto p = repo->createProposal(QStringLiteral("r"), 1, sampleFiles(QStringLiteral("p")),
                                      QStringLiteral("P"), {});
        QVERIFY(p);
        const QByteArray mine = "my unsaved words\n";
        writeFile(dir, QStringLiteral("SKILL.md"), mine);
        writeFile(dir, QStringLiteral("references/mine.md"), mine);

        auto restored = repo->restore(QStringLiteral("main~1"));
        QVERIFY(!restored);
        QCOMPARE(restored.error().code, QStringLiteral("dirty"));
        QVERIFY2(restored.error().text().contains(QStringLiteral("SKILL.md")),
                 qPrintable(restored.error().text()));
        auto accepted = repo->accept(p->sha, {}, {});
        QVERIFY(!accepted);
        QCOMPARE(accepted.error().code, QStringLiteral("dirty"));
        auto edited = repo->accept(p->sha, {}, {}, sampleFiles(QStringLiteral("e")));
        QVERIFY(!edited);
        QCOMPARE(edited.error().code, QStringLiteral("dirty"));

        QCOMPARE(readFile(dir + QStringLiteral("/SKILL.md")), mine);
        QCOMPARE(readFile(dir + QStringLiteral("/references/mine.md")), mine);
        QCOMPARE(repo->version(QStringLiteral("main"))->sha, v2->sha);
        QCOMPARE(repo->versions()->size(), size_t(2));
        QCOMPARE(repo->isDirty().value(), true);
    }

    void tagsAreAnnotated()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        const QString first = repo->version(QStringLiteral("main"))->sha;
        QVERIFY(repo->commitFiles(sampleFiles(QStringLiteral("2")), QStringLiteral("Two"), {}, {}));

        auto t = repo->tag(QStringLiteral("seed"), QStringLiteral("main~1"),
                           QStringLiteral("The skill as imported"));
        QVERIFY2(t, why(t).constData());
        QCOMPARE(t->sha, first);
        QCOMPARE(
            gitOut(dir, {QStringLiteral("cat-file"), QStringLiteral("-t"), QStringLiteral("seed")}),
            QStringLiteral("tag"));
        QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"), QStringLiteral("seed^{commit}")}),
                 first);
        const QString listed = gitOut(dir, {QStringLiteral("tag"), QStringLiteral("-n")});
        QVERIFY2(
            listed.contains(QRegularExpression(QStringLiteral("^seed\\s+The skill as imported$"))),
            qPrintable(listed));
        QVERIFY(repo->tag(QStringLiteral("v1.0"), QStringLiteral("main"), {}));
        VERIFY_FSCK(dir);

        const std::vector<Tag> tags = repo->tags();
        QCOMPARE(tags.size(), size_t(2));
        QCOMPARE(tags[0].name, QStringLiteral("seed"));
        QCOMPARE(tags[0].sha, first);
        QCOMPARE(tags[0].message, QStringLiteral("The skill as imported\n"));
        QCOMPARE(tags[1].name, QStringLiteral("v1.0"));
        QCOMPARE(repo->version(QStringLiteral("seed"))->sha, first);

        auto exists =
            repo->tag(QStringLiteral("seed"), QStringLiteral("main"), QStringLiteral("again"));
        QVERIFY(!exists);
        QCOMPARE(exists.error().code, QStringLiteral("exists"));
        QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"), QStringLiteral("seed^{commit}")}),
                 first);

        for (const QString& bad :
             {QStringLiteral("has space"), QStringLiteral("a..b"), QStringLiteral("-dash"),
              QStringLiteral("a~1"), QStringLiteral("end.lock"), QString()}) {
            auto r = repo->tag(bad, QStringLiteral("main"), QStringLiteral("x"));
            QVERIFY2(!r, qPrintable(bad));
            QCOMPARE(r.error().code, QStringLiteral("invalid"));
        }
        QCOMPARE(repo->tags().size(), size_t(2));
    }

    void badRefsAreNotFound()
    {
        QTemporaryDir tmp;
        MAKE_REPO(repo, tmp.path());
        auto v = repo->version(QStringLiteral("no-such-ref"));
        QVERIFY(!v);
        QCOMPARE(v.error().code, QStringLiteral("not-found"));
        QVERIFY2(v.error().text().contains(QStringLiteral("no-such-ref")),
                 qPrintable(v.error().text()));
        QVERIFY(!v.error().hint.isEmpty());
        const QString missingSha = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
        QCOMPARE(repo->files(missingSha).error().code, QStringLiteral("not-found"));
        QCOMPARE(repo->versions(QStringLiteral("nope")).error().code, QStringLiteral("not-found"));
        QCOMPARE(repo->diff(QStringLiteral("nope"), QStringLiteral("main")).error().code,
                 QStringLiteral("not-found"));
        QCOMPARE(repo->unifiedDiff(QStringLiteral("main"), QStringLiteral("nope")).error().code,
                 QStringLiteral("not-found"));
        QCOMPARE(repo->restore(QStringLiteral("nope")).error().code, QStringLiteral("not-found"));
        QCOMPARE(
            repo->accept(QStringLiteral("refs/skillgrad/proposals/x/0001"), {}, {}).error().code,
            QStringLiteral("not-found"));
        QCOMPARE(repo->tag(QStringLiteral("t"), QStringLiteral("nope"), {}).error().code,
                 QStringLiteral("not-found"));
        QCOMPARE(repo->version(QStringLiteral("main~5")).error().code, QStringLiteral("not-found"));
    }

    void aForeignRepositoryIsRefusedWithAHint()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to give the repository to another user");
        QTemporaryDir tmp;
        const QString dir = tmp.path() + QStringLiteral("/skill");
        MAKE_REPO(repo, dir);
        QProcess chown;
        chown.start(QStringLiteral("chown"),
                    {QStringLiteral("-R"), QStringLiteral("65534:65534"), dir});
        QVERIFY(chown.waitForFinished(10000));
        QCOMPARE(chown.exitCode(), 0);
        auto opened = GitRepo::open(dir);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, QStringLiteral("owner"));
        QVERIFY2(opened.error().text().contains(QStringLiteral("belongs to another user")),
                 qPrintable(opened.error().text()));
        QVERIFY(opened.error().hint.contains(QStringLiteral("safe.directory")));
    }

    void staleLocksAreClearedOnOpen()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        const QString gitDir = dir + QStringLiteral("/.git");

        // A writer that took the lock and was killed: its pid is dead, its lock file stays.
        QProcess holder;
        QVERIFY(startLockHolder(holder, gitDir));
        holder.kill();
        QVERIFY(holder.waitForFinished(10000));
        QVERIFY(QFile::exists(gitDir + QStringLiteral("/skillgrad-writer")));
        const QStringList stale{QStringLiteral("index.lock"),
                                QStringLiteral("HEAD.lock"),
                                QStringLiteral("config.lock"),
                                QStringLiteral("packed-refs.lock"),
                                QStringLiteral("refs/heads/main.lock"),
                                QStringLiteral("refs/skillgrad/proposals/r/0001.lock")};
        for (const QString& name : stale)
            writeFile(gitDir, name, "");
        // They do bite: git itself cannot move main now.
        QVERIFY(git(dir, {QStringLiteral("update-ref"), QStringLiteral("refs/heads/main"),
                          QStringLiteral("main")})
                    .code != 0);

        auto reopened = GitRepo::open(dir);
        QVERIFY2(reopened, why(reopened).constData());
        for (const QString& name : stale)
            QVERIFY2(!QFile::exists(gitDir + QLatin1Char('/') + name), qPrintable(name));
        QVERIFY(!QFile::exists(gitDir + QStringLiteral("/skillgrad-writer")));
        auto v = reopened->commitFiles(sampleFiles(QStringLiteral("after")),
                                       QStringLiteral("After the crash"), {}, {});
        QVERIFY2(v, why(v).constData());
        auto p = reopened->createProposal(QStringLiteral("r"), 1, sampleFiles(QStringLiteral("p")),
                                          QStringLiteral("P"), {});
        QVERIFY2(p, why(p).constData());
        VERIFY_FSCK(dir);
        VERIFY_STATUS_CLEAN(dir);

        // clearStaleLocks() counts what it removed.
        writeFile(gitDir, QStringLiteral("index.lock"), "");
        writeFile(gitDir, QStringLiteral("refs/heads/main.lock"), "");
        QCOMPARE(reopened->clearStaleLocks(), 2);
        QCOMPARE(reopened->clearStaleLocks(), 0);

        // An empty writer lock (a writer killed between creating it and writing its pid) is stale
        // once it is old: QLockFile alone would wait for it forever.
        writeFile(gitDir, QStringLiteral("skillgrad-writer"), "");
        QFile empty(gitDir + QStringLiteral("/skillgrad-writer"));
        QVERIFY(empty.open(QIODevice::ReadWrite));
        QVERIFY(empty.setFileTime(QDateTime::currentDateTime().addSecs(-60),
                                  QFileDevice::FileModificationTime));
        empty.close();
        reopened->setLockTimeout(3000);
        auto afterEmpty = reopened->commitFiles(sampleFiles(QStringLiteral("after empty")),
                                                QStringLiteral("Empty lock"), {}, {});
        QVERIFY2(afterEmpty, why(afterEmpty).constData());
    }

    void aLiveWriterMakesWritesFail()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        MAKE_REPO(repo, dir);
        const QString gitDir = dir + QStringLiteral("/.git");
        const QString mainBefore = repo->version(QStringLiteral("main"))->sha;

        // Another writer in this process.
        {
            QLockFile other(gitDir + QStringLiteral("/skillgrad-writer"));
            other.setStaleLockTime(0);
            QVERIFY(other.tryLock(0));
            writeFile(gitDir, QStringLiteral("index.lock"), ""); // the live writer's: must stay
            repo->setLockTimeout(300);
            QElapsedTimer timer;
            timer.start();
            auto v = repo->commitFiles(sampleFiles(QStringLiteral("2")), QStringLiteral("Blocked"),
                                       {}, {});
            QVERIFY(!v);
            QCOMPARE(v.error().code, QStringLiteral("locked"));
            QVERIFY2(v.error().text().contains(QString::number(QCoreApplication::applicationPid())),
                     qPrintable(v.error().text()));
            QVERIFY(timer.elapsed() >= 250);
            QVERIFY(QFile::exists(gitDir + QStringLiteral("/index.lock")));
            auto whileLocked = GitRepo::open(dir);
            QVERIFY(whileLocked);
            QVERIFY(QFile::exists(gitDir + QStringLiteral("/index.lock")));
            QCOMPARE(repo->tag(QStringLiteral("t"), QStringLiteral("main"), {}).error().code,
                     QStringLiteral("locked"));
            QCOMPARE(repo->createProposal(QStringLiteral("r"), 1, sampleFiles(QStringLiteral("x")),
                                          QStringLiteral("x"), {})
                         .error()
                         .code,
                     QStringLiteral("locked"));
        }
        QCOMPARE(repo->version(QStringLiteral("main"))->sha, mainBefore);

        // Another writer in another process, alive, then killed.
        QProcess holder;
        QVERIFY(startLockHolder(holder, gitDir));
        auto blocked =
            repo->commitFiles(sampleFiles(QStringLiteral("2")), QStringLiteral("Blocked"), {}, {});
        QVERIFY(!blocked);
        QCOMPARE(blocked.error().code, QStringLiteral("locked"));
        QVERIFY2(blocked.error().text().contains(QString::number(holder.processId())),
                 qPrintable(blocked.error().text()));
        holder.kill();
        QVERIFY(holder.waitForFinished(10000));

        auto v = repo->commitFiles(sampleFiles(QStringLiteral("2")), QStringLiteral("Free again"),
                                   {}, {});
        QVERIFY2(v, why(v).constData());
        QVERIFY(!QFile::exists(gitDir + QStringLiteral("/index.lock")));
        VERIFY_FSCK(dir);
        VERIFY_STATUS_CLEAN(dir);
    }

    void aWriterKilledMidCommitLeavesAWorkingRepository()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + QStringLiteral("/skill");
        MAKE_REPO(repo, dir);
        const int delays[] = {120, 230, 340, 450, 560};
        int expected = 1;
        for (int round = 0; round < 5; ++round) {
            QProcess child;
            child.start(QCoreApplication::applicationFilePath(),
                        {QString::fromLatin1(kChildCommitLoop), dir, QString::number(round)});
            QVERIFY(child.waitForStarted(10000));
            QByteArray out;
            // Kill a writer in full swing: after its first commit, then a few hundred ms on.
            QTRY_VERIFY_WITH_TIMEOUT((out += child.readAllStandardOutput()).contains("c ") ||
                                         child.state() != QProcess::Running,
                                     60000);
            QTest::qWait(delays[round]);
            child.kill();
            QVERIFY(child.waitForFinished(10000));
            out += child.readAllStandardOutput();
            const QByteArray err = child.readAllStandardError();
            QVERIFY2(child.exitStatus() == QProcess::CrashExit,
                     err.constData()); // killed, not failed
            QVERIFY2(!err.contains("E "), err.constData());
            const int committed = int(out.count("c "));
            QVERIFY(committed >= 1);
            expected += committed;

            auto reopened = GitRepo::open(dir);
            QVERIFY2(reopened, why(reopened).constData());
            VERIFY_FSCK(dir);
            VERIFY_STATUS_CLEAN(dir); // a half-updated work tree was finished
            QCOMPARE(reopened->isDirty().value(), false);
            auto next =
                reopened->commitFiles(sampleFiles(QStringLiteral("after round %1").arg(round)),
                                      QStringLiteral("After round %1").arg(round), {}, {});
            QVERIFY2(next, why(next).constData());
            expected += 1;
            QCOMPARE(gitOut(dir, {QStringLiteral("rev-parse"), QStringLiteral("main")}), next->sha);
            VERIFY_FSCK(dir);
            VERIFY_STATUS_CLEAN(dir);

            // Every reported commit is in main's history (at most one more, killed after it
            // landed).
            auto history = reopened->versions();
            QVERIFY(history);
            QVERIFY2(
                int(history->size()) >= expected && int(history->size()) <= expected + 1,
                qPrintable(
                    QStringLiteral("%1 versions, %2 expected").arg(history->size()).arg(expected)));
            expected = int(history->size());
        }
    }
};

int main(int argc, char** argv)
{
    // Child modes: this binary re-runs itself to be killed mid-write or to hold the lock.
    if (argc >= 3 && qstrcmp(argv[1], kChildCommitLoop) == 0) {
        QCoreApplication app(argc, argv);
        return childCommitLoop(QString::fromLocal8Bit(argv[2]), argc > 3 ? std::atoi(argv[3]) : 0);
    }
    if (argc >= 3 && qstrcmp(argv[1], kChildHoldLock) == 0) {
        QCoreApplication app(argc, argv);
        return childHoldLock(QString::fromLocal8Bit(argv[2]));
    }
    QCoreApplication app(argc, argv);
    tst_GitRepo test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_GitRepo.moc"
