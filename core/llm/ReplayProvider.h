#pragma once

#include "Cassette.h"
#include "Provider.h"

namespace sg {

// Answers from a cassette, offline: a replayed run needs no network and gives the same results.
// A request the cassette lacks is an error naming it, never a guess.
class ReplayProvider final : public Provider
{
    Q_OBJECT
public:
    static const QString kMissCode; // "replay-miss"

    explicit ReplayProvider(Cassette cassette, QObject* parent = nullptr);
    QString kind() const override { return QStringLiteral("replay"); }
    QString endpoint() const override;
    std::unique_ptr<ProviderCall> start(const LlmRequest& request, Done done) override;
    bool simulated() const override { return m_cassette.simulated(); }

private:
    Cassette m_cassette;
};

} // namespace sg
