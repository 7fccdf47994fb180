#include "history/GitRepo.h"
#include "history/HistorySnapshot.h"
#include "models/HistoryModel.h"

#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFont>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;

namespace {

const QString kMd = QStringLiteral("SKILL.md");

std::vector<TreeFile> skill(const QByteArray& body)
{
    return {{kMd, "---\nname: s\ndescription: d\n---\n" + body + '\n', false}};
}

template <typename T> T must(Result<T> r)
{
    if (!r)
        qFatal("%s", qPrintable(r.error().text()));
    return std::move(r).value();
}

// A history with every kind of row (see the numbers in the comments).
struct History
{
    QTemporaryDir dir;
    Version v1, v2, v3, v4, v5; // import, accepted, edited, hand edit, restore of v1
    Version p1, p2, p3, p4;     // p1 and p3 accepted; p2 rejected; p4 on the head, undecided
};

std::unique_ptr<History> makeHistory()
{
    auto h = std::make_unique<History>();
    GitRepo repo = must(GitRepo::init(h->dir.path()));
    const QString run = QStringLiteral("run-1");
    h->v1 = must(repo.commitFiles(skill("one"), QStringLiteral("Import skill s"), {},
                                  {{QStringLiteral("SkillGrad-Event"), QStringLiteral("import")}}));
    h->p1 = must(
        repo.createProposal(run, 1, skill("two"), QStringLiteral("Iteration 1: two"),
                            {{QStringLiteral("SkillGrad-Train-Score"), QStringLiteral("0.500")}}));
    h->v2 = must(repo.accept(h->p1.sha, QStringLiteral("Iteration 1: two"),
                             {{QStringLiteral("SkillGrad-Run"), run},
                              {QStringLiteral("SkillGrad-Iteration"), QStringLiteral("1")},
                              {QStringLiteral("SkillGrad-Val-Score"), QStringLiteral("0.700")}}));
    h->p2 = must(
        repo.createProposal(run, 2, skill("three"), QStringLiteral("Iteration 2: three"),
                            {{QStringLiteral("SkillGrad-Train-Score"), QStringLiteral("0.250")}}));
    h->p3 = must(
        repo.createProposal(run, 3, skill("four"), QStringLiteral("Iteration 3: four"),
                            {{QStringLiteral("SkillGrad-Train-Score"), QStringLiteral("0.750")}}));
    h->v3 = must(repo.accept(h->p3.sha, QStringLiteral("Iteration 3: four, edited"),
                             {{QStringLiteral("SkillGrad-Run"), run},
                              {QStringLiteral("SkillGrad-Iteration"), QStringLiteral("3")},
                              {QStringLiteral("SkillGrad-Val-Score"), QStringLiteral("0.800")}},
                             skill("four, edited")));
    h->v4 =
        must(repo.commitFiles(skill("five"), QStringLiteral("Hand edit"), {},
                              {{QStringLiteral("SkillGrad-Event"), QStringLiteral("hand-edit")}}));
    h->v5 = must(repo.restore(h->v1.sha));
    h->p4 = must(repo.createProposal(
        QStringLiteral("run-2"), 1, skill("six"), QStringLiteral("Iteration 1: six"),
        {{QStringLiteral("SkillGrad-Train-Score"), QStringLiteral("0.900")}}));
    must(repo.tag(QStringLiteral("seed"), h->v1.sha, QStringLiteral("the skill as imported")));
    return h;
}

QString cell(const QModelIndex& index, int column)
{
    return index.siblingAtColumn(column).data().toString();
}

bool git(const QString& dir, const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-C"), dir} + args);
    p.write(input);
    p.closeWriteChannel();
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class tst_HistoryModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passesTheModelTester()
    {
        auto h = makeHistory();
        HistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setSnapshot(must(HistorySnapshot::load(h->dir.path())));
        model.setSnapshot(must(HistorySnapshot::load(h->dir.path()))); // a reset, watched
        model.setSnapshot({});
        QCOMPARE(model.rowCount(), 0);
    }

    void snapshotLoadsMainProposalsAndTags()
    {
        auto h = makeHistory();
        const HistorySnapshot s = must(HistorySnapshot::load(h->dir.path()));
        QCOMPARE(s.head, h->v5.sha);
        QCOMPARE(int(s.main.size()), 5);
        QCOMPARE(s.main.front().sha, h->v5.sha);
        QCOMPARE(s.main.back().sha, h->v1.sha);
        QCOMPARE(int(s.proposals.size()), 4);
        QCOMPARE(int(s.tags.size()), 1);
        QCOMPARE(s.tags.front().sha, h->v1.sha);
    }

    void snapshotOfAFolderWithoutHistoryIsAnError()
    {
        QTemporaryDir dir;
        const auto s = HistorySnapshot::load(dir.path());
        QVERIFY(!s);
        QVERIFY(!s.error().text().isEmpty());
    }

    void emptyRepositoryHasNoRows()
    {
        QTemporaryDir dir;
        QVERIFY(GitRepo::init(dir.path()));
        const HistorySnapshot s = must(HistorySnapshot::load(dir.path()));
        QVERIFY(s.main.empty());
        QVERIFY(s.head.isEmpty());
        HistoryModel model;
        model.setSnapshot(s);
        QCOMPARE(model.rowCount(), 0);
    }

    void mainNewestFirstWithRejectedProposalsAsChildren()
    {
        auto h = makeHistory();
        HistoryModel model;
        model.setSnapshot(must(HistorySnapshot::load(h->dir.path())));
        QCOMPARE(model.columnCount(), int(HistoryModel::ColumnCount));
        QCOMPARE(model.rowCount(), 5);
        const QList<Version> order{h->v5, h->v4, h->v3, h->v2, h->v1};
        for (int i = 0; i < order.size(); ++i)
            QCOMPARE(model.index(i, 0).data(HistoryModel::ShaRole).toString(), order[i].sha);

        // p2 was made on v2 and never accepted; p4 was made on the head; p1 and p3 are on main.
        const QModelIndex v2 = model.index(3, 0);
        QCOMPARE(model.rowCount(v2), 1);
        const QModelIndex p2 = model.index(0, 0, v2);
        QCOMPARE(p2.data(HistoryModel::ShaRole).toString(), h->p2.sha);
        QVERIFY(p2.data(HistoryModel::IsProposalRole).toBool());
        QCOMPARE(p2.parent(), v2);
        QCOMPARE(model.rowCount(model.index(0, 0)), 1);
        QCOMPARE(model.index(0, 0, model.index(0, 0)).data(HistoryModel::ShaRole).toString(),
                 h->p4.sha);
        QCOMPARE(model.rowCount(model.index(1, 0)), 0);
        QCOMPARE(model.rowCount(model.index(2, 0)), 0);
        QCOMPARE(model.rowCount(model.index(4, 0)), 0);
        QVERIFY(!model.indexOfSha(h->p1.sha).isValid());
        QVERIFY(!model.indexOfSha(h->p3.sha).isValid());
        QCOMPARE(model.indexOfSha(h->p2.sha), p2);
        QCOMPARE(model.indexOfSha(h->v2.sha.left(8)), v2);
        QVERIFY(!model.indexOfSha(QStringLiteral("0000000")).isValid());
    }

    void columnsShowScoresDecisionsAndRuns()
    {
        auto h = makeHistory();
        HistoryModel model;
        model.setSnapshot(must(HistorySnapshot::load(h->dir.path())));
        using M = HistoryModel;
        const QModelIndex v5 = model.indexOfSha(h->v5.sha), v4 = model.indexOfSha(h->v4.sha),
                          v3 = model.indexOfSha(h->v3.sha), v2 = model.indexOfSha(h->v2.sha),
                          v1 = model.indexOfSha(h->v1.sha), p2 = model.indexOfSha(h->p2.sha),
                          p4 = model.indexOfSha(h->p4.sha);

        QCOMPARE(cell(v5, M::VersionColumn), h->v5.shortSha() + QStringLiteral("  (current)"));
        QCOMPARE(cell(v1, M::VersionColumn), h->v1.shortSha() + QStringLiteral("  [seed]"));
        QCOMPARE(cell(v2, M::SummaryColumn), QStringLiteral("Iteration 1: two"));

        QCOMPARE(cell(v5, M::DecisionColumn), QStringLiteral("restored from ") + h->v1.shortSha());
        QCOMPARE(cell(v4, M::DecisionColumn), QStringLiteral("hand edit"));
        QCOMPARE(cell(v3, M::DecisionColumn), QStringLiteral("edited"));
        QCOMPARE(cell(v2, M::DecisionColumn), QStringLiteral("accepted"));
        QCOMPARE(cell(v1, M::DecisionColumn), QStringLiteral("initial"));
        QCOMPARE(cell(p2, M::DecisionColumn), QStringLiteral("rejected"));
        QCOMPARE(cell(p4, M::DecisionColumn), QStringLiteral("not accepted"));
        QCOMPARE(v5.data(M::DecisionRole).toInt(), int(M::Decision::Restored));
        QCOMPARE(p2.data(M::DecisionRole).toInt(), int(M::Decision::Rejected));

        // Val from main's trailer; Train from the proposal (the accepted one for a main row).
        QCOMPARE(cell(v2, M::ValColumn), QStringLiteral("0.700"));
        QCOMPARE(cell(v2, M::TrainColumn), QStringLiteral("0.500"));
        QCOMPARE(cell(v3, M::TrainColumn), QStringLiteral("0.750"));
        QCOMPARE(cell(p2, M::ValColumn), QString());
        QCOMPARE(cell(p2, M::TrainColumn), QStringLiteral("0.250"));
        QCOMPARE(cell(v4, M::ValColumn), QString());

        QCOMPARE(cell(v2, M::RunColumn), QStringLiteral("run-1 · 1"));
        QCOMPARE(cell(p2, M::RunColumn), QStringLiteral("run-1 · 2"));
        QCOMPARE(cell(v4, M::RunColumn), QString());
        QCOMPARE(p2.data(M::RunRole).toString(), QStringLiteral("run-1"));
        QCOMPARE(p2.data(M::IterationRole).toInt(), 2);
        QCOMPARE(v4.data(M::IterationRole).toInt(), -1);
        QCOMPARE(cell(v1, M::TimeColumn),
                 h->v1.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    }

    void headIsBoldAndProposalsAreItalic()
    {
        auto h = makeHistory();
        HistoryModel model;
        model.setSnapshot(must(HistorySnapshot::load(h->dir.path())));
        const QModelIndex head = model.indexOfSha(h->v5.sha);
        QVERIFY(head.data(HistoryModel::IsHeadRole).toBool());
        QVERIFY(head.data(Qt::FontRole).value<QFont>().bold());
        const QModelIndex p2 =
            model.indexOfSha(h->p2.sha).siblingAtColumn(HistoryModel::SummaryColumn);
        QVERIFY(p2.data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(!p2.data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(p2.data(Qt::ForegroundRole).isValid());
        QVERIFY(!model.indexOfSha(h->v2.sha).data(Qt::FontRole).isValid());
    }

    void loadsAThousandVersions()
    {
        QTemporaryDir dir;
        QVERIFY(git(dir.path(), {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                                 QStringLiteral("main")}));
        QVERIFY(git(dir.path(), {QStringLiteral("fast-import"), QStringLiteral("--quiet")},
                    sg::test::fastImportHistory(1000)));
        QElapsedTimer timer;
        timer.start();
        const HistorySnapshot s = must(HistorySnapshot::load(dir.path()));
        const qint64 loadMs = timer.elapsed();
        HistoryModel model;
        model.setSnapshot(s);
        qInfo("1,000 versions and 500 proposals: loaded in %lld ms, model reset in %lld ms", loadMs,
              timer.elapsed() - loadMs);
        QCOMPARE(int(s.main.size()), 1000);
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(int(s.proposals.size()), 500);
        // Proposal i was made on version i, which is row 1000 - i.
        QCOMPARE(model.rowCount(model.index(999, 0)), 1);
        QCOMPARE(model.rowCount(model.index(998, 0)), 0);
    }
};

QTEST_MAIN(tst_HistoryModel)
#include "tst_HistoryModel.moc"
