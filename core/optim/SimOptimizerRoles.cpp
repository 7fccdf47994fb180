#include "SimOptimizerRoles.h"

#include "SimDiagnoser.h"
#include "SimMomentum.h"
#include "SimPatcher.h"

namespace sg {

QStringList SimOptimizerRoles::roles()
{
    return {QStringLiteral("failure-diagnoser"), QStringLiteral("contrastive-diagnoser"), QStringLiteral("momentum"), QStringLiteral("patcher")};
}

void SimOptimizerRoles::install(const Add& add)
{
    // The roles keep no state (everything comes from the request), so one player each is enough.
    auto diagnoser = std::make_shared<SimDiagnoser>();
    add(QStringLiteral("failure-diagnoser"), diagnoser);
    add(QStringLiteral("contrastive-diagnoser"), diagnoser);
    add(QStringLiteral("momentum"), std::make_shared<SimMomentum>());
    add(QStringLiteral("patcher"), std::make_shared<SimPatcher>());
}

void SimOptimizerRoles::registerAll(SimProvider& sim)
{
    install([&sim](const QString& role, std::shared_ptr<SimRole> player) { sim.setRole(role, std::move(player)); });
}

} // namespace sg
