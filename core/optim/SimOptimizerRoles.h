#pragma once

#include "llm/SimProvider.h"

#include <QStringList>

#include <functional>
#include <memory>

namespace sg {

// The sim provider's four optimizer roles in one place: failure-diagnoser and
// contrastive-diagnoser (SimDiagnoser), momentum (SimMomentum) and patcher (SimPatcher).
//   LlmSession: SimOptimizerRoles::install([&](const QString& role, std::shared_ptr<SimRole> p) {
//                   session.addSimRole(role, std::move(p)); });
//   a bare SimProvider: SimOptimizerRoles::registerAll(sim);
class SimOptimizerRoles
{
public:
    using Add = std::function<void(const QString& role, std::shared_ptr<SimRole> player)>;

    static QStringList roles();
    static void install(const Add& add);
    static void registerAll(SimProvider& sim);
};

} // namespace sg
