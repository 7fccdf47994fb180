#pragma once

#include <QString>

#include <optional>

namespace sg {

// The gate of DESIGN.md 4.7 for the automatic modes: accept-all takes every proposal that passes
// the caps; validate takes it when the val score does not drop. Review (a person decides) goes
// through the Decision API instead.
class Gate
{
public:
    struct Verdict
    {
        bool accept = false;
        QString by;     // "auto" (accept-all) or "gate" (validate)
        QString reason; // for decision.json and the commit
    };

    static bool needsValidation(const QString& mode) { return mode == QLatin1String("validate"); }
    static Verdict decide(const QString& mode, double valBefore, std::optional<double> valAfter);
};

} // namespace sg
