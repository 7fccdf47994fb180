#pragma once

#include "common/Result.h"

#include <nlohmann/json.hpp>

#include <QString>

namespace sg {

// The structured answers of DESIGN.md 5, read leniently: the last fenced ```json block of a
// model's text, else the first balanced {…} object in it. No reliance on forced tool choice.
class StructuredAnswer
{
public:
    static Result<nlohmann::json> extract(const QString& text);
    // The message sent once when an answer cannot be read, before the step fails.
    static QString repairRequest(const QString& problem, const QString& shape);
};

} // namespace sg
