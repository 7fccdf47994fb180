#include "DiffDialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringView>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <QVBoxLayout>

namespace sg {

namespace {

// Colours that read on light and dark palettes alike.
const QColor kAdded(0x2e, 0x9d, 0x4a);
const QColor kRemoved(0xd0, 0x3c, 0x3c);
const QColor kHunk(0x2a, 0x8d, 0xb8);

// Colours one line of a unified diff by its first characters; no state across lines.
class DiffHighlighter : public QSyntaxHighlighter
{
public:
    explicit DiffHighlighter(QTextDocument* document) : QSyntaxHighlighter(document)
    {
        m_added.setForeground(kAdded);
        m_removed.setForeground(kRemoved);
        m_hunk.setForeground(kHunk);
        m_file.setFontWeight(QFont::Bold);
    }

protected:
    void highlightBlock(const QString& text) override
    {
        if (text.isEmpty())
            return;
        const QStringView line(text);
        if (line.startsWith(u"diff ") || line.startsWith(u"+++") || line.startsWith(u"---") ||
            line.startsWith(u"index ") || line.startsWith(u"new file") ||
            line.startsWith(u"deleted file") || line.startsWith(u"rename "))
            setFormat(0, int(text.size()), m_file);
        else if (line.startsWith(u"@@"))
            setFormat(0, int(text.size()), m_hunk);
        else if (line.front() == u'+')
            setFormat(0, int(text.size()), m_added);
        else if (line.front() == u'-')
            setFormat(0, int(text.size()), m_removed);
    }

private:
    QTextCharFormat m_added;
    QTextCharFormat m_removed;
    QTextCharFormat m_hunk;
    QTextCharFormat m_file;
};

// "3 files changed, +12 −4": counted from the patch text, not from a second diff.
QString stats(const QString& patch)
{
    int files = 0, added = 0, removed = 0;
    for (QStringView line : QStringView(patch).split(u'\n')) {
        if (line.startsWith(u"diff --git "))
            ++files;
        else if (line.startsWith(u"+++") || line.startsWith(u"---"))
            continue;
        else if (line.startsWith(u'+'))
            ++added;
        else if (line.startsWith(u'-'))
            ++removed;
    }
    const QString changed = files == 1 ? DiffDialog::tr("1 file changed")
                                       : DiffDialog::tr("%1 files changed").arg(files);
    return DiffDialog::tr("%1, +%2 −%3").arg(changed).arg(added).arg(removed);
}

} // namespace

DiffDialog::DiffDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("diffDialog"));
    setModal(false);
    setAttribute(Qt::WA_DeleteOnClose);
    resize(900, 640);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("diffSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("diffText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    new DiffHighlighter(m_text->document());

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
}

void DiffDialog::setDiff(const QString& title, const QString& patch)
{
    m_patch = patch;
    setWindowTitle(tr("Diff: %1").arg(title));
    QString heading = title;
    if (!heading.isEmpty())
        heading[0] = heading[0].toUpper();
    const QString detail =
        patch.trimmed().isEmpty() ? tr("No differences: both have the same files.") : stats(patch);
    m_summary->setText(QStringLiteral("<b>%1</b><br>%2").arg(heading.toHtmlEscaped(), detail));
    m_text->setPlainText(patch);
    m_text->setPlainText(patch);
}

} // namespace sg
