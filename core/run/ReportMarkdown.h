#pragma once

#include "RunReport.h"

#include <QString>

namespace sg {

// A run report as Markdown (`skillgrad report RUN`): the summary, the accuracy per iteration as a
// table (with a text sparkline instead of a chart), each iteration's diagnoses, pattern changes
// and diff, and the usage per role. A run that used the sim provider says so at the top.
class ReportMarkdown
{
public:
    static QString render(const RunReport& report);
    // "▁▃▅█": one block per value in [0, 1]; a space for an unknown one.
    static QString sparkline(const std::vector<std::optional<double>>& values);
};

} // namespace sg
