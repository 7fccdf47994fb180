#include "TestSupport.h"

#include "agent/Evaluation.h"
#include "agent/SimExecutor.h"
#include "llm/LlmClient.h"
#include "llm/Scheduler.h"
#include "llm/SimProvider.h"
#include "tasks/TaskSource.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

SkillPackage withBody(const QString& body, const std::vector<SkillFile>& extra = {})
{
    SkillFiles files;
    files.rootName = QStringLiteral("table-qa");
    files.files = {{QStringLiteral("SKILL.md"), (QStringLiteral("---\nname: table-qa\ndescription: Tables.\n---\n") + body).toUtf8(), false}};
    for (const SkillFile& f : extra)
        files.files.push_back(f);
    std::sort(files.files.begin(), files.files.end(), [](const SkillFile& a, const SkillFile& b) { return a.path < b.path; });
    return SkillPackage::fromFiles(files);
}

// Which tasks pass with `skill`, and which references the agent read.
std::map<QString, bool> passes(const TaskSet& tasks, const SkillPackage& skill, QStringList* read = nullptr)
{
    SimProvider sim(1);
    sim.setRole(QStringLiteral("executor"), std::make_shared<SimExecutor>());
    sim.setGold([&tasks](const QString& id) { return tasks.find(id)->answers; });
    Scheduler scheduler;
    SchedulerLimits limits;
    limits.concurrency = 32;
    scheduler.addProvider(QStringLiteral("sim"), &sim, limits);
    LlmClient client(scheduler);
    client.setDefaultLane(QStringLiteral("sim"));
    QTemporaryDir scratch;
    Evaluation::Setup s;
    for (const Task& t : tasks.tasks)
        s.tasks.push_back(&t);
    s.tasksRoot = tasks.root;
    s.skill = skill;
    s.model = QStringLiteral("sim");
    s.client = &client;
    s.scratchRoot = scratch.path();
    Evaluation evaluation(s);
    std::map<QString, bool> out;
    QObject::connect(&evaluation, &Evaluation::taskFinished, [&](const Trajectory& t, const TaskResult& r) {
        out[r.id] = r.passed;
        if (read)
            for (const QString& ref : t.referencesRead)
                if (!read->contains(ref))
                    *read << ref;
    });
    QSignalSpy done(&evaluation, &Evaluation::finished);
    evaluation.start();
    done.wait(60000);
    return out;
}

} // namespace

class tst_SimExecutor : public QObject
{
    Q_OBJECT
private:
    TaskSet m_tasks;

private Q_SLOTS:
    void initTestCase()
    {
        auto loaded = TaskSource::load(QStringLiteral("wtq"), sourceDir() + QStringLiteral("/resources/examples/tasks/wtq-mini/tasks.jsonl"));
        QVERIFY(loaded);
        m_tasks = std::move(loaded.value());
    }

    void categorizes_data()
    {
        QTest::addColumn<QString>("question");
        QTest::addColumn<QString>("category");
        QTest::newRow("how many") << "how many teams played in 1998?" << "counting";
        QTest::newRow("number of") << "what is the number of wins?" << "counting";
        QTest::newRow("more than") << "did the lions score more points than the tigers?" << "comparison";
        QTest::newRow("how many more") << "how many more passengers flew to a than to b?" << "comparison";
        QTest::newRow("difference") << "what is the difference in votes?" << "comparison";
        QTest::newRow("total") << "what was the total attendance?" << "aggregation";
        QTest::newRow("last") << "what was the last year the team played?" << "superlative";
        QTest::newRow("most") << "who won the most medals?" << "superlative";
        QTest::newRow("plain") << "who was the opponent in week 3?" << "lookup";
    }

    void categorizes()
    {
        QFETCH(QString, question);
        QFETCH(QString, category);
        QCOMPARE(SimExecutor::categorize(question).name, category);
    }

    void guidanceIsAHeadingOrAPointerLine()
    {
        const auto& counting = SimExecutor::categorize(QStringLiteral("how many?"));
        QVERIFY(SimExecutor::guidedInBody(counting, QStringLiteral("# Skill\n## Counting rows\nUse COUNT(*).\n")));
        QVERIFY(!SimExecutor::guidedInBody(counting, QStringLiteral("# Skill\nWhen counting, be careful.\n"))); // not a heading
        QCOMPARE(SimExecutor::pointerFor(counting, QStringLiteral("Read references/count.md when counting rows. Skip it otherwise.\n")),
                 QStringLiteral("references/count.md"));
        QVERIFY(SimExecutor::pointerFor(counting, QStringLiteral("Read references/other.md when the table is messy.\n")).isEmpty());
    }

    void guidanceOnlyEverHelps()
    {
        // The seed: no guidance for any category.
        const auto seed = passes(m_tasks, withBody(QStringLiteral("# Steps\nAnswer the question.\n")));
        // Guidance in L2 for every category, and the L3 route for superlatives.
        const SkillPackage guided = withBody(QStringLiteral("# Steps\n## Counting questions\nCount rows.\n## Comparison questions\nCompare.\n"
                                                            "## Aggregation questions\nSum.\n## Lookup questions\nFind the row.\n"
                                                            "Read references/superlatives.md for superlative questions. Skip it otherwise.\n"),
                                             {{QStringLiteral("references/superlatives.md"), "# Superlative questions\nSort first.\n", false}});
        QStringList read;
        const auto better = passes(m_tasks, guided, &read);
        QCOMPARE(seed.size(), std::size_t(100));
        int seedPasses = 0, guidedPasses = 0;
        for (const auto& [id, passed] : seed) {
            // Monotone draws: guidance never turns a pass into a failure.
            QVERIFY2(!passed || better.at(id), qPrintable(id));
            seedPasses += passed;
            guidedPasses += better.at(id);
        }
        QVERIFY2(guidedPasses >= seedPasses + 20, qPrintable(QStringLiteral("%1 -> %2").arg(seedPasses).arg(guidedPasses)));
        QCOMPARE(read, QStringList{QStringLiteral("references/superlatives.md")});
    }

    void aPointerThatIsNotReadDoesNotCount()
    {
        // The reference exists but its pointer line does not name the category: never read, no help.
        const SkillPackage hidden = withBody(QStringLiteral("# Steps\nRead references/notes.md when the table is messy.\n"),
                                             {{QStringLiteral("references/notes.md"), "# Superlative questions\nSort first.\n", false}});
        QStringList read;
        const auto withHidden = passes(m_tasks, hidden, &read);
        const auto seed = passes(m_tasks, withBody(QStringLiteral("# Steps\nAnswer the question.\n")));
        QVERIFY(withHidden == seed);
        QVERIFY(read.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_SimExecutor)
#include "tst_SimExecutor.moc"
