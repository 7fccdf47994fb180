#include "Cassette.h"

#include <QDir>
#include <QFileInfo>

namespace sg {

Result<Cassette> Cassette::load(const QString& file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the cassette: %1").arg(in.errorString()), QStringLiteral("record one first with --record FILE"), file,
                     QStringLiteral("not-found")};
    Cassette cassette;
    cassette.m_file = QFileInfo(file).absoluteFilePath();
    int line = 0;
    while (!in.atEnd()) {
        ++line;
        const QByteArray text = in.readLine().trimmed();
        if (text.isEmpty())
            continue;
        try {
            const auto j = nlohmann::json::parse(text.constData(), text.constData() + text.size());
            const QString key = QString::fromStdString(j.at("key").get<std::string>());
            auto response = LlmResponse::fromJson(j.at("response"));
            if (!response)
                throw nlohmann::json::other_error::create(501, "the response is damaged", nullptr);
            cassette.m_answers.insert(key, *response);
            const QString model = QString::fromStdString(j.value("model", std::string()));
            if (!cassette.m_models.contains(model))
                cassette.m_models << model;
            cassette.m_simulated = cassette.m_simulated || j.value("simulated", false);
        } catch (const nlohmann::json::exception& e) {
            return Error{QStringLiteral("line %1 is not a cassette entry: %2").arg(line).arg(QString::fromUtf8(e.what())),
                         QStringLiteral("re-record the cassette"), QStringLiteral("%1:%2").arg(file).arg(line), QStringLiteral("invalid")};
        }
    }
    return cassette;
}

std::optional<LlmResponse> Cassette::find(const QString& key) const
{
    auto it = m_answers.find(key);
    if (it == m_answers.end())
        return std::nullopt;
    LlmResponse r = it.value();
    r.cached = true;
    r.attempts = 0;
    r.latencyMs = 0;
    return r;
}

Result<std::unique_ptr<CassetteWriter>> CassetteWriter::create(const QString& file)
{
    QDir().mkpath(QFileInfo(file).absolutePath());
    auto writer = std::make_unique<CassetteWriter>();
    writer->m_file = file;
    writer->m_out = std::make_unique<QFile>(file);
    if (!writer->m_out->open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error{QStringLiteral("cannot write the cassette: %1").arg(writer->m_out->errorString()), QStringLiteral("check the path"), file,
                     QStringLiteral("io")};
    return writer;
}

Result<void> CassetteWriter::append(const QString& key, const LlmRequest& request, const LlmResponse& response, bool simulated)
{
    if (m_written.contains(key))
        return {};
    const nlohmann::json j{{"key", key.toStdString()}, {"role", request.role.toStdString()}, {"model", request.model.toStdString()},
                           {"simulated", simulated}, {"response", response.toJson()}};
    const QByteArray line = QByteArray::fromStdString(j.dump()) + '\n';
    if (m_out->write(line) != line.size() || !m_out->flush())
        return Error{QStringLiteral("cannot write the cassette: %1").arg(m_out->errorString()), QStringLiteral("check free space"), m_file,
                     QStringLiteral("io")};
    m_written.insert(key, true);
    return {};
}

} // namespace sg
