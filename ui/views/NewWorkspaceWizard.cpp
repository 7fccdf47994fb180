#include "NewWorkspaceWizard.h"

#include "llm/ProviderFactory.h"
#include "skill/SkillValidator.h"
#include "tasks/TaskSource.h"
#include "workspace/ExampleCatalog.h"
#include "workspace/WorkspaceInit.h"

#include <QAbstractButton>
#include <QAction>
#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QWizardPage>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <limits>

namespace sg {

namespace {

const QString kNoTasks = QStringLiteral("none");
const QString kExecutor = QStringLiteral("executor");
const QStringList kProviders{QStringLiteral("sim"), QStringLiteral("openai"),
                             QStringLiteral("anthropic")};
const QString kProblemStyle = QStringLiteral("color: #b3261e;");
const QString kOkStyle = QStringLiteral("color: #1b6e3a;");
const QString kNoteStyle = QStringLiteral("color: palette(dark);");
constexpr int kDebounceMs = 300;
constexpr int kMaxSplit = 1000000;

// A page whose Next/Finish follows a predicate of the wizard's state.
class GatedPage : public QWizardPage
{
public:
    explicit GatedPage(std::function<bool()> complete) : m_complete(std::move(complete)) {}
    bool isComplete() const override { return m_complete(); }
    void refresh() { Q_EMIT completeChanged(); }

private:
    std::function<bool()> m_complete;
};

QLabel* wrapped(const QString& text = {}, const QString& name = {})
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (!name.isEmpty())
        label->setObjectName(name);
    return label;
}

void setStatus(QLabel* label, const QString& text, const QString& style)
{
    label->setText(text);
    label->setStyleSheet(style);
}

// A file dialog that does not block: the choice arrives through `chosen`.
void browse(QWidget* parent, QFileDialog::FileMode mode, const QString& filter,
            const QString& start, std::function<void(const QString&)> chosen)
{
    auto* dialog = new QFileDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(mode);
    if (mode == QFileDialog::Directory)
        dialog->setOption(QFileDialog::ShowDirsOnly);
    if (!filter.isEmpty())
        dialog->setNameFilter(filter);
    if (!start.isEmpty())
        dialog->setDirectory(QFileInfo(start).absolutePath());
    QObject::connect(dialog, &QFileDialog::fileSelected, parent,
                     [chosen = std::move(chosen)](const QString& file) { chosen(file); });
    dialog->open();
}

QString plural(qsizetype n, const QString& one, const QString& many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

} // namespace

struct NewWorkspaceWizard::SkillCheck
{
    QString input;                    // what was checked, so a stale answer is recognised
    Workspace::CreateOptions options; // what Finish imports (an example's extracted paths)
    QString name;
    std::optional<Error> error; // the skill could not be read at all
    SkillProblems problems;
};

struct NewWorkspaceWizard::TaskCheck
{
    QString input;
    std::optional<Error> error;
    WorkspaceInit::TaskReport report;
};

NewWorkspaceWizard::NewWorkspaceWizard(QWidget* parent)
    : QWizard(parent), m_extractDir(std::make_shared<QTemporaryDir>()),
      m_skillWatcher(new QFutureWatcher<SkillCheck>(this)),
      m_taskWatcher(new QFutureWatcher<TaskCheck>(this)),
      m_createWatcher(new QFutureWatcher<Result<QString>>(this))
{
    setObjectName(QStringLiteral("newWorkspaceWizard"));
    setWindowTitle(tr("New workspace"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPage(SkillPageId, buildSkillPage());
    setPage(TasksPageId, buildTasksPage());
    setPage(ProviderPageId, buildProviderPage());
    setPage(LocationPageId, buildLocationPage());
    setButtonText(QWizard::FinishButton, tr("Create"));
    resize(820, 620);

    connect(m_skillWatcher, &QFutureWatcherBase::finished, this,
            &NewWorkspaceWizard::onSkillChecked);
    connect(m_taskWatcher, &QFutureWatcherBase::finished, this, &NewWorkspaceWizard::onTaskChecked);
    connect(m_createWatcher, &QFutureWatcherBase::finished, this, &NewWorkspaceWizard::onCreated);

    if (!ExampleCatalog::names().isEmpty())
        setExample(ExampleCatalog::names().constFirst());
    else
        m_skillRadio->setChecked(true);
}

NewWorkspaceWizard::~NewWorkspaceWizard() = default;

// --- page 1: the skill -------------------------------------------------------------------------

QWizardPage* NewWorkspaceWizard::buildSkillPage()
{
    auto* page = new GatedPage([this] { return skillUsable(); });
    page->setTitle(tr("Skill"));
    page->setSubTitle(
        tr("The skill to improve. It is checked against the Agent Skills spec as you choose it; "
           "errors must be fixed first, warnings are only advice."));

    m_exampleRadio = new QRadioButton(tr("A built-in example"));
    m_exampleRadio->setObjectName(QStringLiteral("exampleRadio"));
    m_example = new QComboBox;
    m_example->setObjectName(QStringLiteral("exampleCombo"));
    m_example->addItems(ExampleCatalog::names());
    m_exampleDescription = wrapped({}, QStringLiteral("exampleDescription"));
    m_exampleDescription->setStyleSheet(kNoteStyle);

    m_skillRadio = new QRadioButton(tr("A skill folder, or a .zip / .skill archive"));
    m_skillRadio->setObjectName(QStringLiteral("skillRadio"));
    m_skillPath = new QLineEdit;
    m_skillPath->setObjectName(QStringLiteral("skillPathEdit"));
    m_skillPath->setPlaceholderText(tr("a folder holding SKILL.md, or an archive of one"));
    auto* browseButton = new QPushButton(tr("Browse…"));
    browseButton->setObjectName(QStringLiteral("skillBrowse"));
    auto* menu = new QMenu(browseButton);
    const auto chosen = [this](const QString& path) {
        setSkillPath(path);
    };
    connect(menu->addAction(tr("Folder…")), &QAction::triggered, this, [this, chosen] {
        browse(this, QFileDialog::Directory, {}, m_skillPath->text(), chosen);
    });
    connect(menu->addAction(tr("Archive (.zip, .skill)…")), &QAction::triggered, this,
            [this, chosen] {
                browse(this, QFileDialog::ExistingFile, tr("Skill archives (*.zip *.skill)"),
                       m_skillPath->text(), chosen);
            });
    browseButton->setMenu(menu);

    auto* group = new QButtonGroup(page);
    group->addButton(m_exampleRadio);
    group->addButton(m_skillRadio);

    m_skillStatus = wrapped({}, QStringLiteral("skillStatus"));
    m_findings = new QTreeWidget;
    m_findings->setObjectName(QStringLiteral("skillFindings"));
    m_findings->setHeaderLabels({tr("Level"), tr("Where"), tr("Problem, and how to fix it")});
    m_findings->setRootIsDecorated(false);
    m_findings->setWordWrap(true);
    m_findings->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_findings->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_findings->hide();
    // Files edited outside the wizard change nothing it can see: a way to look again.
    auto* recheck = new QPushButton(tr("Check again"));
    recheck->setObjectName(QStringLiteral("skillRecheck"));
    connect(recheck, &QPushButton::clicked, this, &NewWorkspaceWizard::startSkillCheck);

    m_skillDebounce = new QTimer(this);
    m_skillDebounce->setSingleShot(true);
    m_skillDebounce->setInterval(kDebounceMs);
    connect(m_skillDebounce, &QTimer::timeout, this, &NewWorkspaceWizard::startSkillCheck);
    connect(m_skillPath, &QLineEdit::textEdited, this, [this] {
        m_skillRadio->setChecked(true);
        m_skillDebounce->start();
    });
    connect(m_example, &QComboBox::currentTextChanged, this, [this] {
        m_exampleRadio->setChecked(true);
        startSkillCheck();
    });
    connect(group, &QButtonGroup::buttonToggled, this, [this](QAbstractButton*, bool on) {
        if (on)
            startSkillCheck();
    });

    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_skillPath, 1);
    pathRow->addWidget(browseButton);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_exampleRadio);
    auto* exampleBox = new QVBoxLayout;
    exampleBox->setContentsMargins(24, 0, 0, 8);
    exampleBox->addWidget(m_example);
    exampleBox->addWidget(m_exampleDescription);
    layout->addLayout(exampleBox);
    layout->addWidget(m_skillRadio);
    pathRow->setContentsMargins(24, 0, 0, 8);
    layout->addLayout(pathRow);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_skillStatus, 1);
    statusRow->addWidget(recheck, 0, Qt::AlignTop);
    layout->addLayout(statusRow);
    layout->addWidget(m_findings, 1);
    layout->addStretch(0);
    return page;
}

