#pragma once

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>

namespace sg::test {

// One run of the `skillgrad` command line in this process, with what it printed.
struct CliRun
{
    int code = -1;
    QString out;
    QString err;
    nlohmann::json json() const { return nlohmann::json::parse(out.toStdString()); }
};

CliRun skillgrad(const QStringList& args);

} // namespace sg::test
