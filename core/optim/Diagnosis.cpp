#include "Diagnosis.h"

namespace sg {

namespace {

QString str(const nlohmann::json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j.at(key).is_string() ? QString::fromStdString(j.at(key).get<std::string>()) : QString();
}

} // namespace

nlohmann::json Diagnosis::toJson() const
{
    return {{"task", task.toStdString()}, {"kind", kind.toStdString()}, {"label", label.toStdString()}, {"prose", prose.toStdString()},
            {"iteration", iteration}};
}

Diagnosis Diagnosis::fromJson(const nlohmann::json& j)
{
    Diagnosis d;
    d.task = str(j, "task");
    d.kind = str(j, "kind");
    d.label = str(j, "label");
    d.prose = str(j, "prose");
    d.iteration = j.is_object() && j.contains("iteration") && j.at("iteration").is_number_integer() ? j.at("iteration").get<int>() : 0;
    return d;
}

nlohmann::json Diagnosis::listJson(const std::vector<Diagnosis>& diagnoses)
{
    nlohmann::json list = nlohmann::json::array();
    for (const Diagnosis& d : diagnoses)
        list.push_back(d.toJson());
    return {{"diagnoses", list}};
}

} // namespace sg
