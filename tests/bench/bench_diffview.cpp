// The proposal view's diff (DESIGN.md 11: a 5,000-line diff renders in ≤ 100 ms). Not a test:
// run by hand, `QT_QPA_PLATFORM=offscreen build/tests/bench/bench_diffview [--lines N] [--repeats
// R]`, and record the figures in docs/BENCHMARKS.md.
//
// A review request whose diff has N lines (context, removed and added; default 5,000) over
// several prose files of a skill, shown in a 1400×900 ProposalView: the time from showRequest
// (line diff, hunks, rows) through the list's layout to the first painted frame (grab), median
// of R, in unified and side-by-side mode.

#include "BenchSupport.h"
#include "views/ProposalView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QPixmap>

#include <algorithm>
#include <cstdio>
#include <iterator>

using namespace sg;
using namespace sg::bench;

namespace {

constexpr int kFileLines = 500;

const char* const kWords[] = {"table",  "column",  "header", "value", "answer", "question",
                              "count",  "merged",  "cells",  "first", "last",   "row",
                              "total",  "sum",     "filter", "year",  "select", "match",
                              "number", "compare", "skip",   "read",  "check",  "unit"};

// A line of prose, 8 to 20 words, fixed by (file, line, variant).
QByteArray proseLine(int file, int line, int variant)
{
    QByteArray out;
    const int words = 8 + (line * 7 + file) % 13;
    for (int w = 0; w < words; ++w) {
        if (w > 0)
            out += ' ';
        const int pick =
            (line * 31 + w * 17 + file * 5 + (w == 3 ? variant : 0)) % int(std::size(kWords));
        out += kWords[pick];
    }
    return out + ".\n";
}

// One reference file, before and after: every 9th line reworded, every 40th removed, a new line
// after every 55th, so hunks are dense and run into each other as in a large patch.
std::pair<QByteArray, QByteArray> proseFile(int file)
{
    QByteArray before = "# Reference " + QByteArray::number(file) + "\n\n";
    QByteArray after = before;
    for (int i = 0; i < kFileLines; ++i) {
        before += proseLine(file, i, 0);
        if (i % 40 == 39)
            continue;
        after += proseLine(file, i, i % 9 == 4 ? 5 : 0);
        if (i % 55 == 20)
            after += "Also " + proseLine(file, i + 1000, 0);
    }
    return {before, after};
}

struct Workload
{
    ReviewRequest request;
    std::vector<TreeFile> current;
    int diffLines = 0;
};

// Adds files until the diff has at least `lines` lines.
Workload workload(int lines)
{
    Workload w;
    w.request.iteration = 12;
    w.request.proposal = QStringLiteral("5e1f00dbe7c1a2b3c4d5e6f708192a3b4c5d6e7f");
    w.request.valBefore = 0.61;
    w.request.valAfter = 0.64;
    for (int file = 0; w.diffLines < lines; ++file) {
        auto [before, after] = proseFile(file);
        const QString path =
            QStringLiteral("references/topic-%1.md").arg(file, 2, 10, QLatin1Char('0'));
        w.current.push_back({path, before, false});
        w.request.candidate.push_back({path, after, false});
        HunkSelection one({w.current.back()}, {w.request.candidate.back()});
        for (const FileChange& f : one.files())
            for (const ChangeHunk& h : f.hunks)
                w.diffLines += h.end - h.begin;
    }
    return w;
}

struct Timing
{
    double showMs = 0;  // showRequest: diff, hunks, model rows
    double totalMs = 0; // through layout and the first painted frame
};

Timing once(ProposalView& view, const Workload& w)
{
    view.clear();
    QCoreApplication::processEvents();
    QElapsedTimer timer;
    timer.start();
    view.showRequest(w.request, w.current);
    Timing t;
    t.showMs = double(timer.nsecsElapsed()) / 1e6;
    QCoreApplication::processEvents(); // the list's delayed layout
    const QPixmap frame = view.grab();
    t.totalMs = double(timer.nsecsElapsed()) / 1e6;
    if (frame.isNull())
        qFatal("nothing was painted");
    return t;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("lines"), QStringLiteral("Lines of diff (default 5000)."),
                      QStringLiteral("N"), QStringLiteral("5000")});
    parser.addOption({QStringLiteral("repeats"), QStringLiteral("Runs per figure (default 7)."),
                      QStringLiteral("R"), QStringLiteral("7")});
    parser.process(app);
    const int lines = intOption("bench_diffview", parser, QStringLiteral("lines"), 1);
    const int repeats = intOption("bench_diffview", parser, QStringLiteral("repeats"), 1);

    const Workload w = workload(lines);
    ProposalView view;
    view.resize(1400, 900);
    view.show();
    QCoreApplication::processEvents();

    std::printf("bench_diffview: %s, load %.2f\n", qPrintable(machine()), loadAverage());
    std::printf("diff: %d lines in %d files, %d hunks\n", w.diffLines, int(w.current.size()),
                HunkSelection(w.current, w.request.candidate).hunkCount());
    for (const DiffModel::Mode mode : {DiffModel::Mode::Unified, DiffModel::Mode::SideBySide}) {
        view.setMode(mode);
        std::vector<double> show, total;
        once(view, w); // warm-up: fonts, glyph caches
        for (int r = 0; r < repeats; ++r) {
            const Timing t = once(view, w);
            show.push_back(t.showMs);
            total.push_back(t.totalMs);
        }
        std::printf("%-12s showRequest %.1f ms, to first paint %.1f ms (median of %d; max %.1f "
                    "ms); target <= 100 ms\n",
                    mode == DiffModel::Mode::Unified ? "unified:" : "side by side:", median(show),
                    median(total), repeats, *std::max_element(total.begin(), total.end()));
    }
    return 0;
}
