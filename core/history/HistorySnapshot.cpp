#include "HistorySnapshot.h"

#include "GitRepo.h"

namespace sg {

Result<HistorySnapshot> HistorySnapshot::load(const QString& skillDir)
{
    auto repo = GitRepo::open(skillDir);
    if (!repo)
        return repo.error();
    auto versions = repo->versions();
    if (!versions)
        return versions.error();
    HistorySnapshot snapshot;
    snapshot.main = std::move(versions).value();
    snapshot.proposals = repo->proposals();
    snapshot.tags = repo->tags();
    if (!snapshot.main.empty())
        snapshot.head = snapshot.main.front().sha;
    return snapshot;
}

} // namespace sg
