#include "skill/SkillPackage.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace sg;
using namespace sg::test;

// The bundled example: 60 train + 40 test WTQ tasks kept apart from the seed skill, and a seed
// that carries no task-specific values (DESIGN.md 4.6), so later gains are not leaked answers.
class tst_BundledExample : public QObject
{
    Q_OBJECT
private:
    QString m_tasksDir;
    std::vector<nlohmann::json> m_tasks;

private Q_SLOTS:
    void initTestCase()
    {
        m_tasksDir = sourceDir() + QStringLiteral("/resources/examples/tasks/wtq-mini");
        QFile file(m_tasksDir + QStringLiteral("/tasks.jsonl"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (!line.isEmpty())
                m_tasks.push_back(nlohmann::json::parse(line.toStdString()));
        }
    }

    void sixtyTrainFortyTest()
    {
        int train = 0, test = 0;
        QSet<QString> ids;
        for (const auto& t : m_tasks) {
            const std::string split = t["split"];
            (split == "train" ? train : test)++;
            ids.insert(QString::fromStdString(t["id"].get<std::string>()));
        }
        QCOMPARE(train, 60);
        QCOMPARE(test, 40);
        QCOMPARE(ids.size(), 100);
    }

    void everyTableIsThere()
    {
        for (const auto& t : m_tasks) {
            for (const char* key : {"table", "table_tsv"}) {
                const QString path = m_tasksDir + QLatin1Char('/') + QString::fromStdString(t[key].get<std::string>());
                QVERIFY2(QFileInfo(path).isFile(), qPrintable(path));
            }
        }
        QVERIFY(QFileInfo(m_tasksDir + QStringLiteral("/LICENSE")).isFile());
        QVERIFY(QFileInfo(m_tasksDir + QStringLiteral("/README.md")).isFile());
    }

    void seedSkillHoldsNoTaskValues()
    {
        auto package = SkillPackage::load(sourceDir() + QStringLiteral("/resources/examples/table-qa"));
        QVERIFY(package);
        QString text;
        for (const auto& f : package->files())
            text += QString::fromUtf8(f.data).toLower() + QLatin1Char('\n');
        const QString words = QString(text).replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral(" "));
        for (const auto& t : m_tasks) {
            for (const auto& answer : t["answers"]) {
                const QString a = QString::fromStdString(answer.get<std::string>()).toLower();
                if (a.size() < 3)
                    continue;
                const QRegularExpression re(QStringLiteral("(?<!\\w)%1(?!\\w)").arg(QRegularExpression::escape(a)));
                QVERIFY2(!re.match(text).hasMatch(), qPrintable(QStringLiteral("gold answer \"%1\" is in the skill").arg(a)));
            }
            const QStringList q = QString::fromStdString(t["question"].get<std::string>())
                                      .toLower()
                                      .split(QRegularExpression(QStringLiteral("[^a-z0-9]+")), Qt::SkipEmptyParts);
            for (qsizetype i = 0; i + 4 <= q.size(); ++i) {
                const QString gram = q.mid(i, 4).join(QLatin1Char(' '));
                QVERIFY2(!(QLatin1Char(' ') + words + QLatin1Char(' ')).contains(QLatin1Char(' ') + gram + QLatin1Char(' ')),
                         qPrintable(QStringLiteral("question words \"%1\" are in the skill").arg(gram)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(tst_BundledExample)
#include "tst_BundledExample.moc"
