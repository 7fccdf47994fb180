#include "ProgressPrinter.h"

#include <ostream>

namespace sg::cli {

ProgressPrinter::ProgressPrinter(const CliContext& ctx, QString label) : m_ctx(ctx), m_label(std::move(label))
{
    m_clock.start();
}

QString ProgressPrinter::duration(qint64 ms)
{
    const qint64 s = (ms + 500) / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString ProgressPrinter::count(qint64 n)
{
    if (n < 1000)
        return QString::number(n);
    if (n < 1000000)
        return QString::number(double(n) / 1000.0, 'f', 1) + QLatin1Char('k');
    return QString::number(double(n) / 1e6, 'f', 2) + QLatin1Char('M');
}

void ProgressPrinter::update(int done, int total, int passed, qint64 tokens, const QString& line)
{
    if (m_ctx.quiet)
        return;
    const qint64 now = m_clock.elapsed();
    if (!m_ctx.errIsTerminal) {
        m_ctx.err << QStringLiteral("[%1/%2] %3").arg(done).arg(total).arg(line).toStdString() << '\n';
        return;
    }
    if (done < total && now - m_lastDraw < 100)
        return;
    m_lastDraw = now;
    constexpr int kWidth = 24;
    const int filled = total ? kWidth * done / total : kWidth;
    const QString bar = QString(filled, QLatin1Char('#')) + QString(kWidth - filled, QLatin1Char('.'));
    const QString eta = done > 0 && done < total ? QStringLiteral("  ETA %1").arg(duration(now * (total - done) / done)) : QString();
    const QString pass = done ? QStringLiteral("%1%").arg(100.0 * passed / done, 0, 'f', 0) : QStringLiteral("-");
    m_ctx.err << '\r' << QStringLiteral("%1 [%2] %3/%4  pass %5  tokens %6  %7%8\x1b[K")
                             .arg(m_label, bar)
                             .arg(done)
                             .arg(total)
                             .arg(pass, count(tokens), duration(now), eta)
                             .toStdString()
              << std::flush;
    m_drawn = true;
}

void ProgressPrinter::finish()
{
    if (m_drawn)
        m_ctx.err << '\r' << "\x1b[K" << std::flush;
    m_drawn = false;
}

} // namespace sg::cli
