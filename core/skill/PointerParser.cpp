#include "PointerParser.h"

#include <QDir>
#include <QStringList>
#include <QUrl>

namespace sg {

namespace {

const QString kPrefix = QStringLiteral("references/");

// Characters that may stand right before a pointer: it must start a word, not continue a URL or
// another path ("https://x/references/a.md" and "docs/references/a.md" are not pointers).
bool opensPointer(QChar c)
{
    return c.isSpace() || QStringLiteral("([`\"'<*_:,;|").contains(c);
}

// Characters that end the path part of a pointer.
bool endsPath(QChar c)
{
    return c.isSpace() || QStringLiteral(")]`\"'<>,;:!?*|#{}").contains(c);
}

bool followsLinkOpener(const QString& line, qsizetype pos)
{
    // "](references/…", "](<references/…" and a link definition "[x]: references/…".
    const QString before = line.left(pos);
    if (before.endsWith(QLatin1String("](")) || before.endsWith(QLatin1String("](<")))
        return true;
    const QString trimmed = before.trimmed();
    return trimmed.startsWith(QLatin1Char('[')) && trimmed.endsWith(QLatin1String("]:"));
}

} // namespace

std::vector<Pointer> PointerParser::parse(const QString& markdown, int firstLine)
{
    std::vector<Pointer> out;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (int index = 0; index < lines.size(); ++index) {
        const QString& line = lines[index];
        qsizetype from = 0;
        while (true) {
            const qsizetype found = line.indexOf(kPrefix, from, Qt::CaseSensitive);
            if (found < 0)
                break;
            from = found + kPrefix.size();

            // Allow a leading "./" before "references/".
            qsizetype start = found;
            if (start >= 2 && line.mid(start - 2, 2) == QLatin1String("./"))
                start -= 2;
            if (start > 0 && !opensPointer(line[start - 1]))
                continue;

            qsizetype end = found + kPrefix.size();
            while (end < line.size() && !endsPath(line[end]))
                ++end;
            QString raw = line.mid(start, end - start);
            // A sentence may end right after the path: "see references/a.md."
            while (raw.endsWith(QLatin1Char('.')) && !raw.endsWith(QLatin1String(".md"), Qt::CaseInsensitive))
                raw.chop(1);
            if (!raw.endsWith(QLatin1String(".md"), Qt::CaseInsensitive))
                continue;

            Pointer pointer;
            pointer.raw = raw;
            pointer.line = firstLine + index;
            pointer.column = int(start) + 1;
            pointer.isLink = followsLinkOpener(line, start);
            QString path = raw;
            if (pointer.isLink)
                path = QUrl::fromPercentEncoding(path.toUtf8());
            const QString clean = QDir::cleanPath(path);
            pointer.valid = clean.startsWith(kPrefix) && !clean.split(QLatin1Char('/')).contains(QLatin1String(".."));
            pointer.target = clean;
            out.push_back(pointer);
            from = end;
        }
    }
    return out;
}

} // namespace sg