bool NewWorkspaceWizard::usesExample() const
{
    return m_exampleRadio->isChecked();
}

QString NewWorkspaceWizard::skillInput() const
{
    return usesExample() ? QStringLiteral("example:") + m_example->currentText()
                         : QStringLiteral("path:") + m_skillPath->text().trimmed();
}

void NewWorkspaceWizard::setExample(const QString& name)
{
    m_skillDebounce->stop();
    const QSignalBlocker blockGroup(
        m_exampleRadio->group()); // the group, not the button, reports toggles
    const QSignalBlocker blockCombo(m_example);
    m_exampleRadio->setChecked(true);
    m_example->setCurrentText(name);
    startSkillCheck();
}

void NewWorkspaceWizard::setSkillPath(const QString& path)
{
    m_skillDebounce->stop();
    const QSignalBlocker blockGroup(m_skillRadio->group());
    m_skillRadio->setChecked(true);
    m_skillPath->setText(QDir::toNativeSeparators(path));
    startSkillCheck();
}

void NewWorkspaceWizard::startSkillCheck()
{
    m_exampleDescription->setText(ExampleCatalog::describe(m_example->currentText()));
    m_example->setEnabled(usesExample());
    m_skillPath->setEnabled(!usesExample());
    m_skillResult.reset();
    setStatus(m_skillStatus, tr("Checking the skill…"), kNoteStyle);
    m_findings->clear();
    m_findings->hide();
    refresh(SkillPageId);
    if (m_skillWatcher->isRunning()) {
        m_skillRecheck = true; // one check at a time; the newest input is checked when it ends
        return;
    }
    const QString input = skillInput();
    const bool example = usesExample();
    const QString value = example ? m_example->currentText()
                                  : QDir::fromNativeSeparators(m_skillPath->text().trimmed());
    m_skillWatcher->setFuture(QtConcurrent::run([input, example, value, extractDir = m_extractDir] {
        SkillCheck check;
        check.input = input;
        if (example) {
            const QString dir = extractDir->filePath(value);
            if (!QDir(dir).exists() && !QDir().mkpath(dir)) {
                check.error =
                    Error{QStringLiteral("cannot make a temporary folder for the example"),
                          QStringLiteral("check free space in the temporary folder"), dir};
                return check;
            }
            auto options = WorkspaceInit::exampleOptions(value, dir);
            if (!options) {
                check.error = options.error();
                return check;
            }
            check.options = options.value();
        } else {
            check.options = WorkspaceInit::skillOptions(value);
        }
        auto report = WorkspaceInit::checkSkill(check.options.skillPath);
        if (!report) {
            check.error = report.error();
            return check;
        }
        check.name = report->name;
        check.problems = report->problems;
        return check;
    }));
}

