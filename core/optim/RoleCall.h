#pragma once

#include "common/Result.h"
#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"

#include <nlohmann/json.hpp>

#include <QObject>

#include <functional>

namespace sg {

class LlmClient;

// One request to an optimizer role whose answer must end with a JSON block (DESIGN.md 5). When
// the block cannot be read, one repair request follows in the same conversation; a second
// failure ends the step with code "invalid-response". `check` may reject a parsed object that
// lacks what the role must give (its message goes into the repair request).
class RoleCall : public QObject
{
    Q_OBJECT
public:
    using Check = std::function<QString(const nlohmann::json&)>; // empty string: fine
    using Done = std::function<void(Result<nlohmann::json>, QString text)>;

    RoleCall(LlmClient& client, LlmRequest request, QString shape, Check check, QObject* parent = nullptr);
    void start(Done done);

private:
    void send();
    void onReply(Result<LlmResponse> reply);

    LlmClient& m_client;
    LlmRequest m_request;
    QString m_shape;
    Check m_check;
    Done m_done;
    bool m_repaired = false;
};

} // namespace sg
