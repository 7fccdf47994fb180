// mock-llm-server: the test mock as a standalone process, for manual use and benchmarks.
#include "MockLlmServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <functional>

#include <sys/socket.h>
#include <unistd.h>

using namespace sg::test;

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(g_signalPipe[1], &byte, 1);
}

// SIGINT and SIGTERM end the event loop through a socket pair (the handler may only write()).
bool quitOnSignals(QCoreApplication& app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return false;
    auto* notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app, notifier] {
        notifier->setEnabled(false);
        app.quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 &&
           ::sigaction(SIGTERM, &action, nullptr) == 0;
}

int intOption(const QCommandLineParser& parser, const QString& name, bool* ok)
{
    bool good = false;
    const int value = parser.value(name).toInt(&good);
    if (!good || value < 0) {
        std::fprintf(stderr, "mock-llm-server: --%s needs a number >= 0, not \"%s\"\n",
                     qPrintable(name), qPrintable(parser.value(name)));
        *ok = false;
    }
    return value;
}

// Whether a conversation already holds a tool result: an OpenAI "tool" message or an Anthropic
// "tool_result" block.
bool hasToolResult(const nlohmann::json& body)
{
    if (!body.is_object() || !body.contains("messages") || !body["messages"].is_array())
        return false;
    for (const auto& message : body["messages"]) {
        if (!message.is_object())
            continue;
        if (message.value("role", std::string()) == "tool")
            return true;
        const auto content = message.find("content");
        if (content == message.end() || !content->is_array())
            continue;
        for (const auto& block : *content) {
            if (block.is_object() && block.value("type", std::string()) == "tool_result")
                return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mock-llm-server"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A local mock of the OpenAI chat-completions and Anthropic Messages APIs that "
        "injects latency and faults. Prints the two base URLs, then serves until "
        "SIGINT or SIGTERM."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (default: a free one)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("latency-ms"), QStringLiteral("Delay before each answer."),
         QStringLiteral("MS"), QStringLiteral("0")},
        {QStringLiteral("jitter-ms"), QStringLiteral("Plus a uniform random delay in [0, MS]."),
         QStringLiteral("MS"), QStringLiteral("0")},
        {QStringLiteral("key"), QStringLiteral("Require this API key (401 otherwise)."),
         QStringLiteral("K")},
        {QStringLiteral("fail-every"),
         QStringLiteral("Every Nth valid request gets a 503 (0: never)."), QStringLiteral("N"),
         QStringLiteral("0")},
        {QStringLiteral("seed"), QStringLiteral("Seed of the jitter."), QStringLiteral("S"),
         QStringLiteral("1")},
        {QStringLiteral("agent"),
         QStringLiteral("Script a two-turn agent: a conversation without a tool result gets a "
                        "call of the sql tool (SELECT COUNT(*) FROM t), one with a tool result "
                        "a submit_answer call with the values [ANSWER]."),
         QStringLiteral("ANSWER")},
        {QStringLiteral("verbose"), QStringLiteral("Print one line per request on stderr.")},
    });
    parser.process(app);

    bool ok = true;
    const int port = intOption(parser, QStringLiteral("port"), &ok);
    const int latency = intOption(parser, QStringLiteral("latency-ms"), &ok);
    const int jitter = intOption(parser, QStringLiteral("jitter-ms"), &ok);
    const int failEvery = intOption(parser, QStringLiteral("fail-every"), &ok);
    const int seed = intOption(parser, QStringLiteral("seed"), &ok);
    if (!ok || port > 65535)
        return 2;

    MockLlmServer server;
    server.setSeed(quint64(seed));
    server.setRequiredKey(parser.value(QStringLiteral("key")));
    MockReply reply;
    reply.latencyMs = latency;
    reply.jitterMs = jitter;
    server.setDefault(reply);
    std::function<MockReply(const MockRequest&)> script;
    if (parser.isSet(QStringLiteral("agent"))) {
        const std::string answer = parser.value(QStringLiteral("agent")).toStdString();
        script = [reply, answer](const MockRequest& request) {
            MockReply turn =
                hasToolResult(request.json)
                    ? MockReply::toolCall(QStringLiteral("submit_answer"), {{"values", {answer}}})
                    : MockReply::toolCall(QStringLiteral("sql"),
                                          {{"query", "SELECT COUNT(*) FROM t"}});
            turn.latencyMs = reply.latencyMs;
            turn.jitterMs = reply.jitterMs;
            return turn;
        };
    }
    if (failEvery > 0) {
        // Counts the requests that reach the script, not the ones refused (wrong key and such).
        server.setHandler(
            [reply, script, failEvery, answered = 0](const MockRequest& request) mutable {
                if (++answered % failEvery != 0)
                    return script ? script(request) : reply;
                MockReply failure = MockReply::error(503);
                failure.latencyMs = reply.latencyMs;
                failure.jitterMs = reply.jitterMs;
                return failure;
            });
    } else if (script) {
        server.setHandler(script);
    }
    // The log keeps every body; a long benchmark must not grow without bound.
    const bool verbose = parser.isSet(QStringLiteral("verbose"));
    QObject::connect(&server, &MockLlmServer::requestReceived, &server,
                     [&server, verbose](const MockRequest& request) {
                         if (verbose)
                             std::fprintf(stderr, "#%d conn %d %s %s (%s, %lld bytes)\n",
                                          request.index, request.connection,
                                          request.method.constData(), request.path.constData(),
                                          qPrintable(request.dialect),
                                          static_cast<long long>(request.body.size()));
                         if (server.requestCount() > 10000)
                             server.clearLog();
                     });

    if (!quitOnSignals(app)) {
        std::fprintf(stderr, "mock-llm-server: cannot install the signal handlers\n");
        return 1;
    }
    if (!server.listen(quint16(port))) {
        std::fprintf(stderr, "mock-llm-server: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    std::printf("openai: %s\nanthropic: %s\n", qPrintable(server.openaiBaseUrl()),
                qPrintable(server.anthropicBaseUrl()));
    std::fflush(stdout);
    const int status = QCoreApplication::exec();
    std::fprintf(stderr, "mock-llm-server: served %d request(s) on %d connection(s); stopping\n",
                 server.requestCount(), server.connectionsOpened());
    return status;
}