void NewWorkspaceWizard::onSkillChecked()
{
    SkillCheck check = m_skillWatcher->result();
    if (m_skillRecheck || check.input != skillInput()) {
        m_skillRecheck = false;
        startSkillCheck();
        return;
    }
    m_skillResult = std::make_unique<SkillCheck>(std::move(check));
    showSkillCheck();
    refresh(SkillPageId);
    Q_EMIT skillChecked(skillUsable());
}

void NewWorkspaceWizard::showSkillCheck()
{
    const SkillCheck& check = *m_skillResult;
    if (check.error) {
        setStatus(m_skillStatus, tr("✘ This skill cannot be read: %1").arg(check.error->text()),
                  kProblemStyle);
        return;
    }
    const int errors = SkillValidator::count(check.problems, SkillProblem::Level::Error);
    const int warnings = SkillValidator::count(check.problems, SkillProblem::Level::Warning);
    if (errors > 0)
        setStatus(m_skillStatus,
                  tr("✘ %1 in “%2” must be fixed before it can be imported: fix the files, then "
                     "press Check again; "
                     "warnings alone would not stop it.")
                      .arg(plural(errors, tr("error"), tr("errors")),
                           check.name.isEmpty() ? tr("this skill") : check.name),
                  kProblemStyle);
    else
        setStatus(m_skillStatus,
                  warnings == 0
                      ? tr("✔ Skill “%1” is valid.").arg(check.name)
                      : tr("✔ Skill “%1” can be imported; %2 below are advice only.")
                            .arg(check.name, plural(warnings, tr("warning"), tr("warnings"))),
                  kOkStyle);
    for (const SkillProblem& p : check.problems) {
        const QString where = p.line > 0 ? QStringLiteral("%1:%2").arg(p.file).arg(p.line) : p.file;
        const QString text =
            p.hint.isEmpty() ? p.message : p.message + QStringLiteral("\n→ ") + p.hint;
        auto* item =
            new QTreeWidgetItem(m_findings, {SkillProblem::levelName(p.level), where, text});
        item->setForeground(0, p.isError() ? QColor(0xb3, 0x26, 0x1e) : QColor(0x8a, 0x5a, 0x00));
        item->setToolTip(2, p.text());
    }
    m_findings->setVisible(!check.problems.empty());
}

bool NewWorkspaceWizard::skillUsable() const
{
    return m_skillResult && m_skillResult->input == skillInput() && !m_skillResult->error &&
           !SkillValidator::hasErrors(m_skillResult->problems);
}

