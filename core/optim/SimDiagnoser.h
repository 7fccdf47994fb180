#pragma once

#include "llm/SimProvider.h"

namespace sg {

// The sim provider's failure and contrastive diagnosers (docs/sim.md). It reads the task line
// ("Question: …" or "Task: …") of the rendered prompt, gives it the executor's category, and
// answers with a 3–6 word label naming that category and prose saying what the sim agent did —
// never a value, name or word taken from the task. The kind follows the role it plays.
class SimDiagnoser final : public SimRole
{
public:
    Result<LlmResponse> answer(const LlmRequest& request, const SimProvider& sim) override;
};

} // namespace sg
