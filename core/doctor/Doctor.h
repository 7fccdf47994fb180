#pragma once

#include <QString>

#include <vector>

namespace sg {

// One line of `skillgrad doctor`: a dependency, whether it works, and what to install if not.
struct DoctorCheck
{
    enum class Status { Ok, Warning, Missing };

    QString name;
    Status status = Status::Ok;
    QString detail;
    QString fix;     // a command or step that fixes it; empty when nothing is needed
    bool required = false; // the core loop cannot run without it

    static QString statusName(Status status);
};

class Doctor
{
public:
    // Runs every check. Needs a QCoreApplication (the keychain probe runs a short event loop).
    static std::vector<DoctorCheck> run();
    static bool allRequiredOk(const std::vector<DoctorCheck>& checks);
};

} // namespace sg