SkillProblems NewWorkspaceWizard::skillProblems() const
{
    return m_skillResult ? m_skillResult->problems : SkillProblems{};
}

// --- page 2: the tasks -------------------------------------------------------------------------

QWizardPage* NewWorkspaceWizard::buildTasksPage()
{
    auto* page = new GatedPage([this] { return tasksUsable(); });
    page->setTitle(tr("Tasks"));
    page->setSubTitle(tr("The tasks the skill is trained and judged on. They are copied into the "
                         "workspace and split "
                         "into train, val and test once, by the seed."));

    m_taskKind = new QComboBox;
    m_taskKind->setObjectName(QStringLiteral("taskKindCombo"));
    m_taskKind->addItem(tr("none (the workspace cannot be evaluated until tasks are added)"),
                        kNoTasks);
    for (const QString& kind : TaskSource::kinds())
        m_taskKind->addItem(
            kind == QLatin1String("wtq")     ? tr("wtq: WikiTableQuestions (question + table)")
            : kind == QLatin1String("jsonl") ? tr("jsonl: generic {id, prompt, answer} lines")
                                             : kind,
            kind);
    m_tasksPath = new QLineEdit;
    m_tasksPath->setObjectName(QStringLiteral("tasksPathEdit"));
    m_tasksPath->setPlaceholderText(tr("a tasks.jsonl file; its tables are found next to it"));
    auto* browseButton = new QPushButton(tr("Browse…"));
    browseButton->setObjectName(QStringLiteral("tasksBrowse"));
    connect(browseButton, &QPushButton::clicked, this, [this] {
        browse(
            this, QFileDialog::ExistingFile, tr("Task files (*.jsonl)"), m_tasksPath->text(),
            [this](const QString& file) { setTasks(m_taskKind->currentData().toString(), file); });
    });
    m_taskNote = wrapped({}, QStringLiteral("tasksNote"));
    m_taskNote->setStyleSheet(kNoteStyle);
    m_taskStatus = wrapped({}, QStringLiteral("tasksStatus"));

    const auto splitSpin = [](const QString& name) {
        auto* spin = new QSpinBox;
        spin->setObjectName(name);
        spin->setRange(-1, kMaxSplit);
        spin->setSpecialValueText(tr("default"));
        spin->setValue(-1);
        return spin;
    };
    m_train = splitSpin(QStringLiteral("trainSpin"));
    m_val = splitSpin(QStringLiteral("valSpin"));
    m_test = splitSpin(QStringLiteral("testSpin"));
    m_seed = new QSpinBox;
    m_seed->setObjectName(QStringLiteral("seedSpin"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);

    m_taskDebounce = new QTimer(this);
    m_taskDebounce->setSingleShot(true);
    m_taskDebounce->setInterval(kDebounceMs);
    connect(m_taskDebounce, &QTimer::timeout, this, &NewWorkspaceWizard::startTaskCheck);
    connect(m_tasksPath, &QLineEdit::textEdited, m_taskDebounce, qOverload<>(&QTimer::start));
    connect(m_taskKind, &QComboBox::currentIndexChanged, this, &NewWorkspaceWizard::startTaskCheck);
    for (QSpinBox* spin : {m_train, m_val, m_test, m_seed})
        connect(spin, &QSpinBox::valueChanged, m_taskDebounce, qOverload<>(&QTimer::start));

    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_tasksPath, 1);
    pathRow->addWidget(browseButton);
    auto* splits = new QHBoxLayout;
    for (const auto& [label, spin] :
         {std::pair{tr("train"), m_train}, std::pair{tr("val"), m_val},
          std::pair{tr("test"), m_test}, std::pair{tr("seed"), m_seed}}) {
        splits->addWidget(new QLabel(label));
        splits->addWidget(spin);
        splits->addSpacing(12);
    }
    splits->addStretch(1);
    auto* form = new QFormLayout;
    form->addRow(tr("Source"), m_taskKind);
    form->addRow(tr("Task file"), pathRow);
    form->addRow(tr("Split sizes"), splits);
    auto* rule = wrapped(tr("“default”: a test split the source defines stays test; val is a third "
                            "of the rest, picked by the "
                            "seed; train is what remains. The same tasks, sizes and seed always "
                            "give the same split."),
                         QStringLiteral("splitRule"));
    rule->setStyleSheet(kNoteStyle);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addWidget(m_taskNote);
    layout->addWidget(rule);
    layout->addSpacing(8);
    layout->addWidget(m_taskStatus);
    layout->addStretch(1);
    return page;
}

