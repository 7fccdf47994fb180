#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace sg {

// Ordered key/value pairs at the end of a commit message, e.g. {"SkillGrad-Run", "r1"}.
using Trailers = std::vector<std::pair<QString, QString>>;

// A commit of the skill's history, as a value that can cross threads and signals.
struct Version
{
    QString sha;
    QString summary; // the first line
    QString message; // the full message, trailers included
    QDateTime time;  // the author time, in the author's offset
    QString author;
    QString authorEmail;
    QStringList parents; // first parent first
    Trailers trailers;

    // The first value for `key` (case-insensitive, as git compares trailer keys); empty when
    // absent.
    QString trailer(const QString& key) const;
    QString shortSha() const { return sha.left(7); }
};

// A file of a version; `path` is relative and '/'-separated.
struct TreeFile
{
    QString path;
    QByteArray data;
    bool executable = false;
};

// A proposal commit on refs/skillgrad/proposals/<run>/<iteration>.
struct Proposal
{
    QString ref;
    QString run;
    int iteration = 0;
    Version version;
};

struct Tag
{
    QString name;
    QString sha;     // the commit it points to
    QString message; // empty for a lightweight tag made by other tools
};

} // namespace sg
