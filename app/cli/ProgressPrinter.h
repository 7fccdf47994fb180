#pragma once

#include "CliContext.h"

#include <QElapsedTimer>
#include <QString>

namespace sg::cli {

// Progress of long work on stderr: a bar redrawn in place on a terminal (at most every 100 ms),
// plain lines otherwise, nothing with --quiet.
class ProgressPrinter
{
public:
    explicit ProgressPrinter(const CliContext& ctx, QString label);

    // One item done; `line` is what a plain log shows for it.
    void update(int done, int total, int passed, qint64 tokens, const QString& line);
    // Clears the bar so the next output starts on a clean line.
    void finish();

    static QString duration(qint64 ms);      // "1:05", "12 s"
    static QString count(qint64 n);          // "12.3k"

private:
    const CliContext& m_ctx;
    QString m_label;
    QElapsedTimer m_clock;
    qint64 m_lastDraw = -1000;
    bool m_drawn = false;
};

} // namespace sg::cli
