#pragma once

#include <QString>
#include <QStringList>

namespace sg {

// Keeps secrets out of text. Every key SkillGrad loads is registered here, and every text built
// from a server's answer goes through scrub() before it reaches an error, a log or a file.
// Servers echo keys back ("Incorrect API key provided: sk-abc…wxyz"), so fragments of six or
// more characters are removed too, not only the whole key.
class Redactor
{
public:
    static void add(const QString& secret);
    static QString scrub(const QString& text);
    static void clearForTests();
};

} // namespace sg
