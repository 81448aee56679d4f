using AmuroChar.Tasks;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>
/// The Tulu v2 analogue: varied instruction → response pairs (fact questions, yes/no questions, listing, opposites,
/// rewriting, short descriptions) for the chat format. None of them is one of the four fine-tuning tasks (no
/// summaries, no question writing, no inference or paraphrase judgements), and none asks what a learned suite asks in
/// the direction it asks it (no listing of a class's animals, no asking where an animal lives: that is the ARC-Easy
/// analogue's question) — but one: <see cref="CountryYesNo"/> is the BoolQ analogue's question, an oversight found after
/// the design was frozen and confirmed, kept until a new pre-registration (a job question in its place, tried on seeds 1
/// and 6, did not help: docs/results.md).
/// </summary>
internal sealed class InstructionData(TinyWorld w)
{
    public IEnumerable<TaskExample> Tulu(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var (prompt, response, entities) = (i % 8) switch
            {
                0 => Home(rng),
                1 => CountryYesNo(rng),
                2 => ListResidents(rng),
                3 => Opposite(rng),
                4 => PastTense(rng),
                5 => Describe(rng),
                6 => AnimalFood(rng),
                _ => TeamCity(rng),
            };
            yield return Items.Make($"{idPrefix}-{i}", response, entities, ("prompt", prompt));
        }
    }

    (string, string, string[]) Home(Rng rng)
    {
        var p = rng.Pick(w.People);
        return ($"Where does {p.Name} live?", $"{p.Name} lives in {p.Home.Name}, a city in {p.Home.Country.Name}.", [p.Name]);
    }

    (string, string, string[]) CountryYesNo(Rng rng)
    {
        var c = rng.Pick(w.Cities);
        bool yes = rng.Chance(0.5);
        var asked = yes ? c.Country : rng.PickOther(w.Countries, c.Country);
        return ($"Is {c.Name} in {asked.Name}? Answer yes or no.", yes ? $"Yes, {c.Name} is in {c.Country.Name}." : $"No, {c.Name} is in {c.Country.Name}.", [c.Name]);
    }

    /// <summary>A listing instruction about people, not animals: listing a class's members is the inverse look-up the
    /// OpenBookQA and ARC-Challenge analogues ask ("Which of these can fly?"), and instructions must not be the
    /// suites' questions.</summary>
    (string, string, string[]) ListResidents(Rng rng)
    {
        var city = rng.Pick(w.Cities.Where(c => w.People.Count(p => p.Home == c) >= 2).ToList());
        var two = rng.Sample(w.People.Where(p => p.Home == city).ToList(), 2);
        return ($"Name two people who live in {city.Name}.", $"{two[0].Name} and {two[1].Name} live in {city.Name}.", [two[0].Name, two[1].Name, city.Name]);
    }

    (string, string, string[]) Opposite(Rng rng)
    {
        var c = rng.Pick(Lexicon.Adjectives);
        string word = rng.Pick(c.Words.ToList());
        return ($"What is the opposite of {word}?", $"The opposite of {word} is {c.AntonymOf(word)}.", []);
    }

    (string, string, string[]) PastTense(Rng rng)
    {
        var v = rng.Pick(Lexicon.Verbs);
        var a = rng.Pick(w.People);
        var b = rng.PickOther(w.People, a);
        return ($"Rewrite this sentence in the past tense: {a.Name} {v.Present} {b.Name}.", $"{a.Name} {v.Past} {b.Name}.", [a.Name, b.Name]);
    }

    (string, string, string[]) Describe(Rng rng)
    {
        var p = rng.Pick(w.People);
        return ($"Write one sentence about {p.Name}.", $"{p.Name} is a {p.Job} who lives in {p.Home.Name}.", [p.Name]);
    }

    /// <summary>What an animal eats — not where it lives, which the ARC-Easy analogue asks (with it, instruction tuning
    /// moved OpenBookQA's two-hop answers by −0.113 at step 800 on seed 1).</summary>
    (string, string, string[]) AnimalFood(Rng rng)
    {
        var a = rng.Pick(w.Animals);
        return ($"Tell me what the {a.Name} eats.", $"The {a.Name} eats {a.Diet}.", [a.Name]);
    }

    (string, string, string[]) TeamCity(Rng rng)
    {
        var t = rng.Pick(w.Teams);
        return ($"Which city do the {t.Name} come from?", $"The {t.Name} come from {t.Home.Name}.", [t.Name]);
    }
}
