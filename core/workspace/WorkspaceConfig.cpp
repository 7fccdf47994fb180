#include "WorkspaceConfig.h"

#include "common/AtomicFile.h"
#include "common/JsonReader.h"

#include <limits>

namespace sg {

namespace {

std::string s(const QString& q)
{
    return q.toStdString();
}

} // namespace

const QStringList& WorkspaceConfig::roleNames()
{
    static const QStringList names{QStringLiteral("executor"), QStringLiteral("failure-diagnoser"), QStringLiteral("contrastive-diagnoser"),
                                   QStringLiteral("momentum"), QStringLiteral("patcher")};
    return names;
}

const QStringList& WorkspaceConfig::gateModes()
{
    static const QStringList modes{QStringLiteral("accept-all"), QStringLiteral("validate"), QStringLiteral("review")};
    return modes;
}

WorkspaceConfig::WorkspaceConfig()
{
    for (const QString& name : roleNames())
        roles[name] = RoleConfig{};
}

RoleConfig WorkspaceConfig::role(const QString& name) const
{
    auto it = roles.find(name);
    return it == roles.end() ? RoleConfig{} : it->second;
}

nlohmann::json WorkspaceConfig::toJson() const
{
    nlohmann::json j;
    j["schema"] = kSchemaVersion;
    j["skill"] = {{"name", s(skillName)}};
    if (!taskSource.isEmpty())
        j["tasks"] = {{"source", s(taskSource)}, {"origin", s(taskOrigin)}};
    j["seed"] = seed;
    nlohmann::json splitJson = nlohmann::json::object();
    if (split.train >= 0)
        splitJson["train"] = split.train;
    if (split.val >= 0)
        splitJson["val"] = split.val;
    if (split.test >= 0)
        splitJson["test"] = split.test;
    j["split"] = splitJson;
    j["roles"] = nlohmann::json::object();
    for (const auto& [name, role] : roles) {
        nlohmann::json r{{"provider", s(role.provider)}, {"model", s(role.model)}, {"concurrency", role.concurrency}};
        if (!role.baseUrl.isEmpty())
            r["base_url"] = s(role.baseUrl);
        if (!role.apiKeyEnv.isEmpty())
            r["api_key_env"] = s(role.apiKeyEnv);
        j["roles"][s(name)] = r;
    }
    j["optimizer"] = {{"gate", s(gate)},
                      {"batch", batch},
                      {"epochs", epochs},
                      {"max_iterations", maxIterations},
                      {"train_from", s(trainFrom)},
                      {"stop_after_passing_batches", stopAfterPassingBatches}};
    j["caps"] = {{"changed_lines", changedLineCap}, {"description_words", descriptionWordCap}};
    j["executor_limits"] = {{"turns", turnLimit}, {"tool_timeout_s", toolTimeoutSeconds}};
    j["prices"] = nlohmann::json::object();
    for (const auto& [model, price] : prices)
        j["prices"][s(model)] = {{"input_per_mtok", price.inputPerMTok}, {"output_per_mtok", price.outputPerMTok}};
    return j;
}

Result<WorkspaceConfig> WorkspaceConfig::fromJson(const nlohmann::json& json, const QString& file)
{
    WorkspaceConfig c;
    JsonReader r(json, file);
    if (auto schema = r.integer("schema", 1, 1000, true); schema && *schema != kSchemaVersion)
        return Error{QStringLiteral("schema version %1 is not supported (this build reads %2)").arg(*schema).arg(kSchemaVersion),
                     QStringLiteral("use a SkillGrad version that matches the workspace"), file, QStringLiteral("invalid")};
    if (auto skill = r.object("skill", true)) {
        c.skillName = skill->string("name", true).value_or(QString());
        skill->finish();
    }
    if (auto tasks = r.object("tasks")) {
        c.taskSource = tasks->string("source", true).value_or(QString());
        c.taskOrigin = tasks->string("origin").value_or(QString());
        tasks->finish();
    }
    c.seed = quint64(r.integer("seed", 0, std::numeric_limits<qint64>::max()).value_or(1));
    if (auto split = r.object("split")) {
        c.split.train = int(split->integer("train", 0, 1000000).value_or(-1));
        c.split.val = int(split->integer("val", 0, 1000000).value_or(-1));
        c.split.test = int(split->integer("test", 0, 1000000).value_or(-1));
        split->finish();
    }
    if (auto roles = r.object("roles")) {
        for (const QString& name : roles->keys()) {
            const QByteArray key = name.toUtf8();
            if (!roleNames().contains(name))
                continue; // reported by finish() below, by name
            if (auto role = roles->object(key.constData())) {
                RoleConfig rc;
                rc.provider = role->choice("provider", {QStringLiteral("sim"), QStringLiteral("openai"), QStringLiteral("anthropic"),
                                                        QStringLiteral("replay")}, true).value_or(rc.provider);
                rc.model = role->string("model", true).value_or(rc.model);
                rc.baseUrl = role->string("base_url").value_or(QString());
                rc.apiKeyEnv = role->string("api_key_env").value_or(QString());
                rc.concurrency = int(role->integer("concurrency", 1, 1024).value_or(rc.concurrency));
                role->finish();
                c.roles[name] = rc;
            }
        }
        roles->finish();
    }
    if (auto opt = r.object("optimizer")) {
        c.gate = opt->choice("gate", gateModes()).value_or(c.gate);
        c.batch = int(opt->integer("batch", 1, 1024).value_or(c.batch));
        c.epochs = int(opt->integer("epochs", 1, 1000).value_or(c.epochs));
        c.maxIterations = int(opt->integer("max_iterations", 0, 1000000).value_or(c.maxIterations));
        c.trainFrom = opt->choice("train_from", {QStringLiteral("failures"), QStringLiteral("pool")}).value_or(c.trainFrom);
        c.stopAfterPassingBatches = int(opt->integer("stop_after_passing_batches", 0, 1000).value_or(c.stopAfterPassingBatches));
        opt->finish();
    }
    if (auto caps = r.object("caps")) {
        c.changedLineCap = int(caps->integer("changed_lines", 1, 100000).value_or(c.changedLineCap));
        c.descriptionWordCap = int(caps->integer("description_words", 1, 1000).value_or(c.descriptionWordCap));
        caps->finish();
    }
    if (auto limits = r.object("executor_limits")) {
        c.turnLimit = int(limits->integer("turns", 1, 1000).value_or(c.turnLimit));
        c.toolTimeoutSeconds = int(limits->integer("tool_timeout_s", 1, 86400).value_or(c.toolTimeoutSeconds));
        limits->finish();
    }
    if (auto prices = r.object("prices")) {
        for (const QString& model : prices->keys()) {
            const QByteArray key = model.toUtf8();
            if (auto price = prices->object(key.constData())) {
                ModelPrice p;
                p.inputPerMTok = price->number("input_per_mtok", 0, 1e6, true).value_or(0);
                p.outputPerMTok = price->number("output_per_mtok", 0, 1e6, true).value_or(0);
                price->finish();
                c.prices[model] = p;
            }
        }
        prices->finish();
    }
    r.finish();
    if (auto error = r.error())
        return *error;
    return c;
}

Result<WorkspaceConfig> WorkspaceConfig::load(const QString& file)
{
    auto bytes = AtomicFile::read(file, 4 * 1024 * 1024);
    if (!bytes)
        return bytes.error();
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(bytes->constData(), bytes->constData() + bytes->size());
    } catch (const nlohmann::json::parse_error& e) {
        return Error{QStringLiteral("is not valid JSON: %1").arg(QString::fromUtf8(e.what())),
                     QStringLiteral("fix the syntax, or restore it from a backup"), file, QStringLiteral("invalid")};
    }
    return fromJson(json, file);
}

Result<void> WorkspaceConfig::save(const QString& file) const
{
    return AtomicFile::write(file, QByteArray::fromStdString(toJson().dump(2) + "\n"));
}

} // namespace sg
