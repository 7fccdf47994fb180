#include "BenchSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSysInfo>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <sys/resource.h>

namespace sg::bench {

int intOption(const char* program, const QCommandLineParser& parser, const QString& name, int minimum)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum) {
        std::fprintf(stderr, "%s: --%s needs a number >= %d\n", program, qPrintable(name), minimum);
        std::exit(2);
    }
    return value;
}

std::vector<int> concurrencyOption(const char* program, const QCommandLineParser& parser, const QString& name)
{
    std::vector<int> levels;
    for (const QString& part : parser.value(name).split(QLatin1Char(','))) {
        const int c = part.toInt();
        if (c < 1) {
            std::fprintf(stderr, "%s: bad concurrency \"%s\"\n", program, qPrintable(part));
            std::exit(2);
        }
        levels.push_back(c);
    }
    return levels;
}


double cpuSeconds()
{
    rusage usage = {};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double threadCpuSeconds(const QByteArray& prefix)
{
    double total = 0;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        QFile stat(tasks.filePath(tid + QStringLiteral("/schedstat")));
        if (!comm.open(QIODevice::ReadOnly) || !comm.readAll().startsWith(prefix) ||
            !stat.open(QIODevice::ReadOnly))
            continue;
        total += stat.readAll().split(' ').value(0).toDouble() / 1e9;
    }
    return total;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

QString machine()
{
    QString model = QStringLiteral("?");
    QFile f(QStringLiteral("/proc/cpuinfo"));
    if (f.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.startsWith("model name")) {
                model = QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
                break;
            }
        }
    }
    return QStringLiteral("%1 cores, %2, %3, Qt %4")
        .arg(QThread::idealThreadCount())
        .arg(model, QSysInfo::prettyProductName(), QString::fromLatin1(qVersion()));
}

double loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return f.readAll().split(' ').value(0).toDouble();
}

MockServerProcess::~MockServerProcess()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool MockServerProcess::start(const QStringList& arguments, QString* error)
{
    // Its stop message ("served N request(s) on M connection(s)") is a useful cross-check.
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(QStringLiteral(MOCK_LLM_SERVER_EXE), arguments);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start %1: %2")
                     .arg(QStringLiteral(MOCK_LLM_SERVER_EXE), m_process.errorString());
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000) {
        while (m_process.canReadLine()) {
            const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
            if (line.startsWith(QStringLiteral("openai: "))) {
                m_openai = line.mid(8);
                return true;
            }
        }
        if (m_process.state() == QProcess::NotRunning)
            break;
        m_process.waitForReadyRead(100);
    }
    *error =
        QStringLiteral("mock-llm-server printed no URL (exit code %1)").arg(m_process.exitCode());
    return false;
}

} // namespace sg::bench
