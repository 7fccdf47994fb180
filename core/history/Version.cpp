#include "Version.h"

namespace sg {

QString Version::trailer(const QString& key) const
{
    for (const auto& [k, v] : trailers) {
        if (k.compare(key, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

} // namespace sg
