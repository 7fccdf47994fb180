#include "DoctorCommand.h"

#include "doctor/Doctor.h"

#include <CLI/CLI.hpp>

namespace sg::cli {

namespace {

int run(const CliContext& ctx)
{
    const std::vector<DoctorCheck> checks = Doctor::run();
    const bool ok = Doctor::allRequiredOk(checks);
    if (ctx.json) {
        nlohmann::json doc{{"ok", ok}, {"checks", nlohmann::json::array()}};
        for (const DoctorCheck& c : checks)
            doc["checks"].push_back({{"name", toStd(c.name)},
                                     {"status", toStd(DoctorCheck::statusName(c.status))},
                                     {"required", c.required},
                                     {"detail", toStd(c.detail)},
                                     {"fix", toStd(c.fix)}});
        ctx.printJson(doc);
        return ok ? kExitOk : kExitFailed;
    }
    for (const DoctorCheck& c : checks) {
        const int colour = c.status == DoctorCheck::Status::Ok ? 32 : c.status == DoctorCheck::Status::Warning ? 33 : 31;
        const QString status = DoctorCheck::statusName(c.status);
        ctx.print(QStringLiteral("%1%2 %3").arg(ctx.colour(status, colour), QString(8 - status.size(), QLatin1Char(' ')),
                                                QStringLiteral("%1 %2").arg(c.name, -14).arg(c.detail)));
        if (!c.fix.isEmpty() && c.status != DoctorCheck::Status::Ok)
            ctx.print(QStringLiteral("         %1fix: %2").arg(QString(15, QLatin1Char(' ')), c.fix));
    }
    if (!ok)
        ctx.error(QStringLiteral("a required component is missing; see the fix lines above"));
    return ok ? kExitOk : kExitFailed;
}

} // namespace

void DoctorCommand::add(CLI::App& app, CliContext& ctx, std::function<int()>& command)
{
    CLI::App* sub = app.add_subcommand("doctor", "Check Qt, libgit2, bubblewrap, python3, LibreOffice and the keychain");
    sub->footer("Exit 1 when a required component is missing; warnings alone exit 0.");
    sub->callback([&ctx, &command] { command = [&ctx] { return run(ctx); }; });
}

} // namespace sg::cli
