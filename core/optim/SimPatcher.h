#pragma once

#include "llm/SimProvider.h"

namespace sg {

// The sim provider's patcher (docs/sim.md): a real tool loop over PatchTools, decided afresh
// from the conversation on every turn (it keeps no state). It reads SKILL.md, then for at most
// the top two patterns whose category lacks guidance it either appends a "## <Category>
// questions" section with the canned guidance, or — for a pattern marked "escalate" whose
// guidance sits in an L2 section — lifts that section into references/<category>.md and leaves
// one pointer line naming the category. The front matter is kept byte for byte. Then it calls
// finish with a summary ending in {"rationale", "patterns_addressed"}, and after a repair
// message it calls finish again with the same summary.
class SimPatcher final : public SimRole
{
public:
    Result<LlmResponse> answer(const LlmRequest& request, const SimProvider& sim) override;
};

} // namespace sg
