#include "CapReport.h"

#include <QStringList>

namespace sg {

QString CapReport::text() const
{
    QStringList lines;
    for (const CapViolation& v : violations) {
        QString where;
        if (!v.file.isEmpty())
            where = v.line > 0 ? QStringLiteral("%1:%2: ").arg(v.file).arg(v.line)
                               : v.file + QStringLiteral(": ");
        lines << where + v.cap + QStringLiteral(": ") + v.message;
    }
    return lines.join(QLatin1Char('\n'));
}

nlohmann::json CapReport::toJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const CapViolation& v : violations)
        list.push_back({{"cap", v.cap.toStdString()},
                        {"file", v.file.toStdString()},
                        {"line", v.line},
                        {"message", v.message.toStdString()}});
    return {{"ok", ok()},
            {"changed_lines", changedLines},
            {"moved_lines", movedLines},
            {"violations", list}};
}

} // namespace sg
