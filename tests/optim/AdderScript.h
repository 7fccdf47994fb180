#pragma once

#include "MockLlmServer.h"

#include <QString>
#include <QStringList>

namespace sg::test {

// A scripted team of models for optimizer tests: the executor passes a task ("what is N plus
// N?") iff the skill says ADD CAREFULLY (and holds no BAD ADVICE); the optimizer roles answer in
// the formats of DESIGN.md 5. Deterministic: the same request always gets the same reply.
struct AdderScript
{
    QString patchLine = QStringLiteral("ADD CAREFULLY: check each sum twice.");
    bool garbageDiagnoser = false;
    bool garbageMomentum = false;
    bool garbagePatcher = false;
    bool valPassesWithoutCare = false; // the seed already passes val
    QStringList valIds;

    MockReply operator()(const MockRequest& r) const;
};

// tasks.jsonl of `count` adder tasks q0…q<count-1>.
QByteArray adderTasks(int count);

} // namespace sg::test