void NewWorkspaceWizard::setTasks(const QString& kind, const QString& path)
{
    const int index = m_taskKind->findData(kind.isEmpty() ? kNoTasks : kind);
    const QSignalBlocker block(m_taskKind);
    m_taskKind->setCurrentIndex(index < 0 ? 0 : index);
    m_tasksPath->setText(QDir::toNativeSeparators(path));
    m_taskDebounce->stop();
    startTaskCheck();
}

void NewWorkspaceWizard::setSplit(const SplitCounts& split, quint64 seed)
{
    for (auto [spin, value] : {std::pair{m_train, split.train}, std::pair{m_val, split.val},
                               std::pair{m_test, split.test}}) {
        const QSignalBlocker block(spin);
        spin->setValue(value);
    }
    const QSignalBlocker block(m_seed);
    m_seed->setValue(int(seed));
    m_taskDebounce->stop();
    startTaskCheck();
}

void NewWorkspaceWizard::initializePage(int id)
{
    if (id == TasksPageId) {
        startTaskCheck();
    } else if (id == ProviderPageId) {
        updateProviderNote();
    } else if (id == LocationPageId) {
        if (m_location->text().isEmpty() && m_skillResult && !m_skillResult->name.isEmpty()) {
            // A free folder named after the skill saves a trip to the file dialog.
            const QString suggestion =
                QDir::home().filePath(m_skillResult->name + QStringLiteral("-workspace"));
            if (!QFileInfo::exists(suggestion))
                m_location->setText(QDir::toNativeSeparators(suggestion));
        }
        checkLocation();
    }
    QWizard::initializePage(id);
}

// An example brings its own tasks; a skill of one's own takes any source or none.
void NewWorkspaceWizard::updateTaskFields()
{
    const bool example = usesExample() && m_skillResult;
    if (!example && m_tasksFromExample) {
        // The example's tasks sit in a temporary folder: a skill of one's own starts from none.
        const QSignalBlocker block(m_taskKind);
        m_taskKind->setCurrentIndex(0);
        m_tasksPath->clear();
    }
    m_tasksFromExample = example;
    if (example) {
        const QSignalBlocker block(m_taskKind);
        m_taskKind->setCurrentIndex(
            std::max(0, m_taskKind->findData(m_skillResult->options.taskKind)));
        m_tasksPath->setText(QDir::toNativeSeparators(m_skillResult->options.tasksPath));
        m_taskNote->setText(tr("The example “%1” brings its own tasks; they are kept apart from "
                               "the skill, so the agent "
                               "never sees their answers.")
                                .arg(m_example->currentText()));
    } else {
        m_taskNote->setText(tr("The file and the tables it names (found next to it) are copied "
                               "into the workspace at Create."));
    }
    m_taskKind->setEnabled(!example);
    const bool pathEditable = !example && m_taskKind->currentData().toString() != kNoTasks;
    m_tasksPath->setEnabled(pathEditable);
    if (auto* browseButton = findChild<QPushButton*>(QStringLiteral("tasksBrowse")))
        browseButton->setEnabled(pathEditable);
}

QString NewWorkspaceWizard::taskInput() const
{
    const QString kind = m_taskKind->currentData().toString();
    if (kind == kNoTasks)
        return kNoTasks;
    return QStringLiteral("%1|%2|%3|%4|%5|%6")
        .arg(kind, QDir::fromNativeSeparators(m_tasksPath->text().trimmed()))
        .arg(m_train->value())
        .arg(m_val->value())
        .arg(m_test->value())
        .arg(m_seed->value());
}

void NewWorkspaceWizard::startTaskCheck()
{
    updateTaskFields();
    const bool none = m_taskKind->currentData().toString() == kNoTasks;
    for (QSpinBox* spin : {m_train, m_val, m_test, m_seed})
        spin->setEnabled(!none);
    m_taskResult.reset();
    if (none) {
        setStatus(
            m_taskStatus,
            tr("No tasks: the workspace keeps the skill and its versions, but cannot evaluate or "
               "optimize it until tasks are added."),
            kNoteStyle);
        refresh(TasksPageId);
        Q_EMIT tasksChecked(true);
        return;
    }
    setStatus(m_taskStatus, tr("Reading the tasks…"), kNoteStyle);
    refresh(TasksPageId);
    if (m_taskWatcher->isRunning()) {
        m_taskRecheck = true;
        return;
    }
    const QString input = taskInput();
    const QString kind = m_taskKind->currentData().toString();
    const QString path = QDir::fromNativeSeparators(m_tasksPath->text().trimmed());
    const SplitCounts counts{m_train->value(), m_val->value(), m_test->value()};
    const quint64 seed = quint64(m_seed->value());
    m_taskWatcher->setFuture(QtConcurrent::run([input, kind, path, counts, seed] {
        TaskCheck check;
        check.input = input;
        if (auto report = WorkspaceInit::checkTasks(kind, path, counts, seed))
            check.report = report.value();
        else
            check.error = report.error();
        return check;
    }));
}

