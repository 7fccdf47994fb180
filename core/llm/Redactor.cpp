#include "Redactor.h"

#include <QMutex>
#include <QRegularExpression>

namespace sg {

namespace {

constexpr int kMinFragment = 6;

QMutex& mutex()
{
    static QMutex m;
    return m;
}

QStringList& secrets()
{
    static QStringList list;
    return list;
}

} // namespace

void Redactor::add(const QString& secret)
{
    if (secret.size() < kMinFragment)
        return;
    QMutexLocker lock(&mutex());
    if (!secrets().contains(secret))
        secrets() << secret;
}

QString Redactor::scrub(const QString& text)
{
    QMutexLocker lock(&mutex());
    if (secrets().isEmpty() || text.isEmpty())
        return text;
    QString out = text;
    for (const QString& secret : secrets())
        out.replace(secret, QStringLiteral("[redacted]"));
    // Fragments: any run of key-like characters that is part of a secret.
    static const QRegularExpression token(QStringLiteral("[A-Za-z0-9_\\-]{%1,}").arg(kMinFragment));
    QString result;
    qsizetype last = 0;
    auto it = token.globalMatch(out);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString word = m.captured();
        bool leak = false;
        for (const QString& secret : secrets()) {
            if (secret.contains(word)) {
                leak = true;
                break;
            }
        }
        if (!leak)
            continue;
        result += out.mid(last, m.capturedStart() - last) + QStringLiteral("[redacted]");
        last = m.capturedEnd();
    }
    result += out.mid(last);
    return result;
}

void Redactor::clearForTests()
{
    QMutexLocker lock(&mutex());
    secrets().clear();
}

} // namespace sg
