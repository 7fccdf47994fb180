#include "SimProvider.h"

#include "LlmErrors.h"

#include <QCryptographicHash>
#include <QTimer>
#include <QtEndian>

#include <algorithm>

namespace sg {

namespace {

class SimCall final : public ProviderCall
{
public:
    explicit SimCall(std::shared_ptr<bool> alive) : m_alive(std::move(alive)) {}
    void abort() override { *m_alive = false; }

private:
    std::shared_ptr<bool> m_alive;
};

// The frame's own role: a connectivity check answers "pong".
class PingRole final : public SimRole
{
public:
    Result<LlmResponse> answer(const LlmRequest&, const SimProvider&) override
    {
        LlmResponse r;
        r.content = QStringLiteral("pong");
        return r;
    }
};

} // namespace

SimProvider::SimProvider(quint64 seed, QObject* parent) : Provider(parent), m_seed(seed)
{
    m_roles[QStringLiteral("ping")] = std::make_shared<PingRole>();
}

QString SimProvider::endpoint() const
{
    return QStringLiteral("sim (offline simulator, seed %1)").arg(m_seed);
}

void SimProvider::setRole(const QString& role, std::shared_ptr<SimRole> player)
{
    m_roles[role] = std::move(player);
}

double SimProvider::draw(quint64 seed, const QString& salt)
{
    QByteArray input = QByteArray::number(seed) + '\0' + salt.toUtf8();
    const QByteArray digest = QCryptographicHash::hash(input, QCryptographicHash::Sha256);
    const quint64 bits = qFromBigEndian<quint64>(digest.constData()) >> 11; // 53 bits
    return double(bits) / double(quint64(1) << 53);
}

QString SimProvider::roleOf(const LlmRequest& request)
{
    return request.context.role.isEmpty() ? request.role : request.context.role;
}

Usage SimProvider::estimateUsage(const LlmRequest& request, const LlmResponse& response)
{
    Usage usage;
    usage.inputTokens = request.estimatedInputTokens();
    qint64 chars = response.content.size();
    for (const ToolCall& call : response.toolCalls)
        chars += call.name.size() + qint64(call.arguments.dump().size());
    usage.outputTokens = chars / 4 + 1;
    return usage;
}

std::unique_ptr<ProviderCall> SimProvider::start(const LlmRequest& request, Done done)
{
    auto alive = std::make_shared<bool>(true);
    m_pending.push_back({m_sequence++, request.context.taskId, request, std::move(done), alive});
    if (!m_flushQueued) {
        m_flushQueued = true;
        QTimer::singleShot(0, this, [this] { flush(); });
    }
    return std::make_unique<SimCall>(alive);
}

Result<LlmResponse> SimProvider::answer(const LlmRequest& request)
{
    const QString role = roleOf(request);
    auto it = m_roles.find(role);
    if (it == m_roles.end())
        return LlmErrors::make(LlmErrors::kConfig, QStringLiteral("the sim provider does not play the role \"%1\" yet").arg(role), endpoint());
    auto result = it->second->answer(request, *this);
    if (result) {
        result->model = request.model.isEmpty() ? QStringLiteral("sim") : request.model;
        if (result->usage.inputTokens == 0 && result->usage.outputTokens == 0)
            result->usage = estimateUsage(request, result.value());
        if (!result->toolCalls.empty())
            result->finish = FinishReason::ToolCalls;
    }
    return result;
}

void SimProvider::flush()
{
    m_flushQueued = false;
    std::vector<Pending> batch = std::move(m_pending);
    m_pending.clear();
    std::sort(batch.begin(), batch.end(), [](const Pending& a, const Pending& b) {
        return a.taskId != b.taskId ? a.taskId < b.taskId : a.sequence < b.sequence;
    });
    for (Pending& p : batch) {
        if (!*p.alive)
            continue;
        ProviderReply reply;
        reply.result = answer(p.request);
        reply.httpStatus = 200;
        p.done(std::move(reply));
    }
}

} // namespace sg