void NewWorkspaceWizard::onTaskChecked()
{
    TaskCheck check = m_taskWatcher->result();
    if (m_taskRecheck || check.input != taskInput()) {
        m_taskRecheck = false;
        startTaskCheck();
        return;
    }
    m_taskResult = std::make_unique<TaskCheck>(std::move(check));
    if (m_taskResult->error)
        setStatus(m_taskStatus, tr("✘ %1").arg(m_taskResult->error->text()), kProblemStyle);
    else
        setStatus(m_taskStatus,
                  tr("✔ %1 (%2): train %3, val %4, test %5.")
                      .arg(plural(m_taskResult->report.tasks, tr("task"), tr("tasks")),
                           m_taskKind->currentData().toString())
                      .arg(m_taskResult->report.train)
                      .arg(m_taskResult->report.val)
                      .arg(m_taskResult->report.test),
                  kOkStyle);
    refresh(TasksPageId);
    Q_EMIT tasksChecked(tasksUsable());
}

bool NewWorkspaceWizard::tasksUsable() const
{
    if (m_taskKind->currentData().toString() == kNoTasks)
        return true;
    return m_taskResult && m_taskResult->input == taskInput() && !m_taskResult->error;
}

// --- page 3: the models ------------------------------------------------------------------------

QWidget* NewWorkspaceWizard::buildRoleRow(const QString& prefix, QComboBox*& provider,
                                          QLineEdit*& model, QLineEdit*& baseUrl)
{
    provider = new QComboBox;
    provider->setObjectName(prefix + QStringLiteral("Provider"));
    provider->addItems(kProviders);
    model = new QLineEdit(QStringLiteral("sim"));
    model->setObjectName(prefix + QStringLiteral("Model"));
    baseUrl = new QLineEdit;
    baseUrl->setObjectName(prefix + QStringLiteral("BaseUrl"));
    baseUrl->setEnabled(false);
    connect(provider, &QComboBox::currentTextChanged, this,
            [this, model, baseUrl](const QString& kind) {
                model->setText(ProviderFactory::defaultModel(kind));
                baseUrl->clear();
                baseUrl->setEnabled(kind != QLatin1String("sim"));
                baseUrl->setPlaceholderText(
                    kind == QLatin1String("sim")
                        ? QString()
                        : tr("default: %1").arg(ProviderFactory::defaultBaseUrl(kind)));
                updateProviderNote();
            });
    connect(model, &QLineEdit::textChanged, this, [this] { refresh(ProviderPageId); });

    auto* box = new QWidget;
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(provider);
    row->addWidget(new QLabel(tr("model")));
    row->addWidget(model, 1);
    row->addWidget(new QLabel(tr("base URL")));
    row->addWidget(baseUrl, 2);
    return box;
}

QWizardPage* NewWorkspaceWizard::buildProviderPage()
{
    auto* page = new GatedPage([this] { return providersUsable(); });
    page->setTitle(tr("Models"));
    page->setSubTitle(tr(
        "Which models play the roles. The executor answers the tasks; the optimizer roles diagnose "
        "failures, keep the momentum notes and write the patches — a cheap executor can pair with "
        "a "
        "stronger optimizer."));
    auto* form = new QFormLayout;
    form->addRow(tr("Executor"), buildRoleRow(QStringLiteral("executor"), m_executorProvider,
                                              m_executorModel, m_executorBaseUrl));
    auto* optimizerLabel = new QLabel(tr("Optimizer roles"));
    QStringList optimizerRoles = WorkspaceConfig::roleNames();
    optimizerRoles.removeAll(kExecutor);
    optimizerLabel->setToolTip(optimizerRoles.join(QStringLiteral(", ")));
    form->addRow(optimizerLabel, buildRoleRow(QStringLiteral("optimizer"), m_optimizerProvider,
                                              m_optimizerModel, m_optimizerBaseUrl));
    m_providerNote = wrapped({}, QStringLiteral("providerNote"));
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addWidget(m_providerNote);
    layout->addWidget(wrapped(
        tr("API keys are read from OPENAI_API_KEY / ANTHROPIC_API_KEY or the system keychain "
           "(Settings, once the workspace exists), and are never written into it. Per-role models, "
           "prices and connection tests are in Settings too."),
        QStringLiteral("keyNote")));
    layout->addStretch(1);
    updateProviderNote();
    return page;
}

