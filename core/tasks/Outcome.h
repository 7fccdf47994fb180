#pragma once

#include <QMetaType>
#include <QString>

namespace sg {

// A graded outcome (DESIGN.md 2): `score` is soft, in [0, 1]; `passed` is the hard verdict a
// split's score averages; `evidence` says what differed from gold (empty when it passed).
struct Outcome
{
    double score = 0.0;
    bool passed = false;
    QString evidence;
};

} // namespace sg

Q_DECLARE_METATYPE(sg::Outcome)
