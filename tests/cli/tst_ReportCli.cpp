#include "CliRunner.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace sg;
using namespace sg::test;

namespace {

const QString kBanner = QStringLiteral("SIMULATED — synthetic scores from the sim provider, not an accuracy claim");

QString makeWorkspace(const QTemporaryDir& tmp, const QString& name)
{
    const QString ws = tmp.filePath(name);
    const CliRun init = skillgrad({QStringLiteral("init"), ws, QStringLiteral("--example"), QStringLiteral("table-qa"), QStringLiteral("-q")});
    if (init.code != 0)
        qFatal("init failed: %s", qPrintable(init.err));
    return ws;
}

// A sim run in `ws`; its --json document.
nlohmann::json optimize(const QString& ws, const QStringList& extra = {})
{
    const CliRun run = skillgrad(QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("optimize"), QStringLiteral("--provider"),
                                            QStringLiteral("sim"), QStringLiteral("--json")} + extra);
    if (run.code != 0)
        qFatal("optimize failed: %s", qPrintable(run.err));
    return run.json();
}

CliRun report(const QString& ws, const QStringList& args)
{
    return skillgrad(QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("report")} + args);
}

QString runId(const nlohmann::json& doc)
{
    return QString::fromStdString(doc["run"].get<std::string>());
}

QString runFile(const QString& ws, const nlohmann::json& doc, const QString& relative)
{
    return QStringLiteral("%1/runs/%2/%3").arg(ws, runId(doc), relative);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

// The first iteration the gate accepted, and an added line of its diff that the report must show.
std::pair<int, QString> acceptedDiffLine(const QString& ws, const nlohmann::json& doc)
{
    for (const auto& it : doc["iterations"]) {
        if (it["decision"] != "accepted")
            continue;
        const int n = it["iteration"].get<int>();
        const QString diff = QString::fromUtf8(readAll(runFile(ws, doc, QStringLiteral("iter-%1/proposal.diff").arg(n, 4, 10, QLatin1Char('0')))));
        for (const QString& line : diff.split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1Char('+')) && !line.startsWith(QLatin1String("+++")) && line.size() > 8)
                return {n, line};
    }
    return {0, QString()};
}

} // namespace

