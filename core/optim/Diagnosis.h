#pragma once

#include <nlohmann/json.hpp>

#include <QString>

#include <vector>

namespace sg {

// A text gradient (DESIGN.md 4.4): what went wrong on one task (failure) or what the agent did
// differently when it newly passed (contrastive), with a general 3–6 word label.
struct Diagnosis
{
    QString task;
    QString kind; // "failure" or "contrastive"
    QString label;
    QString prose;
    int iteration = 0;

    nlohmann::json toJson() const;
    static Diagnosis fromJson(const nlohmann::json& json); // lenient: missing fields stay empty
    static nlohmann::json listJson(const std::vector<Diagnosis>& diagnoses);
};

} // namespace sg