void NewWorkspaceWizard::updateProviderNote()
{
    const bool sim = m_executorProvider->currentText() == QLatin1String("sim") ||
                     m_optimizerProvider->currentText() == QLatin1String("sim");
    if (sim)
        setStatus(m_providerNote,
                  tr("sim runs offline and costs nothing, but its answers and scores are "
                     "SYNTHETIC: good for trying "
                     "SkillGrad out, meaningless as a measure of the skill."),
                  QStringLiteral("color: #8a5a00;"));
    else
        setStatus(m_providerNote,
                  tr("Real models: runs cost money, shown per role in the run's cost chart."),
                  kNoteStyle);
    refresh(ProviderPageId);
}

void NewWorkspaceWizard::setExecutor(const RoleConfig& role)
{
    m_executorProvider->setCurrentText(role.provider);
    m_executorModel->setText(role.model);
    m_executorBaseUrl->setText(role.baseUrl);
}

void NewWorkspaceWizard::setOptimizer(const RoleConfig& role)
{
    m_optimizerProvider->setCurrentText(role.provider);
    m_optimizerModel->setText(role.model);
    m_optimizerBaseUrl->setText(role.baseUrl);
}

std::map<QString, RoleConfig> NewWorkspaceWizard::roles() const
{
    const auto make = [](const QComboBox* provider, const QLineEdit* model,
                         const QLineEdit* baseUrl) {
        RoleConfig role;
        role.provider = provider->currentText();
        role.model = model->text().trimmed();
        role.baseUrl = baseUrl->text().trimmed();
        return role;
    };
    std::map<QString, RoleConfig> out;
    for (const QString& name : WorkspaceConfig::roleNames())
        out[name] = name == kExecutor
                        ? make(m_executorProvider, m_executorModel, m_executorBaseUrl)
                        : make(m_optimizerProvider, m_optimizerModel, m_optimizerBaseUrl);
    return out;
}

bool NewWorkspaceWizard::providersUsable() const
{
    return !m_executorModel->text().trimmed().isEmpty() &&
           !m_optimizerModel->text().trimmed().isEmpty();
}

// --- page 4: the folder, and Create --------------------------------------------------------------

QWizardPage* NewWorkspaceWizard::buildLocationPage()
{
    auto* page = new GatedPage([this] { return locationUsable(); });
    page->setTitle(tr("Location"));
    page->setSubTitle(tr("Where the workspace goes: a new folder, or an empty one. Nothing is "
                         "written until Create."));
    page->setFinalPage(true);

    m_location = new QLineEdit;
    m_location->setObjectName(QStringLiteral("locationEdit"));
    m_location->setPlaceholderText(tr("a folder that does not exist yet, or is empty"));
    auto* browseButton = new QPushButton(tr("Browse…"));
    browseButton->setObjectName(QStringLiteral("locationBrowse"));
    connect(browseButton, &QPushButton::clicked, this, [this] {
        browse(this, QFileDialog::Directory, {}, m_location->text(),
               [this](const QString& dir) { setLocation(dir); });
    });
    connect(m_location, &QLineEdit::textChanged, this, &NewWorkspaceWizard::checkLocation);
    m_locationStatus = wrapped({}, QStringLiteral("locationStatus"));
    m_summary = wrapped({}, QStringLiteral("summary"));
    m_summary->setTextFormat(Qt::RichText);
    m_createError = wrapped({}, QStringLiteral("createError"));
    m_createError->setStyleSheet(kProblemStyle);
    m_createError->hide();
    m_createProgress = new QProgressBar;
    m_createProgress->setObjectName(QStringLiteral("createProgress"));
    m_createProgress->setRange(0, 0); // how long a git import takes is not known ahead
    m_createProgress->setFormat(tr("Creating the workspace…"));
    m_createProgress->setTextVisible(true);
    m_createProgress->hide();

    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_location, 1);
    pathRow->addWidget(browseButton);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(pathRow);
    layout->addWidget(m_locationStatus);
    layout->addSpacing(8);
    layout->addWidget(m_summary);
    layout->addStretch(1);
    layout->addWidget(m_createProgress);
    layout->addWidget(m_createError);
    return page;
}

void NewWorkspaceWizard::setLocation(const QString& dir)
{
    m_location->setText(QDir::toNativeSeparators(dir));
}

// A few stat calls: cheap enough for the UI thread on every keystroke.
void NewWorkspaceWizard::checkLocation()
{
    const QString dir = QDir::fromNativeSeparators(m_location->text().trimmed());
    if (const auto ok = WorkspaceInit::checkTarget(dir); !ok)
        setStatus(m_locationStatus, tr("✘ %1").arg(ok.error().text()), kProblemStyle);
    else
        setStatus(m_locationStatus,
                  QFileInfo::exists(dir) ? tr("✔ An empty folder: the workspace goes into it.")
                                         : tr("✔ A new folder: it will be made."),
                  kOkStyle);
    m_createError->hide();
    m_summary->setText(summary());
    refresh(LocationPageId);
}