// `skillgrad report`: a run read back from runs/<id>/ as Markdown or one self-contained HTML page.
class tst_ReportCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void markdownHoldsEveryIteration()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("md"));
        const nlohmann::json doc = optimize(ws);
        const CliRun md = report(ws, {runId(doc)});
        QVERIFY2(md.code == 0, qPrintable(md.err));
        QVERIFY(md.out.startsWith(QStringLiteral("# SkillGrad report: ") + runId(doc)));
        QVERIFY2(md.out.contains(kBanner), qPrintable(md.out.left(600)));
        QVERIFY(doc["iterations"].size() >= 3);
        for (const auto& it : doc["iterations"]) {
            const int n = it["iteration"].get<int>();
            const QString decision = QString::fromStdString(it["decision"].get<std::string>());
            QVERIFY2(md.out.contains(QStringLiteral("### Iteration %1: %2\n").arg(n).arg(decision)), qPrintable(decision));
            // Its row of the accuracy table: number, batch, pass rate, val, decision.
            const QRegularExpression row(QStringLiteral("\\n\\| %1 \\| %2/%3 \\| [0-9.]+ \\| %4 \\| %5")
                                             .arg(n)
                                             .arg(it["passed"].get<int>())
                                             .arg(it["total"].get<int>())
                                             .arg(QString::number(it["val_score"].get<double>(), 'f', 3), decision));
            QVERIFY2(row.match(md.out).hasMatch(), qPrintable(row.pattern()));
        }
        QVERIFY(md.out.contains(QStringLiteral("| seed | | | %1 |").arg(doc["initial_val"].get<double>(), 0, 'f', 3)));
        // Diagnoses and pattern changes of iteration 1 (every pattern is new there).
        const auto diagnoses = nlohmann::json::parse(readAll(runFile(ws, doc, QStringLiteral("iter-0001/diagnoses.json"))).toStdString());
        const QString label = QString::fromStdString(diagnoses["diagnoses"][0]["label"].get<std::string>());
        QVERIFY2(md.out.contains(QStringLiteral("**%1** — ").arg(label)), qPrintable(label));
        QVERIFY(md.out.contains(QStringLiteral("- new `p-")));
        QVERIFY(md.out.contains(QStringLiteral("escalation due")));
        // An accepted iteration's diff, in a diff block.
        const auto [accepted, line] = acceptedDiffLine(ws, doc);
        QVERIFY(accepted > 0);
        const qsizetype block = md.out.indexOf(QStringLiteral("```diff\n"), md.out.indexOf(QStringLiteral("### Iteration %1:").arg(accepted)));
        QVERIFY(block > 0);
        QVERIFY2(md.out.indexOf(line, block) > block, qPrintable(line));
        // Usage per role, with the run's total.
        const auto usage = nlohmann::json::parse(readAll(runFile(ws, doc, QStringLiteral("usage.json"))).toStdString());
        QVERIFY(md.out.contains(QStringLiteral("| executor | %1 |").arg(usage["by_role"]["executor"]["calls"].get<qint64>())));
        QVERIFY(md.out.contains(QStringLiteral("| **total** | %1 |").arg(usage["total"]["calls"].get<qint64>())));

        // latest is this run; --json carries the same text.
        const CliRun latest = report(ws, {QStringLiteral("latest"), QStringLiteral("--json")});
        QCOMPARE(latest.code, 0);
        QCOMPARE(QString::fromStdString(latest.json()["run"].get<std::string>()), runId(doc));
        QCOMPARE(QString::fromStdString(latest.json()["text"].get<std::string>()), md.out);
        QVERIFY(latest.json()["simulated"].get<bool>());
    }

    void htmlIsOneSelfContainedPage()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("html"));
        const nlohmann::json doc = optimize(ws);
        // A diagnosis that looks like markup stays text.
        const QString diagnosesFile = runFile(ws, doc, QStringLiteral("iter-0001/diagnoses.json"));
        auto diagnoses = nlohmann::json::parse(readAll(diagnosesFile).toStdString());
        diagnoses["diagnoses"][0]["prose"] = "<script>alert('x')</script> & <b>bold</b>";
        writeFile(ws, QStringLiteral("runs/%1/iter-0001/diagnoses.json").arg(runId(doc)), QByteArray::fromStdString(diagnoses.dump()));

        const QString out = m_tmp.filePath(QStringLiteral("reports/run.html"));
        const CliRun run = report(ws, {QStringLiteral("latest"), QStringLiteral("--format"), QStringLiteral("html"), QStringLiteral("--out"), out});
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("Wrote ")) && run.out.contains(out), qPrintable(run.out));
        const QString html = QString::fromUtf8(readAll(out));
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(kBanner));
        QVERIFY(html.contains(QStringLiteral("<svg class=\"chart\"")) && html.contains(QStringLiteral("<polyline class=\"val\"")));
        QVERIFY(html.contains(QStringLiteral("<circle class=\"m-accepted\"")));
        // Nothing is fetched: no URL, script, stylesheet link or image source of any kind.
        for (const char* banned : {"http://", "https://", "<script", "<link", " src=", "url(", "@import"})
            QVERIFY2(!html.contains(QLatin1String(banned), Qt::CaseInsensitive), banned);
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"))
                || html.contains(QStringLiteral("&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;")));
        for (const auto& it : doc["iterations"]) {
            const int n = it["iteration"].get<int>();
            const QString decision = QString::fromStdString(it["decision"].get<std::string>());
            QVERIFY2(html.contains(QStringLiteral("<section id=\"iter-%1\">\n<h3>Iteration %1 <span class=\"badge %2\">%2</span>").arg(n).arg(decision)),
                     qPrintable(decision));
        }
        // The accepted diff, its added lines marked.
        const auto [accepted, line] = acceptedDiffLine(ws, doc);
        QVERIFY(accepted > 0);
        QVERIFY2(html.contains(QStringLiteral("<span class=\"add\">%1</span>").arg(line.toHtmlEscaped())), qPrintable(line));
        QVERIFY(html.contains(QStringLiteral("<span class=\"del\">-")));

        // Without --out the page goes to stdout.
        const CliRun stdoutRun = report(ws, {runId(doc), QStringLiteral("--format"), QStringLiteral("html")});
        QCOMPARE(stdoutRun.code, 0);
        QCOMPARE(stdoutRun.out, html);
    }

    void anUnknownRunExits2()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("unknown"));
        const CliRun none = report(ws, {QStringLiteral("latest")});
        QCOMPARE(none.code, 2);
        QVERIFY2(none.err.contains(QStringLiteral("no runs yet")), qPrintable(none.err));
        for (const QString& id : {QStringLiteral("optimize-19990101-000000"), QStringLiteral("../skill"), QStringLiteral(".")}) {
            const CliRun run = report(ws, {id});
            QCOMPARE(run.code, 2);
            QVERIFY2(run.err.contains(QStringLiteral("skillgrad")) && run.err.contains(QStringLiteral(" runs")), qPrintable(run.err));
            QVERIFY(run.out.isEmpty());
        }
        QCOMPARE(report(ws, {QStringLiteral("latest"), QStringLiteral("--format"), QStringLiteral("pdf")}).code, 2);
    }

    // The choice made here: a damaged iteration file does not sink the report; that iteration is
    // marked unreadable, naming the file, and a warning goes to stderr. A damaged run.json or
    // summary.json is an error naming the file (exit 2).
    void aDamagedIterationIsMarkedUnreadable()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("damaged"));
        const nlohmann::json doc = optimize(ws, {QStringLiteral("--max-iters"), QStringLiteral("3"), QStringLiteral("--no-test")});
        QCOMPARE(doc["iterations"].size(), std::size_t(3));
        const QString run = QStringLiteral("runs/%1/").arg(runId(doc));
        writeFile(ws, run + QStringLiteral("iter-0002/diagnoses.json"), QByteArray("{\"diagnoses\": [{\"task\": \"nt-"));

        const CliRun md = report(ws, {runId(doc)});
        QVERIFY2(md.code == 0, qPrintable(md.err));
        QVERIFY2(md.err.contains(QStringLiteral("iter-0002/diagnoses.json")), qPrintable(md.err));
        const qsizetype second = md.out.indexOf(QStringLiteral("### Iteration 2:"));
        const qsizetype third = md.out.indexOf(QStringLiteral("### Iteration 3:"));
        QVERIFY(second > 0 && third > second);
        const QString section = md.out.mid(second, third - second);
        QVERIFY2(section.contains(QStringLiteral("unreadable: iter-0002/diagnoses.json: is not valid JSON")), qPrintable(section));
        QVERIFY(!section.contains(QStringLiteral("#### Diagnoses")));
        QVERIFY(md.out.mid(third).contains(QStringLiteral("#### Diagnoses"))); // the others are whole
        QVERIFY(md.out.contains(QStringLiteral("⚠ unreadable files")));        // and the table says so
        const CliRun html = report(ws, {runId(doc), QStringLiteral("--format"), QStringLiteral("html")});
        QCOMPARE(html.code, 0);
        QVERIFY(html.out.contains(QStringLiteral("<p class=\"problem\"><strong>Unreadable:</strong> iter-0002/diagnoses.json")));

        writeFile(ws, run + QStringLiteral("summary.json"), QByteArray("{\"iterations\": 7"));
        const CliRun summary = report(ws, {runId(doc)});
        QCOMPARE(summary.code, 2);
        QVERIFY2(summary.err.contains(QStringLiteral("summary.json")), qPrintable(summary.err));
        writeFile(ws, run + QStringLiteral("run.json"), QByteArray("garbage"));
        const CliRun info = report(ws, {runId(doc)});
        QCOMPARE(info.code, 2);
        QVERIFY2(info.err.contains(QStringLiteral("run.json")), qPrintable(info.err));
    }

    // A killed run has no summary.json: its iterations come from their folders and the events.
    void anUnfinishedRunIsReportedFromItsEvents()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("killed"));
        const nlohmann::json doc = optimize(ws, {QStringLiteral("--max-iters"), QStringLiteral("2"), QStringLiteral("--no-test")});
        const QString run = QStringLiteral("runs/%1/").arg(runId(doc));
        QVERIFY(QFile::remove(runFile(ws, doc, QStringLiteral("summary.json"))));
        QVERIFY(QFile::remove(runFile(ws, doc, QStringLiteral("usage.json"))));

        // Ended, yet without its summary: the folder is incomplete, and the error says which file.
        const CliRun ended = report(ws, {runId(doc)});
        QCOMPARE(ended.code, 2);
        QVERIFY2(ended.err.contains(QStringLiteral("summary.json")) && ended.err.contains(QStringLiteral("missing")), qPrintable(ended.err));

        auto info = nlohmann::json::parse(readAll(runFile(ws, doc, QStringLiteral("run.json"))).toStdString());
        info["status"] = "running";
        writeFile(ws, run + QStringLiteral("run.json"), QByteArray::fromStdString(info.dump()));
        const CliRun md = report(ws, {runId(doc)});
        QVERIFY2(md.code == 0, qPrintable(md.err));
        QVERIFY(md.out.contains(QStringLiteral("summary.json is not there yet")));
        for (const auto& it : doc["iterations"])
            QVERIFY(md.out.contains(QStringLiteral("### Iteration %1: %2\n").arg(it["iteration"].get<int>()).arg(QString::fromStdString(it["decision"].get<std::string>()))));
        QVERIFY(md.out.contains(QStringLiteral("No usage.json in this run yet.")));
    }

    void anEvalRunGetsASimpleReport()
    {
        const QString ws = makeWorkspace(m_tmp, QStringLiteral("eval"));
        const CliRun eval = skillgrad({QStringLiteral("--workspace"), ws, QStringLiteral("eval"), QStringLiteral("--provider"), QStringLiteral("sim"),
                                       QStringLiteral("--split"), QStringLiteral("val"), QStringLiteral("--limit"), QStringLiteral("6"), QStringLiteral("--json")});
        QVERIFY2(eval.code == 0, qPrintable(eval.err));
        const auto doc = eval.json();
        const CliRun md = report(ws, {QStringLiteral("latest")});
        QVERIFY2(md.code == 0, qPrintable(md.err));
        QVERIFY(md.out.contains(kBanner));
        QVERIFY(md.out.contains(QStringLiteral("| score | %1 (%2/%3 passed) |")
                                    .arg(QString::number(doc["score"].get<double>(), 'f', 3))
                                    .arg(doc["passed"].get<int>())
                                    .arg(doc["total"].get<int>())));
        for (const auto& r : doc["results"])
            QVERIFY(md.out.contains(QStringLiteral("| %1 | %2 |").arg(QString::fromStdString(r["id"].get<std::string>()),
                                                                      r["passed"].get<bool>() ? QStringLiteral("passed") : QStringLiteral("failed"))));
        const CliRun html = report(ws, {QStringLiteral("latest"), QStringLiteral("--format"), QStringLiteral("html")});
        QCOMPARE(html.code, 0);
        QVERIFY(html.out.contains(QStringLiteral("Results per task")) && !html.out.contains(QStringLiteral("<script")));
    }
};

QTEST_GUILESS_MAIN(tst_ReportCli)
#include "tst_ReportCli.moc"
