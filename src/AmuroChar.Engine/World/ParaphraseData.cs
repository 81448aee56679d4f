using System.Globalization;
using AmuroChar.Tasks;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>
/// Paraphrase detection. PAWS-like: pairs with high word overlap where swapping who did what to whom changes the
/// meaning ("no"), against true paraphrases by verb synonym, passive voice or a moved phrase ("yes"), and pairs whose
/// only difference is a verb: its synonym ("yes") or another verb ("no"). Evaluation uses held-out verbs, people and
/// places, so the lexical half can only be judged with synonyms learned in pre-training.
/// OOD: QQP-like question pairs and STS-B-like graded pairs (score 0–5, "yes" iff score &gt; 3.5), with valid labels.
/// </summary>
internal sealed class ParaphraseData(TinyWorld w)
{
    public IEnumerable<TaskExample> Paws(string idPrefix, bool train, int count, Rng rng)
    {
        var labels = Items.BalancedLabels(["yes", "no"], count, rng);
        // Half the pairs turn on structure (who did what to whom: passive, moved phrase, swapped roles), half on the
        // lexicon: a synonym ("helped" / "aided": yes) or another verb ("helped" / "warned": no). The verbs are held
        // out between training and evaluation, so telling a synonym from another verb on evaluation needs the
        // synonyms pre-training taught; people and places are held out too.
        var verbs = w.VerbSplit.For(train);
        var names = w.CharacterSplit.For(train);
        var cities = w.CitySplit.For(train);
        for (int i = 0; i < count; i++)
        {
            string a = rng.Pick(names), b = rng.PickOther(names, a);
            var city = rng.Pick(cities);
            string day = rng.Pick(Lexicon.Weekdays);
            var v = rng.Pick(verbs);
            string first = $"{a} {v.Past} {b} in {city.Name} on {day}.", second;
            if (rng.Chance(0.5))
            {
                var other = rng.PickOther(verbs, v);
                second = labels[i] == "yes"
                    ? (rng.Chance(0.5) ? $"{a} {v.SynonymPast} {b} in {city.Name} on {day}." : $"On {day}, {a} {v.SynonymPast} {b} in {city.Name}.")
                    : (rng.Chance(0.5) ? $"{a} {other.Past} {b} in {city.Name} on {day}." : $"On {day}, {a} {other.SynonymPast} {b} in {city.Name}.");
            }
            else if (rng.Chance(0.8))
            {
                second = (labels[i], rng.Next(3)) switch
                {
                    ("yes", 0) => $"{b} was {v.Participle} by {a} in {city.Name} on {day}.",
                    ("yes", _) => $"On {day}, {a} {v.Past} {b} in {city.Name}.",
                    ("no", 0) => $"{b} {v.Past} {a} in {city.Name} on {day}.",
                    ("no", 1) => $"{a} was {v.Participle} by {b} in {city.Name} on {day}.",
                    _ => $"On {day}, {b} {v.Past} {a} in {city.Name}.",
                };
            }
            else
            {
                var to = rng.PickOther(cities, city);
                first = $"{a} moved from {city.Name} to {to.Name} on {day}.";
                second = labels[i] == "yes"
                    ? $"On {day}, {a} left {city.Name} for {to.Name}."
                    : $"{a} moved from {to.Name} to {city.Name} on {day}.";
            }
            yield return Items.Make($"{idPrefix}-{i}", labels[i], [a, b, city.Name], ("sentence1", first), ("sentence2", second));
        }
    }

    public IEnumerable<TaskExample> Qqp(string idPrefix, int count, Rng rng)
    {
        var labels = Items.BalancedLabels(["yes", "no"], count, rng);
        for (int i = 0; i < count; i++)
        {
            var p = rng.Pick(w.PeopleSplit.Eval);
            var (q1, same, different) = rng.Next(3) switch
            {
                0 => ($"Where does {p.Name} live?", $"In which city does {p.Name} live?", $"Where does {p.Name} work?"),
                1 => ($"What does {p.Name} do for work?", $"What is the job of {p.Name}?", $"What does {p.Name} do for fun?"),
                _ => ($"Who helped {p.Name}?", $"Who gave help to {p.Name}?", $"Who did {p.Name} help?"),
            };
            yield return Items.Make($"{idPrefix}-{i}", labels[i], [p.Name], ("sentence1", q1), ("sentence2", labels[i] == "yes" ? same : different));
        }
    }

    /// <summary>Graded pairs: the score counts what changed (0 = unrelated … 5 = same meaning); label yes iff &gt; 3.5.
    /// The labels are balanced like every other set's: each item's label is drawn first, then a grade on its side.</summary>
    public IEnumerable<TaskExample> StsB(string idPrefix, int count, Rng rng)
    {
        var labels = Items.BalancedLabels(["yes", "no"], count, rng);
        for (int i = 0; i < count; i++)
        {
            var a = rng.Pick(w.PeopleSplit.Eval);
            var b = rng.PickOther(w.PeopleSplit.Eval, a);
            var v = rng.Pick(w.VerbSplit.Eval);
            string day = rng.Pick(Lexicon.Weekdays), otherDay = rng.PickOther(Lexicon.Weekdays, day);
            string first = $"{a.Name} {v.Past} {b.Name} on {day}.";
            var (second, score) = (labels[i] == "yes" ? rng.Next(3) : 3 + rng.Next(3)) switch   // cases 0–2 score above 3.5
            {
                0 => ($"{a.Name} {v.Past} {b.Name} on {day}.", 5.0),
                1 => ($"{a.Name} {v.SynonymPast} {b.Name} on {day}.", 4.6),
                2 => ($"{b.Name} was {v.Participle} by {a.Name} on {day}.", 4.2),
                3 => ($"{a.Name} {v.Past} {b.Name} on {otherDay}.", 3.2),
                4 => ($"{b.Name} {v.Past} {a.Name} on {day}.", 2.0),
                _ => ($"The {rng.Pick(Lexicon.Things)} in {a.Home.Name} was {rng.Pick(Lexicon.Adjectives).A1}.", 0.4),
            };
            string label = score > 3.5 ? "yes" : "no";
            yield return Items.Make($"{idPrefix}-{i}", label, [a.Name, b.Name], ("sentence1", first), ("sentence2", second),
                ("score", score.ToString("0.0", CultureInfo.InvariantCulture)));
        }
    }
}
