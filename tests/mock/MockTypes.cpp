#include "MockTypes.h"

namespace sg::test {

MockReply MockReply::completion(const QString& content, int latencyMs)
{
    MockReply reply;
    reply.content = content;
    reply.latencyMs = latencyMs;
    return reply;
}

MockReply MockReply::toolCall(const QString& name, const nlohmann::json& arguments,
                              const QString& id)
{
    MockReply reply;
    reply.content.clear();
    reply.toolCalls.push_back(MockToolCall{id, name, arguments, {}});
    return reply;
}

MockReply MockReply::error(int status, const MockHeaders& headers)
{
    MockReply reply;
    reply.kind = Kind::Status;
    reply.status = status;
    reply.headers = headers;
    return reply;
}

MockReply MockReply::fault(Kind kind, int latencyMs)
{
    MockReply reply;
    reply.kind = kind;
    reply.latencyMs = latencyMs;
    return reply;
}

} // namespace sg::test