QString NewWorkspaceWizard::summary() const
{
    const auto esc = [](const QString& s) {
        return s.toHtmlEscaped();
    };
    QString skill = tr("(not checked yet)");
    if (m_skillResult)
        skill = usesExample()
                    ? tr("%1 — the built-in example").arg(esc(m_skillResult->name))
                    : tr("%1 — from %2").arg(esc(m_skillResult->name), esc(m_skillPath->text()));
    QString tasks = tr("none");
    if (m_taskKind->currentData().toString() != kNoTasks && m_taskResult && !m_taskResult->error)
        tasks = tr("%1 %2 tasks: train %3, val %4, test %5 (seed %6)")
                    .arg(m_taskResult->report.tasks)
                    .arg(esc(m_taskKind->currentData().toString()))
                    .arg(m_taskResult->report.train)
                    .arg(m_taskResult->report.val)
                    .arg(m_taskResult->report.test)
                    .arg(m_seed->value());
    const std::map<QString, RoleConfig> r = roles();
    const auto role = [&](const QString& name) {
        return esc(r.at(name).provider + QStringLiteral(" / ") + r.at(name).model);
    };
    return tr("<table "
              "cellspacing=4><tr><td><b>Skill</b></td><td>%1</td></tr><tr><td><b>Tasks</b></"
              "td><td>%2</td></tr>"
              "<tr><td><b>Executor</b></td><td>%3</td></tr><tr><td><b>Optimizer "
              "roles</b></td><td>%4</td></tr></table>")
        .arg(skill, tasks, role(kExecutor), role(QStringLiteral("patcher")));
}

bool NewWorkspaceWizard::locationUsable() const
{
    return skillUsable() && tasksUsable() && providersUsable() && !m_creating &&
           m_created.isEmpty() &&
           WorkspaceInit::checkTarget(QDir::fromNativeSeparators(m_location->text().trimmed()))
               .ok();
}

bool NewWorkspaceWizard::validateCurrentPage()
{
    if (currentId() == LocationPageId && !m_created.isEmpty())
        return true; // the creation has ended: let the wizard close
    // next() from code skips the button's check, so the gate is repeated here.
    if (currentPage() && !currentPage()->isComplete())
        return false;
    if (currentId() != LocationPageId)
        return QWizard::validateCurrentPage();
    startCreate();
    return false; // the wizard closes when the creation reports back
}

void NewWorkspaceWizard::startCreate()
{
    const QString kind = m_taskKind->currentData().toString();
    Workspace::CreateOptions options =
        usesExample() ? m_skillResult->options
                      : WorkspaceInit::skillOptions(
                            m_skillResult->options.skillPath, kind == kNoTasks ? QString() : kind,
                            QDir::fromNativeSeparators(m_tasksPath->text().trimmed()));
    options.split = SplitCounts{m_train->value(), m_val->value(), m_test->value()};
    options.seed = quint64(m_seed->value());
    const QString dir = QDir::fromNativeSeparators(m_location->text().trimmed());
    const std::map<QString, RoleConfig> chosen = roles();

    m_creating = true;
    m_createError->hide();
    m_createProgress->show();
    refresh(LocationPageId);
    m_createWatcher->setFuture(
        QtConcurrent::run([dir, options, chosen, extractDir = m_extractDir]() -> Result<QString> {
            auto ws = WorkspaceInit::create(dir, options, chosen);
            if (!ws)
                return ws.error();
            return ws->root();
        }));
}

void NewWorkspaceWizard::onCreated()
{
    const Result<QString> result = m_createWatcher->result();
    m_creating = false;
    m_createProgress->hide();
    if (!result) {
        m_createError->setText(tr("✘ The workspace was not created; nothing was written. %1")
                                   .arg(result.error().text()));
        m_createError->show();
        refresh(LocationPageId);
        Q_EMIT creationFailed(result.error().text());
        return;
    }
    m_created = result.value();
    Q_EMIT workspaceCreated(m_created);
    accept();
}

void NewWorkspaceWizard::reject()
{
    if (m_creating)
        return; // the folder appears in one rename at the end; let it finish rather than guess
    QWizard::reject();
}

void NewWorkspaceWizard::refresh(int pageId)
{
    if (auto* gated = static_cast<GatedPage*>(page(pageId)))
        gated->refresh();
    if (pageId == LocationPageId) {
        if (QAbstractButton* back = button(QWizard::BackButton))
            back->setEnabled(!m_creating);
        if (QAbstractButton* cancel = button(QWizard::CancelButton))
            cancel->setEnabled(!m_creating);
    }
}

} // namespace sg
