#pragma once

#include "OptimizerController.h"

#include <QObject>

class QAction;
class QComboBox;
class QToolBar;

namespace sg {

// Run, Pause, Step one iteration, Stop and the gate mode, as actions with shortcuts for the
// menu and the toolbar; each is enabled only when it means something in the run's state.
class RunControls : public QObject
{
    Q_OBJECT
public:
    RunControls(OptimizerController* controller, QObject* parent);

    void addTo(QToolBar* toolBar);
    QAction* runAction() const { return m_run; }
    QAction* pauseAction() const { return m_pause; }
    QAction* stepAction() const { return m_step; }
    QAction* stopAction() const { return m_stop; }
    QComboBox* gateBox() const { return m_gate; }
    QString gate() const;
    void setGate(const QString& gate);
    // Whether runs can start here: a workspace is open and no other process runs one.
    void setAvailable(bool available, const QString& why = {});

Q_SIGNALS:
    // Run (or Step) pressed while nothing runs: the window makes the request.
    void startRequested(bool holdAfterFirst);

private:
    void update();

    OptimizerController* m_controller = nullptr;
    QAction* m_run = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_step = nullptr;
    QAction* m_stop = nullptr;
    QComboBox* m_gate = nullptr;
    bool m_available = false;
    QString m_why;
};

} // namespace sg
