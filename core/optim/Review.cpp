#include "Review.h"

#include <algorithm>

namespace sg {

std::vector<TreeFile> applyEdit(const std::vector<TreeFile>& files, const Decision& decision)
{
    std::vector<TreeFile> out;
    for (const TreeFile& f : files)
        if (!decision.deleted.contains(f.path) && !decision.files.count(f.path))
            out.push_back(f);
    for (const auto& [path, data] : decision.files) {
        const auto old = std::find_if(files.begin(), files.end(), [&](const TreeFile& f) { return f.path == path; });
        out.push_back({path, data, old != files.end() && old->executable});
    }
    std::sort(out.begin(), out.end(), [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
    return out;
}

} // namespace sg
