#pragma once

#include <nlohmann/json.hpp>

#include <QString>

namespace sg {

// One line of plain text for an event of events.jsonl, for the Studio's log panel: what
// happened, in words, with the iteration and the local time ("14:02:07  #3  nt-12 passed").
class EventText
{
public:
    static QString describe(const nlohmann::json& event);
    // Whether the event is a warning or an error (shown in colour).
    static bool isProblem(const nlohmann::json& event);
};

} // namespace sg
