#include "optim/HunkSelection.h"
#include "optim/LineDiff.h"

#include <QTest>

using namespace sg;

namespace {

// Stands for "no such file" in the data tables.
const QByteArray kAbsent = QByteArrayLiteral("<absent>");

// "L1\nL2\n…" for lines from..to, each ending with `eol` (none after the last when `lastEol` is
// false).
QByteArray numbered(int from, int to, const QByteArray& eol = "\n", bool lastEol = true)
{
    QByteArray out;
    for (int i = from; i <= to; ++i)
        out += "L" + QByteArray::number(i) + (i < to || lastEol ? eol : QByteArray());
    return out;
}

// numbered(1, count) with the lines in `changed` replaced by "X<n>".
QByteArray withChanges(int count, std::initializer_list<int> changed, const QByteArray& eol = "\n")
{
    QByteArray out;
    for (int i = 1; i <= count; ++i) {
        const bool hit = std::find(changed.begin(), changed.end(), i) != changed.end();
        out += (hit ? "X" : "L") + QByteArray::number(i) + eol;
    }
    return out;
}

std::vector<TreeFile> tree(std::initializer_list<std::pair<const char*, QByteArray>> files)
{
    std::vector<TreeFile> out;
    for (const auto& [path, data] : files)
        if (data != kAbsent)
            out.push_back({QString::fromUtf8(path), data, false});
    return out;
}

// Accepts hunk i when pattern[i] is 'a', rejects it when 'r'.
void choose(HunkSelection& selection, const QString& pattern)
{
    QCOMPARE(selection.hunkCount(), int(pattern.size()));
    for (int i = 0; i < int(pattern.size()); ++i)
        selection.setAccepted(i, pattern[i] == QLatin1Char('a'));
}

QString kindName(Decision::Kind kind)
{
    switch (kind) {
    case Decision::Kind::Accept:
        return QStringLiteral("accept");
    case Decision::Kind::Reject:
        return QStringLiteral("reject");
    case Decision::Kind::Edit:
        break;
    }
    return QStringLiteral("edit");
}

QByteArray contentOf(const std::vector<TreeFile>& files, const QString& path)
{
    for (const TreeFile& f : files)
        if (f.path == path)
            return f.data;
    return kAbsent;
}

} // namespace

