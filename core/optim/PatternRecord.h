#pragma once

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>

#include <vector>

namespace sg {

// The momentum memory M_t (DESIGN.md 4.5): recurring patterns across iterations. "Momentum" is
// recurrence (appeared_in and the remedy history), not a numeric decay.
struct Pattern
{
    struct Remedy
    {
        int iteration = 0;
        QString diagnosis; // what was seen
        QString patch;     // what was changed for it
    };

    QString id;
    QString kind = QStringLiteral("operation"); // operation | workflow | mixed
    QString summary;
    QString anchor; // slug of the L2 section or L3 file it concerns
    std::vector<int> appearedIn;
    QString description; // rewritten in place each time
    QString latestExecutorAction;
    std::vector<Remedy> remedyLog;

    // A structural move is due (DESIGN.md 4.6): seen in 3+ iterations, and it came back after an
    // in-place remedy.
    bool needsEscalation() const;
    int lastSeen() const { return appearedIn.empty() ? -1 : appearedIn.back(); }
};

// O_t: this iteration's per-task signals mapped onto patterns, plus at most 3 workflow themes.
struct OverlayEntry
{
    QString task;
    QString signal;  // failure | success
    QString pattern; // a pattern id, "new" or "none"
    QString anchor;
    QString gap;
    QString proposedChange;
};

struct PatternRecord
{
    std::vector<Pattern> patterns;

    const Pattern* find(const QString& id) const;
    Pattern* find(const QString& id);
    nlohmann::json toJson() const;
    // Lenient: unknown fields are ignored, missing ones take defaults, a pattern without an id
    // gets one from its summary.
    static PatternRecord fromJson(const nlohmann::json& json);
    static nlohmann::json patternJson(const Pattern& p);
    static Pattern patternFromJson(const nlohmann::json& j);
    // Frequent patterns first: by how often they appeared, then most recent.
    std::vector<const Pattern*> ranked() const;
};

struct Overlay
{
    int iteration = 0;
    std::vector<OverlayEntry> entries;
    QStringList themes; // at most 3

    static constexpr int kMaxThemes = 3;
    nlohmann::json toJson() const;
    static Overlay fromJson(const nlohmann::json& json, int iteration);
};

} // namespace sg
