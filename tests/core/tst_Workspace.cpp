#include "workspace/ExampleCatalog.h"
#include "workspace/Workspace.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

QString git(const QString& dir, const QStringList& args, int* exitCode = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-C"), dir} + args);
    p.waitForFinished(30000);
    if (exitCode)
        *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAll());
}

struct Example
{
    QTemporaryDir dir;
    Workspace::CreateOptions options;
};

// The built-in example extracted, ready to be imported.
std::unique_ptr<Example> example()
{
    auto e = std::make_unique<Example>();
    auto extracted = ExampleCatalog::extract(QStringLiteral("table-qa"), e->dir.path());
    if (!extracted)
        qFatal("cannot extract the example");
    e->options.skillPath = extracted->skillPath;
    e->options.taskKind = extracted->taskKind;
    e->options.tasksPath = extracted->tasksPath;
    e->options.origin = QStringLiteral("the built-in example table-qa");
    return e;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class tst_Workspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsTheExampleWorkspace()
    {
        auto e = example();
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("demo"));
        auto ws = Workspace::create(dir, e->options);
        QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().text()));
        for (const char* path : {"skillgrad.json", "skill/SKILL.md", "skill/.git/HEAD", "tasks/tasks.jsonl", "tasks/splits.json", "runs", "cache"})
            QVERIFY2(QFile::exists(dir + QLatin1Char('/') + QLatin1String(path)), path);
        QCOMPARE(ws->config().skillName, QStringLiteral("table-qa"));
        QCOMPARE(ws->config().taskSource, QStringLiteral("wtq"));

        auto store = ws->tasks();
        QVERIFY2(store, qPrintable(store ? QString() : store.error().text()));
        QCOMPARE(store->splits().train.size(), 40);
        QCOMPARE(store->splits().val.size(), 20);
        QCOMPARE(store->splits().test.size(), 40);
        QVERIFY(store->splits().test.contains(QStringLiteral("nu-0")));
        QVERIFY(!store->splits().train.contains(QStringLiteral("nu-0")));

        // The history reads well in plain git and is sound.
        const QString skill = dir + QStringLiteral("/skill");
        QCOMPARE(git(skill, {QStringLiteral("log"), QStringLiteral("--format=%s")}).trimmed(), QStringLiteral("Import skill table-qa"));
        QCOMPARE(git(skill, {QStringLiteral("symbolic-ref"), QStringLiteral("HEAD")}).trimmed(), QStringLiteral("refs/heads/main"));
        int code = -1;
        const QString fsck = git(skill, {QStringLiteral("fsck"), QStringLiteral("--strict")}, &code);
        QVERIFY2(code == 0, qPrintable(fsck));
        QCOMPARE(git(skill, {QStringLiteral("status"), QStringLiteral("--porcelain")}).trimmed(), QString());
        QCOMPARE(git(skill, {QStringLiteral("tag")}).trimmed(), QStringLiteral("seed"));

        // skill/ is valid under the recorded name although the folder is called "skill".
        auto package = ws->loadSkill();
        QVERIFY(package);
        QVERIFY(ws->validate(package.value()).empty());
        QCOMPARE(snapshot(tmp.path()), snapshot(tmp.path()).filter(QRegularExpression(QStringLiteral("^demo"))));
    }

    void splitIsDeterministicBySeed()
    {
        auto e = example();
        QTemporaryDir tmp;
        e->options.seed = 7;
        QVERIFY(Workspace::create(tmp.filePath(QStringLiteral("a")), e->options));
        QVERIFY(Workspace::create(tmp.filePath(QStringLiteral("b")), e->options));
        e->options.seed = 8;
        QVERIFY(Workspace::create(tmp.filePath(QStringLiteral("c")), e->options));
        const QByteArray a = readAll(tmp.filePath(QStringLiteral("a/tasks/splits.json")));
        QVERIFY(!a.isEmpty());
        QCOMPARE(readAll(tmp.filePath(QStringLiteral("b/tasks/splits.json"))), a);
        QVERIFY(readAll(tmp.filePath(QStringLiteral("c/tasks/splits.json"))) != a);
    }

    void explicitSplitCounts()
    {
        auto e = example();
        QTemporaryDir tmp;
        e->options.split = {10, 5, 8};
        auto ws = Workspace::create(tmp.filePath(QStringLiteral("w")), e->options);
        QVERIFY(ws);
        auto store = ws->tasks();
        QVERIFY(store);
        QCOMPARE(store->splits().train.size(), 10);
        QCOMPARE(store->splits().val.size(), 5);
        QCOMPARE(store->splits().test.size(), 8);
        QCOMPARE(ws->config().split.train, 10);
    }

    void failuresCreateNothing_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("words");
        QTest::newRow("split too large") << "split" << "more tasks than";
        QTest::newRow("invalid skill") << "invalid-skill" << "error(s) under the Agent Skills spec";
        QTest::newRow("hostile archive") << "hostile-archive" << "climbs out";
        QTest::newRow("malformed task line") << "bad-tasks" << "";
        QTest::newRow("missing task file") << "missing-tasks" << "";
    }

    void failuresCreateNothing()
    {
        QFETCH(QString, what);
        QFETCH(QString, words);
        auto e = example();
        QTemporaryDir tmp;
        QTemporaryDir inputs;
        if (what == QLatin1String("split")) {
            e->options.split = {50, 20, -1};
        } else if (what == QLatin1String("invalid-skill")) {
            e->options.skillPath = makeSkill(inputs.path(), QStringLiteral("bad"), "---\nname: Bad Name\ndescription: d\n---\nbody\n");
        } else if (what == QLatin1String("hostile-archive")) {
            e->options.skillPath = inputs.filePath(QStringLiteral("evil.zip"));
            writeZip(e->options.skillPath, {{QStringLiteral("SKILL.md"), skillMd(QStringLiteral("evil"))}, {QStringLiteral("../../x.md"), "x"}});
        } else if (what == QLatin1String("bad-tasks")) {
            writeFile(inputs.path(), QStringLiteral("tasks.jsonl"), "{\"id\": \"a\", \"question\": \"q?\"\n");
            e->options.tasksPath = inputs.filePath(QStringLiteral("tasks.jsonl"));
        } else {
            e->options.tasksPath = inputs.filePath(QStringLiteral("nothing.jsonl"));
        }
        const QString dir = tmp.filePath(QStringLiteral("w"));
        auto ws = Workspace::create(dir, e->options);
        QVERIFY(!ws);
        QVERIFY2(ws.error().text().contains(words), qPrintable(ws.error().text()));
        QVERIFY(!ws.error().hint.isEmpty() || !ws.error().where.isEmpty());
        QCOMPARE(snapshot(tmp.path()), QStringList{}); // no workspace, no staging folder
    }

    void refusesANonEmptyFolder()
    {
        auto e = example();
        QTemporaryDir tmp;
        writeFile(tmp.path(), QStringLiteral("w/mine.txt"), "keep me");
        auto ws = Workspace::create(tmp.filePath(QStringLiteral("w")), e->options);
        QVERIFY(!ws);
        QCOMPARE(ws.error().code, QStringLiteral("exists"));
        QCOMPARE(snapshot(tmp.path()), (QStringList{QStringLiteral("w"), QStringLiteral("w/mine.txt")}));
    }

    void acceptsAnEmptyFolder()
    {
        auto e = example();
        QTemporaryDir tmp;
        QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("w"))));
        QVERIFY(Workspace::create(tmp.filePath(QStringLiteral("w")), e->options));
    }

    void skillWithoutTasks()
    {
        QTemporaryDir tmp;
        Workspace::CreateOptions options;
        options.skillPath = makeSkill(tmp.path(), QStringLiteral("solo"));
        auto ws = Workspace::create(tmp.filePath(QStringLiteral("w")), options);
        QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().text()));
        auto tasks = ws->tasks();
        QVERIFY(!tasks);
        QCOMPARE(tasks.error().code, QStringLiteral("no-tasks"));
    }

    void jsonlWithoutTestSplit()
    {
        QTemporaryDir tmp;
        QByteArray lines;
        for (int i = 0; i < 9; ++i)
            lines += QStringLiteral("{\"id\": \"t%1\", \"prompt\": \"say %1\", \"answer\": \"%1\"}\n").arg(i).toUtf8();
        writeFile(tmp.path(), QStringLiteral("in/tasks.jsonl"), lines);
        Workspace::CreateOptions options;
        options.skillPath = makeSkill(tmp.path(), QStringLiteral("solo"));
        options.taskKind = QStringLiteral("jsonl");
        options.tasksPath = tmp.filePath(QStringLiteral("in/tasks.jsonl"));
        auto ws = Workspace::create(tmp.filePath(QStringLiteral("w")), options);
        QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().text()));
        auto store = ws->tasks();
        QVERIFY2(store, qPrintable(store ? QString() : store.error().text()));
        QCOMPARE(store->splits().val.size(), 3);
        QCOMPARE(store->splits().train.size(), 6);
        QCOMPARE(store->splits().test.size(), 0);
    }

    void openNamesWhatIsWrong()
    {
        QTemporaryDir tmp;
        auto ws = Workspace::open(tmp.path());
        QVERIFY(!ws);
        QCOMPARE(ws.error().code, QStringLiteral("not-a-workspace"));
        QVERIFY(ws.error().hint.contains(QStringLiteral("skillgrad init")));
    }

    void tamperedSplitsAreCaught()
    {
        auto e = example();
        QTemporaryDir tmp;
        auto ws = Workspace::create(tmp.filePath(QStringLiteral("w")), e->options);
        QVERIFY(ws);
        writeFile(tmp.path(), QStringLiteral("w/tasks/splits.json"), "{\"seed\": 1, \"train\": [\"nt-0\", \"ghost\"], \"val\": [], \"test\": []}");
        auto store = ws->tasks();
        QVERIFY(!store);
        QVERIFY(store.error().message.contains(QStringLiteral("ghost")));
    }

    void naturalOrder()
    {
        QVERIFY(TaskStore::naturalLess(QStringLiteral("nt-2"), QStringLiteral("nt-10")));
        QVERIFY(!TaskStore::naturalLess(QStringLiteral("nt-10"), QStringLiteral("nt-2")));
        QVERIFY(TaskStore::naturalLess(QStringLiteral("nt-9"), QStringLiteral("nu-0")));
        QVERIFY(!TaskStore::naturalLess(QStringLiteral("a"), QStringLiteral("a")));
    }
};

QTEST_GUILESS_MAIN(tst_Workspace)
#include "tst_Workspace.moc"
