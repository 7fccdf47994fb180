#include "WtqGrader.h"

#include <functional>

namespace sg {

namespace {

QStringList raws(const std::vector<WtqValue>& values)
{
    QStringList out;
    for (const WtqValue& v : values)
        out << v.raw;
    return out;
}

// The largest one-to-one matching of gold to predicted items (augmenting paths; sets are tiny).
int matchingSize(const std::vector<WtqValue>& gold, const std::vector<WtqValue>& predicted)
{
    std::vector<int> owner(predicted.size(), -1); // predicted index -> gold index
    std::function<bool(std::size_t, std::vector<bool>&)> assign = [&](std::size_t g,
                                                                      std::vector<bool>& seen) {
        for (std::size_t p = 0; p < predicted.size(); ++p) {
            if (seen[p] || !gold[g].matches(predicted[p]))
                continue;
            seen[p] = true;
            if (owner[p] < 0 || assign(std::size_t(owner[p]), seen)) {
                owner[p] = int(g);
                return true;
            }
        }
        return false;
    };
    int size = 0;
    for (std::size_t g = 0; g < gold.size(); ++g) {
        std::vector<bool> seen(predicted.size(), false);
        if (assign(g, seen))
            ++size;
    }
    return size;
}

} // namespace

std::vector<WtqValue> WtqGrader::goldValues(const Task& task)
{
    std::vector<WtqValue> values;
    for (qsizetype i = 0; i < task.answers.size(); ++i) {
        const QString canon = i < task.answersCanon.size() ? task.answersCanon[i] : QString();
        values.push_back(WtqValue::fromGold(task.answers[i], canon));
    }
    return values;
}

std::vector<WtqValue> WtqGrader::predictedValues(const QStringList& prediction)
{
    std::vector<WtqValue> values;
    for (const QString& item : prediction)
        values.push_back(WtqValue::fromText(item));
    return values;
}

std::vector<WtqValue> WtqGrader::distinct(const std::vector<WtqValue>& values)
{
    std::vector<WtqValue> out;
    for (const WtqValue& v : values) {
        bool seen = false;
        for (const WtqValue& kept : out)
            seen = seen || kept.sameAs(v);
        if (!seen)
            out.push_back(v);
    }
    return out;
}

Outcome WtqGrader::grade(const Task& task, const QStringList& prediction) const
{
    const std::vector<WtqValue> gold = distinct(goldValues(task));
    const std::vector<WtqValue> predicted = distinct(predictedValues(prediction));

    Outcome outcome;
    QString unmatched;
    for (const WtqValue& g : gold) {
        bool found = false;
        for (const WtqValue& p : predicted)
            found = found || g.matches(p);
        if (!found && unmatched.isEmpty())
            unmatched = g.raw;
    }
    outcome.passed = gold.size() == predicted.size() && unmatched.isEmpty();
    const std::size_t larger = std::max(gold.size(), predicted.size());
    outcome.score = outcome.passed ? 1.0
                    : larger == 0  ? 0.0
                                   : double(matchingSize(gold, predicted)) / double(larger);
    if (outcome.passed)
        return outcome;

    outcome.evidence = QStringLiteral("expected %1, got %2")
                           .arg(quoteList(raws(gold)), quoteList(raws(predicted)));
    if (predicted.empty())
        outcome.evidence += QStringLiteral(": no answer");
    else if (gold.size() != predicted.size())
        outcome.evidence += QStringLiteral(": %1 distinct item(s) where gold has %2")
                                .arg(predicted.size())
                                .arg(gold.size());
    else
        outcome.evidence += QStringLiteral(": nothing matches %1").arg(quote(unmatched));
    return outcome;
}

} // namespace sg
