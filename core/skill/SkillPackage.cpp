#include "SkillPackage.h"

#include "common/TextCodec.h"

#include <algorithm>

namespace sg {

namespace {

const QString kSkillMd = QStringLiteral("SKILL.md");

SkillProblem notText(const QString& file, const QByteArray& data)
{
    const bool binary = data.contains('\0');
    return {file, binary ? 0 : TextCodec::firstInvalidLine(data), SkillProblem::Level::Error,
            QStringLiteral("not-utf8"),
            binary ? QStringLiteral("the file is binary, not Markdown text")
                   : QStringLiteral("the file is not valid UTF-8 text"),
            QStringLiteral("save it as UTF-8 (for example: iconv -f latin1 -t utf-8)")};
}

} // namespace

QString layerName(Layer layer)
{
    switch (layer) {
    case Layer::L1:
        return QStringLiteral("L1");
    case Layer::L2:
        return QStringLiteral("L2");
    case Layer::L3:
        return QStringLiteral("L3");
    case Layer::Scripts:
        return QStringLiteral("scripts");
    case Layer::Assets:
        return QStringLiteral("assets");
    case Layer::Other:
        break;
    }
    return QStringLiteral("other");
}

Layer SkillPackage::layerOf(const QString& path)
{
    if (path == kSkillMd)
        return Layer::L2;
    if (path.startsWith(QLatin1String("references/")) && path.endsWith(QLatin1String(".md"), Qt::CaseInsensitive))
        return Layer::L3;
    if (path.startsWith(QLatin1String("scripts/")))
        return Layer::Scripts;
    if (path.startsWith(QLatin1String("assets/")))
        return Layer::Assets;
    return Layer::Other;
}

Result<SkillPackage> SkillPackage::load(const QString& path, const SkillSourceLimits& limits)
{
    auto files = SkillSource::read(path, limits);
    if (!files)
        return files.error();
    return fromFiles(std::move(files.value()));
}

SkillPackage SkillPackage::fromFiles(SkillFiles files)
{
    SkillPackage package;
    package.m_origin = files.origin;
    package.m_rootName = files.rootName;
    for (SkillFile& f : files.files)
        package.m_files.push_back({f.path, layerOf(f.path), std::move(f.data), f.executable});
    // Lookups are binary searches; callers may hand files in any order.
    std::sort(package.m_files.begin(), package.m_files.end(), [](const PackageFile& a, const PackageFile& b) { return a.path < b.path; });

    for (const PackageFile& f : package.m_files) {
        if (f.layer == Layer::L3 && !TextCodec::decodeUtf8(f.data))
            package.m_loadProblems.push_back(notText(f.path, f.data));
    }

    const PackageFile* skillMd = package.file(kSkillMd);
    if (!skillMd) {
        package.m_loadProblems.push_back({kSkillMd, 0, SkillProblem::Level::Error, QStringLiteral("skill-md-missing"),
                                          QStringLiteral("the package has no SKILL.md at its top"),
                                          QStringLiteral("a skill is a folder with SKILL.md in it; check the path")});
        return package;
    }
    package.m_hasSkillMd = true;
    const auto text = TextCodec::decodeUtf8(skillMd->data);
    if (!text) {
        package.m_loadProblems.push_back(notText(kSkillMd, skillMd->data));
        return package;
    }
    FrontMatter::Parsed parsed = FrontMatter::parse(*text);
    package.m_frontMatter = std::move(parsed.frontMatter);
    package.m_body = std::move(parsed.body);
    package.m_bodyFirstLine = parsed.bodyFirstLine;
    package.m_loadProblems.insert(package.m_loadProblems.end(), parsed.problems.begin(), parsed.problems.end());
    package.m_pointers = PointerParser::parse(package.m_body, package.m_bodyFirstLine);
    return package;
}

std::vector<const PackageFile*> SkillPackage::filesIn(Layer layer) const
{
    std::vector<const PackageFile*> out;
    for (const PackageFile& f : m_files) {
        if (f.layer == layer)
            out.push_back(&f);
    }
    return out;
}

const PackageFile* SkillPackage::file(const QString& path) const
{
    auto it = std::lower_bound(m_files.begin(), m_files.end(), path,
                               [](const PackageFile& f, const QString& p) { return f.path < p; });
    return it != m_files.end() && it->path == path ? &*it : nullptr;
}

int SkillPackage::bodyLineCount() const
{
    if (m_body.isEmpty())
        return 0;
    int count = int(m_body.count(QLatin1Char('\n')));
    if (!m_body.endsWith(QLatin1Char('\n')))
        ++count;
    return count;
}

} // namespace sg
