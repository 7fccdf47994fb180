#pragma once

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace sg {

// One problem with its gold data, as a task source read it (DESIGN.md 2, 7).
struct Task
{
    QString id;
    QString split;       // the source's own split: "train" or "test"
    QString prompt;      // WTQ: the question; jsonl: "prompt"
    QStringList files;   // files the task needs, relative to the source's folder, '/'-separated
    QStringList answers; // gold items
    QStringList answersCanon; // WTQ only; empty when the data has none (every train record)
    QString canonType;        // WTQ only: number, date, string or mixed; empty when none
    QString grader;           // "wtq"; jsonl: "exact", "numeric", "regex" or "contains"
    nlohmann::json extra = nlohmann::json::object(); // every other field of the record, verbatim
    QByteArray rawLine; // the record's line exactly as read (without its line break)
    int line = 0;       // 1-based line in the source file
};

} // namespace sg
