#include "Gate.h"

namespace sg {

Gate::Verdict Gate::decide(const QString& mode, double valBefore, std::optional<double> valAfter)
{
    if (mode == QLatin1String("validate")) {
        if (!valAfter)
            return {false, QStringLiteral("gate"), QStringLiteral("the proposal could not be validated")};
        // Equal is enough: a patch that keeps val and fixes the batch is progress.
        if (*valAfter + 1e-9 >= valBefore)
            return {true, QStringLiteral("gate"), QStringLiteral("val %1 → %2 (no drop)").arg(valBefore, 0, 'f', 3).arg(*valAfter, 0, 'f', 3)};
        return {false, QStringLiteral("gate"), QStringLiteral("val would drop %1 → %2").arg(valBefore, 0, 'f', 3).arg(*valAfter, 0, 'f', 3)};
    }
    return {true, QStringLiteral("auto"), QStringLiteral("accept-all")};
}

} // namespace sg
