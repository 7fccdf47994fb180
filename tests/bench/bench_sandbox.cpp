// Sandbox overhead (DESIGN.md 11: at most 1.2x an unsandboxed run of the same 200 ms script).
// Not a test: run by hand, `build/tests/bench/bench_sandbox [RUNS]`, and record the figures in
// docs/BENCHMARKS.md. Runs are interleaved (sandboxed, plain, plain, sandboxed, ...) so drift in
// the machine's load hits both sides alike; the times are end to end, as a caller sees them
// (Sandbox::runPython: folder hand-over, process start, namespaces, python, clean-up).

#include "sandbox/Sandbox.h"
#include "sandbox/SandboxCommand.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace sg;

namespace {

constexpr double kTargetSeconds = 0.2;

QString busyLoop(qint64 iterations)
{
    return QStringLiteral(
               "import time\nt = time.perf_counter()\nx = 0\nfor i in range(%1):\n    x += i\n"
               "print(time.perf_counter() - t)\n")
        .arg(iterations);
}

// Seconds of one run, end to end; exits on any failure.
double timeRun(const QString& code, const QString& dir, bool sandboxed, double* inner = nullptr)
{
    SandboxLimits limits;
    limits.isolation =
        sandboxed ? SandboxLimits::Isolation::Required : SandboxLimits::Isolation::None;
    QElapsedTimer timer;
    timer.start();
    const auto result = Sandbox::runPython(code, dir, limits);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!result || !result->succeeded()) {
        std::fprintf(stderr, "bench_sandbox: run failed: %s\n",
                     qPrintable(result
                                    ? result->summary() + QString::fromUtf8(result->standardError)
                                    : result.error().text()));
        std::exit(1);
    }
    if (result->sandboxed != sandboxed) {
        std::fprintf(stderr, "bench_sandbox: expected a %s run\n",
                     sandboxed ? "sandboxed" : "plain");
        std::exit(1);
    }
    if (inner)
        *inner = result->standardOutput.trimmed().toDouble();
    return seconds;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

QString cpuModel()
{
    QFile f(QStringLiteral("/proc/cpuinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("model name"))
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
    }
    return QStringLiteral("?");
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(3, QByteArray(argv[1]).toInt()) : 21;
    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;

    // Calibrate the loop so that a plain run takes about 200 ms end to end here: rescale the
    // loop to what python's start-up leaves of 200 ms until three runs agree within 10%.
    qint64 iterations = 2'000'000;
    for (int round = 0; round < 8; ++round) {
        std::vector<double> total, loop;
        for (int i = 0; i < 3; ++i) {
            double inner = 0;
            total.push_back(timeRun(busyLoop(iterations), dir.path(), false, &inner));
            loop.push_back(inner);
        }
        const double t = median(total), l = std::max(1e-3, median(loop));
        if (std::abs(t - kTargetSeconds) < 0.1 * kTargetSeconds)
            break;
        const double wanted = std::max(0.02, kTargetSeconds - (t - l));
        iterations = std::max<qint64>(1000, qint64(double(iterations) * wanted / l));
    }
    const QString code = busyLoop(iterations);
    timeRun(code, dir.path(), true); // warm-up: page cache, the one-time bwrap probe
    timeRun(code, dir.path(), false);

    std::vector<double> sandboxed, plain;
    for (int i = 0; i < runs; ++i) {
        const bool sandboxFirst = i % 2 == 0;
        for (int k = 0; k < 2; ++k) {
            const bool sb = (k == 0) == sandboxFirst;
            (sb ? sandboxed : plain).push_back(timeRun(code, dir.path(), sb));
        }
    }
    const double ms = median(sandboxed) * 1000, mp = median(plain) * 1000;
    std::printf("bench_sandbox: %d interleaved runs each of a %lld-iteration python loop\n", runs,
                iterations);
    std::printf("machine: %d cores, %s, %s, %s\n", QThread::idealThreadCount(),
                qPrintable(cpuModel()), qPrintable(QSysInfo::prettyProductName()),
                SandboxCommand::runningAsRoot() ? "as root" : "as a user");
    std::printf("plain python  median %7.1f ms  (min %.1f, max %.1f)\n", mp,
                *std::min_element(plain.begin(), plain.end()) * 1000,
                *std::max_element(plain.begin(), plain.end()) * 1000);
    std::printf("sandboxed     median %7.1f ms  (min %.1f, max %.1f)\n", ms,
                *std::min_element(sandboxed.begin(), sandboxed.end()) * 1000,
                *std::max_element(sandboxed.begin(), sandboxed.end()) * 1000);
    std::printf("ratio sandboxed/plain: %.3f (target <= 1.2); overhead %.1f ms a run\n", ms / mp,
                ms - mp);
    return ms / mp <= 1.2 ? 0 : 2;
}
