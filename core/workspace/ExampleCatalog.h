#pragma once

#include "common/Result.h"

#include <QString>
#include <QStringList>

namespace sg {

// The examples built into the program (resources/examples, compiled in as Qt resources so an
// installed binary has them too). `init --example NAME` extracts one and imports it like any
// other skill and task source.
class ExampleCatalog
{
public:
    struct Extracted
    {
        QString skillPath;  // a folder holding the skill package
        QString taskKind;   // e.g. "wtq"
        QString tasksPath;  // its tasks.jsonl
    };

    static QStringList names();
    static QString describe(const QString& name);
    // Copies the example's skill and tasks into `dir` (which must exist).
    static Result<Extracted> extract(const QString& name, const QString& dir);
};

} // namespace sg
