#pragma once

#include "common/Result.h"

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>

#include <map>
#include <optional>

namespace sg {

// Which model plays a role (DESIGN.md 5). Never holds a key: `apiKeyEnv` names the variable.
struct RoleConfig
{
    QString provider = QStringLiteral("sim");
    QString model = QStringLiteral("sim");
    QString baseUrl;   // empty: the provider's default
    QString apiKeyEnv; // empty: the provider's default variable
    int concurrency = 8;
};

struct SplitCounts
{
    int train = -1; // -1: the default rule of DESIGN.md 4.1
    int val = -1;
    int test = -1;
};

struct ModelPrice
{
    double inputPerMTok = 0;  // USD per million input tokens
    double outputPerMTok = 0; // USD per million output tokens
};

// skillgrad.json: what a workspace is and how runs in it are configured. Strict: unknown or
// mistyped fields are errors naming the field. Never holds secrets.
struct WorkspaceConfig
{
    static constexpr int kSchemaVersion = 1;
    static const QStringList& roleNames(); // executor, failure-diagnoser, contrastive-diagnoser, momentum, patcher
    static const QStringList& gateModes(); // accept-all, validate, review

    QString skillName;
    QString taskSource;     // "wtq", "jsonl", … ; empty when the workspace has no tasks
    QString taskOrigin;     // where the tasks were imported from (for people; never read back)
    quint64 seed = 1;
    SplitCounts split;      // as asked at init; the id lists are in tasks/splits.json
    std::map<QString, RoleConfig> roles;

    QString gate = QStringLiteral("accept-all");
    int batch = 4;
    int epochs = 1;
    int maxIterations = 0;  // 0: no limit beyond epochs
    QString trainFrom = QStringLiteral("failures");
    int stopAfterPassingBatches = 4;

    int changedLineCap = 40;
    int descriptionWordCap = 50;
    int turnLimit = 30;
    int toolTimeoutSeconds = 120;

    std::map<QString, ModelPrice> prices; // model name -> price; defaults come with the usage ledger

    WorkspaceConfig(); // every role on the offline sim provider
    RoleConfig role(const QString& name) const;

    nlohmann::json toJson() const;
    static Result<WorkspaceConfig> fromJson(const nlohmann::json& json, const QString& file);
    static Result<WorkspaceConfig> load(const QString& file);
    Result<void> save(const QString& file) const;
};

} // namespace sg
