#pragma once

#include "RunReport.h"

#include <QString>

namespace sg {

// A run report as one self-contained HTML file (`skillgrad report RUN --format html`): inline CSS,
// an inline SVG chart, no scripts and no URL of any kind, so it opens the same offline, attached
// to a mail or from a CI artifact. Every text from the run is HTML-escaped.
class ReportHtml
{
public:
    static QString render(const RunReport& report);
    // The line chart of batch pass rate and val per iteration, with a marker per decision.
    static QString chart(const RunReport& report);
};

} // namespace sg
