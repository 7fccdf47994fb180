#pragma once

#include "llm/SimProvider.h"

namespace sg {

// The sim provider's momentum writer (docs/sim.md). It reads the fenced json blocks of the
// prompt — {"patterns"} (the record so far), {"diagnoses"} and, when a patch was applied,
// {"patch"} — and merges by category: one pattern "p-<category>" per category, whose
// appeared_in gains the request's iteration whenever a diagnosis of this iteration names it,
// whose remedy_log keeps every earlier entry and gains one for the patch, with one overlay entry
// per diagnosis and at most 3 themes. Frequent patterns come first.
class SimMomentum final : public SimRole
{
public:
    Result<LlmResponse> answer(const LlmRequest& request, const SimProvider& sim) override;
};

} // namespace sg