class tst_HunkSelection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // One file: its hunks, and the bytes that result from a choice over them.
    void result_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QByteArray>("expected");

        const QByteArray twenty = numbered(1, 20);
        QTest::newRow("mixed: first accepted")
            << twenty << withChanges(20, {2, 18}) << QStringLiteral("ar") << withChanges(20, {2});
        QTest::newRow("mixed: second accepted")
            << twenty << withChanges(20, {2, 18}) << QStringLiteral("ra") << withChanges(20, {18});
        QTest::newRow("three hunks, middle rejected")
            << numbered(1, 30) << withChanges(30, {2, 15, 28}) << QStringLiteral("ara")
            << withChanges(30, {2, 28});
        // 6 unchanged lines between two changes (2 × context) make one hunk, 7 make two.
        QTest::newRow("adjacent: one hunk")
            << twenty << withChanges(20, {2, 9}) << QStringLiteral("r") << twenty;
        QTest::newRow("adjacent: two hunks")
            << twenty << withChanges(20, {2, 10}) << QStringLiteral("ra") << withChanges(20, {10});
        QTest::newRow("touching changes") << twenty << withChanges(20, {5, 6, 7})
                                          << QStringLiteral("a") << withChanges(20, {5, 6, 7});

        QByteArray inserted = twenty;
        inserted.replace("L10\n", "L10\nnew a\nnew b\n");
        inserted.replace("L1\n", "");
        QTest::newRow("insert kept, removal rejected")
            << twenty << inserted << QStringLiteral("ra")
            << QByteArray(twenty).replace("L10\n", "L10\nnew a\nnew b\n");
        QTest::newRow("insert rejected, removal kept")
            << twenty << inserted << QStringLiteral("ar") << numbered(2, 20);

        QTest::newRow("new file rejected")
            << kAbsent << QByteArray("a\nb\n") << QStringLiteral("r") << kAbsent;
        QTest::newRow("new file accepted")
            << kAbsent << QByteArray("a\nb\n") << QStringLiteral("a") << QByteArray("a\nb\n");
        QTest::newRow("empty new file rejected")
            << kAbsent << QByteArray() << QStringLiteral("r") << kAbsent;
        QTest::newRow("empty new file accepted")
            << kAbsent << QByteArray() << QStringLiteral("a") << QByteArray();
        QTest::newRow("deleted file accepted")
            << twenty << kAbsent << QStringLiteral("a") << kAbsent;
        QTest::newRow("deleted file rejected")
            << twenty << kAbsent << QStringLiteral("r") << twenty;

        // The last line gains a newline and a line follows: one hunk at the end, one at the top.
        const QByteArray open = numbered(1, 12, "\n", false);
        QByteArray grown = open;
        grown.replace("L1\n", "X1\n");
        grown += "\nL13";
        QTest::newRow("no trailing newline: end rejected")
            << open << grown << QStringLiteral("ar") << QByteArray(open).replace("L1\n", "X1\n");
        QTest::newRow("no trailing newline: end accepted")
            << open << grown << QStringLiteral("ra") << numbered(1, 13, "\n", false);
        QTest::newRow("newline added at the end, rejected")
            << QByteArray("a\nb") << QByteArray("a\nb\n") << QStringLiteral("r")
            << QByteArray("a\nb");

        const QByteArray crlf = numbered(1, 20, "\r\n");
        QTest::newRow("CRLF kept") << crlf << withChanges(20, {2, 18}, "\r\n")
                                   << QStringLiteral("ar") << withChanges(20, {2}, "\r\n");
        QTest::newRow("CRLF to LF is a change") << crlf << twenty << QStringLiteral("r") << crlf;
        QByteArray oneLf = crlf;
        oneLf.replace("L19\r\n", "L19\n");
        oneLf.replace("L2\r\n", "X2\r\n");
        QTest::newRow("one line's ending, rejected")
            << crlf << oneLf << QStringLiteral("ar")
            << QByteArray(crlf).replace("L2\r\n", "X2\r\n");

        QTest::newRow("binary rejected")
            << QByteArray("\x00\x01\x02", 3) << QByteArray("\x00\x03", 2) << QStringLiteral("r")
            << QByteArray("\x00\x01\x02", 3);
        QTest::newRow("binary accepted")
            << QByteArray("\x00\x01\x02", 3) << QByteArray("\xff\xfe", 2) << QStringLiteral("a")
            << QByteArray("\xff\xfe", 2);
    }
    void result()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(QString, pattern);
        QFETCH(QByteArray, expected);

        HunkSelection selection(tree({{"f.md", before}}), tree({{"f.md", after}}));
        QCOMPARE(int(selection.files().size()), 1);
        choose(selection, pattern);
        const std::optional<QByteArray> got = selection.result(0);
        QCOMPARE(got.value_or(kAbsent), expected);

        // The decision, applied to the candidate as the optimizer does, gives the same file.
        const std::vector<TreeFile> candidate = tree({{"f.md", after}});
        const Decision decision = selection.decision();
        const std::vector<TreeFile> committed =
            decision.kind == Decision::Kind::Reject   ? tree({{"f.md", before}})
            : decision.kind == Decision::Kind::Accept ? candidate
                                                      : applyEdit(candidate, decision);
        QCOMPARE(contentOf(committed, QStringLiteral("f.md")), expected);
    }

    // Hunk headers read like git's: the same as LineDiff::unified for LF text.
    void headersMatchUnified()
    {
        const QByteArray before = numbered(1, 40);
        QByteArray after = withChanges(40, {1, 12, 13, 30});
        after.replace("L20\n", "");
        after += "tail\n";
        HunkSelection selection(tree({{"f.md", before}}), tree({{"f.md", after}}));
        QStringList headers;
        for (int i = 0; i < selection.hunkCount(); ++i)
            headers << selection.hunk(i).header();
        QStringList expected;
        const QString unified = LineDiff::unified(QStringLiteral("f.md"), QString::fromUtf8(before),
                                                  QString::fromUtf8(after));
        for (const QString& line : unified.split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1String("@@")))
                expected << line;
        QCOMPARE(headers, expected);
        QCOMPARE(selection.additions(), 5);
        QCOMPARE(selection.deletions(), 5);
    }

    // Two files: the kind of decision and what an Edit carries.
    void decision_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QStringList>("deleted");

        // Hunks: a.md has two, new.md one, old.md one (a deletion).
        QTest::newRow("all accepted")
            << QStringLiteral("aaaa") << QStringLiteral("accept") << QStringList() << QStringList();
        QTest::newRow("all rejected")
            << QStringLiteral("rrrr") << QStringLiteral("reject") << QStringList() << QStringList();
        QTest::newRow("one hunk rejected")
            << QStringLiteral("raaa") << QStringLiteral("edit")
            << QStringList{QStringLiteral("a.md"), QStringLiteral("new.md")}
            << QStringList{QStringLiteral("old.md")};
        QTest::newRow("new file rejected, deletion rejected")
            << QStringLiteral("aarr") << QStringLiteral("edit")
            << QStringList{QStringLiteral("a.md"), QStringLiteral("old.md")}
            << QStringList{QStringLiteral("new.md")};
    }
    void decision()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, kind);
        QFETCH(QStringList, files);
        QFETCH(QStringList, deleted);

        const std::vector<TreeFile> current =
            tree({{"a.md", numbered(1, 20)}, {"old.md", "gone\n"}, {"same.md", "same\n"}});
        const std::vector<TreeFile> candidate = tree(
            {{"a.md", withChanges(20, {2, 18})}, {"new.md", "fresh\n"}, {"same.md", "same\n"}});
        HunkSelection selection(current, candidate);
        QCOMPARE(int(selection.files().size()), 3); // same.md did not change
        QCOMPARE(selection.files()[1].status, FileChange::Status::Added);
        QCOMPARE(selection.files()[2].status, FileChange::Status::Deleted);
        choose(selection, pattern);

        const Decision d = selection.decision(QStringLiteral("why"));
        QCOMPARE(kindName(d.kind), kind);
        QCOMPARE(d.note, QStringLiteral("why"));
        QStringList got;
        for (const auto& [path, data] : d.files)
            got << path;
        QCOMPARE(got, files);
        QCOMPARE(d.deleted, deleted);
        if (d.kind != Decision::Kind::Edit)
            return;
        // The committed tree: unchanged files kept, each changed file as chosen.
        const std::vector<TreeFile> next = applyEdit(candidate, d);
        QCOMPARE(contentOf(next, QStringLiteral("same.md")), QByteArray("same\n"));
        for (int f = 0; f < int(selection.files().size()); ++f)
            QCOMPARE(contentOf(next, selection.files()[f].path),
                     selection.result(f).value_or(kAbsent));
    }

    void fileState()
    {
        HunkSelection selection(tree({{"a.md", numbered(1, 20)}, {"b.md", "b\n"}}),
                                tree({{"a.md", withChanges(20, {2, 18})}, {"b.md", "B\n"}}));
        QCOMPARE(selection.hunkCount(), 3);
        QCOMPARE(selection.firstHunkOf(1), 2);
        QCOMPARE(selection.fileOfHunk(1), 0);
        QCOMPARE(selection.fileOfHunk(2), 1);
        QCOMPARE(selection.state(), HunkSelection::State::Accepted);
        selection.setAccepted(1, false);
        QCOMPARE(selection.fileState(0), HunkSelection::State::Mixed);
        QCOMPARE(selection.fileState(1), HunkSelection::State::Accepted);
        QCOMPARE(selection.state(), HunkSelection::State::Mixed);
        selection.setFileAccepted(0, false);
        QCOMPARE(selection.fileState(0), HunkSelection::State::Rejected);
        selection.setFileAccepted(1, false);
        QCOMPARE(selection.state(), HunkSelection::State::Rejected);
        QCOMPARE(selection.decision().kind, Decision::Kind::Reject);
        selection.setAllAccepted(true);
        QCOMPARE(selection.decision().kind, Decision::Kind::Accept);
        QCOMPARE(selection.fileIndex(QStringLiteral("b.md")), 1);
        QCOMPARE(selection.fileIndex(QStringLiteral("c.md")), -1);
    }

    void nothingChanged()
    {
        const std::vector<TreeFile> files = tree({{"a.md", "a\n"}});
        HunkSelection selection(files, files);
        QCOMPARE(selection.hunkCount(), 0);
        QCOMPARE(selection.decision().kind, Decision::Kind::Accept);
    }

    // SKILL.md hunks in the front matter are L1, in the body L2; other files take their folder's
    // layer.
    void layers()
    {
        QByteArray skill =
            "---\nname: s\ndescription: old words\n---\n\n# Body\n" + numbered(1, 20);
        QByteArray edited = skill;
        edited.replace("old words", "new words");
        edited.replace("L15\n", "X15\n");
        QByteArray both = skill;
        both.replace("old words", "new words");
        both.replace("# Body", "# Changed");
        HunkSelection selection(
            tree({{"SKILL.md", skill}, {"references/r.md", "r\n"}, {"scripts/s.py", "x\n"}}),
            tree({{"SKILL.md", edited}, {"references/r.md", "R\n"}, {"scripts/s.py", "y\n"}}));
        QCOMPARE(selection.hunkCount(), 4);
        QCOMPARE(selection.hunk(0).layers, std::vector<Layer>{Layer::L1});
        QCOMPARE(selection.hunk(1).layers, std::vector<Layer>{Layer::L2});
        QCOMPARE(selection.hunk(2).layers, std::vector<Layer>{Layer::L3});
        QCOMPARE(selection.hunk(3).layers, std::vector<Layer>{Layer::Scripts});

        HunkSelection spanning(tree({{"SKILL.md", skill}}), tree({{"SKILL.md", both}}));
        QCOMPARE(spanning.hunkCount(), 1);
        QCOMPARE(spanning.hunk(0).layers, (std::vector<Layer>{Layer::L1, Layer::L2}));
    }

    // A person's edit replaces one file; the rest of the choice still applies.
    void editedDecision()
    {
        const std::vector<TreeFile> current = tree({{"a.md", numbered(1, 20)}, {"b.md", "b\n"}});
        const std::vector<TreeFile> candidate =
            tree({{"a.md", withChanges(20, {2, 18})}, {"new.md", "n\n"}});
        HunkSelection selection(current, candidate);
        QCOMPARE(selection.hunkCount(), 4); // a.md ×2, b.md deleted, new.md added
        selection.setAccepted(3, false);    // new.md
        const Decision d =
            selection.editedDecision(QStringLiteral("new.md"), "mine\n", QStringLiteral("n"));
        QCOMPARE(d.kind, Decision::Kind::Edit);
        const std::vector<TreeFile> next = applyEdit(candidate, d);
        QCOMPARE(contentOf(next, QStringLiteral("new.md")), QByteArray("mine\n"));
        QCOMPARE(contentOf(next, QStringLiteral("a.md")), withChanges(20, {2, 18}));
        QCOMPARE(contentOf(next, QStringLiteral("b.md")), kAbsent);
    }

    void splitLines()
    {
        const std::vector<QByteArray> lines = HunkSelection::splitLines("a\r\nb\n\nc");
        QCOMPARE(lines, (std::vector<QByteArray>{"a\r\n", "b\n", "\n", "c"}));
        QCOMPARE(HunkSelection::lineText("a\r\n"), QStringLiteral("a"));
        QCOMPARE(HunkSelection::lineText("é\n"), QStringLiteral("é"));
        QVERIFY(HunkSelection::splitLines({}).empty());
    }
};

QTEST_GUILESS_MAIN(tst_HunkSelection)
#include "tst_HunkSelection.moc"
