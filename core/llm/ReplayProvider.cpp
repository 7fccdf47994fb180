#include "ReplayProvider.h"

#include "ResponseCache.h"

#include <QPointer>
#include <QTimer>

namespace sg {

const QString ReplayProvider::kMissCode = QStringLiteral("replay-miss");

namespace {

// Answers are queued on the event loop; aborting drops them.
class QueuedCall final : public ProviderCall
{
public:
    explicit QueuedCall(std::shared_ptr<bool> alive) : m_alive(std::move(alive)) {}
    void abort() override { *m_alive = false; }

private:
    std::shared_ptr<bool> m_alive;
};

QString lastUserText(const LlmRequest& request)
{
    for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it) {
        if (it->role == LlmMessage::Role::User)
            return it->content.simplified().left(60);
    }
    return {};
}

} // namespace

ReplayProvider::ReplayProvider(Cassette cassette, QObject* parent) : Provider(parent), m_cassette(std::move(cassette)) {}

QString ReplayProvider::endpoint() const
{
    return QStringLiteral("replay of %1").arg(m_cassette.file());
}

std::unique_ptr<ProviderCall> ReplayProvider::start(const LlmRequest& request, Done done)
{
    const QString key = ResponseCache::keyFor(request);
    ProviderReply reply;
    if (auto answer = m_cassette.find(key)) {
        reply.result = *answer;
    } else {
        reply.result = Error{QStringLiteral("the cassette has no answer for this request (role %1, model %2, key %3…, asking \"%4\")")
                                 .arg(request.role, request.model, key.left(12), lastUserText(request)),
                             QStringLiteral("the run differs from the recorded one; record a new cassette with --record FILE"), m_cassette.file(), kMissCode};
    }
    auto alive = std::make_shared<bool>(true);
    QTimer::singleShot(0, this, [alive, reply = std::move(reply), done = std::move(done)]() mutable {
        if (*alive)
            done(std::move(reply));
    });
    return std::make_unique<QueuedCall>(alive);
}

} // namespace sg
