#pragma once

#include <QCommandLineParser>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <vector>

namespace sg::bench {

// The process's own CPU time so far (user + system, RUSAGE_SELF): a child's is not in it.
double cpuSeconds();
// CPU seconds of this process's live threads whose name starts with `prefix` (from
// /proc/self/task/*/schedstat, nanoseconds), e.g. "QNetworkAccessM" for Qt's HTTP threads.
double threadCpuSeconds(const QByteArray& prefix);
double median(std::vector<double> values);
// "2 cores, AMD EPYC ..., Debian GNU/Linux 12 (bookworm), Qt 6.4.2".
QString machine();
// The 1-minute load average from /proc/loadavg.
double loadAverage();

// Option values of a benchmark's command line; a bad value ends the program with exit code 2 and
// a message naming `program` and the option.
int intOption(const char* program, const QCommandLineParser& parser, const QString& name, int minimum);
std::vector<int> concurrencyOption(const char* program, const QCommandLineParser& parser, const QString& name);

// mock-llm-server in a child process, so that the mock's CPU is not counted as the client's.
// Stopped with SIGTERM when destroyed.
class MockServerProcess
{
public:
    MockServerProcess() = default;
    ~MockServerProcess();
    MockServerProcess(const MockServerProcess&) = delete;
    MockServerProcess& operator=(const MockServerProcess&) = delete;

    // Starts it with these arguments and waits for the base URLs it prints; false on failure.
    bool start(const QStringList& arguments, QString* error);
    QString openaiBaseUrl() const { return m_openai; }

private:
    QProcess m_process;
    QString m_openai;
};

} // namespace sg::bench
