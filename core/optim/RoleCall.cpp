#include "RoleCall.h"

#include "StructuredAnswer.h"
#include "llm/LlmClient.h"
#include "llm/LlmErrors.h"

#include <QPointer>

namespace sg {

RoleCall::RoleCall(LlmClient& client, LlmRequest request, QString shape, Check check, QObject* parent)
    : QObject(parent), m_client(client), m_request(std::move(request)), m_shape(std::move(shape)), m_check(std::move(check))
{
}

void RoleCall::start(Done done)
{
    m_done = std::move(done);
    send();
}

void RoleCall::send()
{
    QPointer<RoleCall> self(this);
    LlmRequest request = m_request;
    m_client.send(std::move(request), [self](Result<LlmResponse> reply) {
        if (self)
            self->onReply(std::move(reply));
    });
}

void RoleCall::onReply(Result<LlmResponse> reply)
{
    if (!reply) {
        m_done(reply.error(), QString());
        return;
    }
    const QString text = reply->content;
    auto parsed = StructuredAnswer::extract(text);
    QString problem = parsed ? (m_check ? m_check(parsed.value()) : QString()) : parsed.error().message;
    if (problem.isEmpty()) {
        m_done(std::move(parsed.value()), text);
        return;
    }
    if (m_repaired) {
        m_done(Error{QStringLiteral("the %1 answer could not be read, even after a repair request: %2").arg(m_request.role, problem),
                     QStringLiteral("the model may be too small for this role; try another with --optimizer-model"), {}, LlmErrors::kInvalidResponse},
               text);
        return;
    }
    m_repaired = true;
    m_request.messages.push_back(LlmMessage::assistant(text));
    m_request.messages.push_back(LlmMessage::user(StructuredAnswer::repairRequest(problem, m_shape)));
    send();
}

} // namespace sg
