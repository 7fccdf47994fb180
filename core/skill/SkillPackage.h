#pragma once

#include "FrontMatter.h"
#include "PointerParser.h"
#include "SkillProblem.h"
#include "SkillSource.h"
#include "common/Result.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace sg {

// The layers of DESIGN.md 2. L1 and L2 are the two halves of SKILL.md.
enum class Layer { L1, L2, L3, Scripts, Assets, Other };

QString layerName(Layer layer);

struct PackageFile
{
    QString path;
    Layer layer = Layer::Other; // SKILL.md is tagged L2; its front matter is L1
    QByteArray data;
    bool executable = false;
};

// A loaded skill package: its files grouped into layers, SKILL.md split into front matter (L1)
// and body (L2), and the body's pointers to L3. Loading never judges the package beyond what
// parsing needs; SkillValidator does that, starting from `loadProblems()`.
class SkillPackage
{
public:
    static Result<SkillPackage> load(const QString& path, const SkillSourceLimits& limits = {});
    static SkillPackage fromFiles(SkillFiles files);

    static Layer layerOf(const QString& path);

    const QString& origin() const { return m_origin; }
    const QString& rootName() const { return m_rootName; }
    const std::vector<PackageFile>& files() const { return m_files; }
    std::vector<const PackageFile*> filesIn(Layer layer) const;
    const PackageFile* file(const QString& path) const;

    bool hasSkillMd() const { return m_hasSkillMd; }
    const FrontMatter& frontMatter() const { return m_frontMatter; }
    QString name() const { return m_frontMatter.name(); }
    const QString& body() const { return m_body; }
    int bodyFirstLine() const { return m_bodyFirstLine; }
    int bodyLineCount() const;
    const std::vector<Pointer>& pointers() const { return m_pointers; }

    // What went wrong while reading SKILL.md and the L3 text (encoding, front matter syntax).
    const SkillProblems& loadProblems() const { return m_loadProblems; }

private:
    QString m_origin;
    QString m_rootName;
    std::vector<PackageFile> m_files;
    bool m_hasSkillMd = false;
    FrontMatter m_frontMatter;
    QString m_body;
    int m_bodyFirstLine = 1;
    std::vector<Pointer> m_pointers;
    SkillProblems m_loadProblems;
};

} // namespace sg
