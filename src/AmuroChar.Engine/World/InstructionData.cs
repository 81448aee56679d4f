using AmuroChar.Tasks;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>
/// The Tulu v2 analogue: varied instruction → response pairs (fact questions, a yes/no question, listing, opposites,
/// rewriting, short descriptions, and requests for a short text answered in the corpus's own prose) for the chat
/// format. None of them is one of the four fine-tuning tasks (no summaries, no question writing, no inference or
/// paraphrase judgements), and none asks what a learned suite asks in the direction it asks it: no listing of a class's
/// animals, no asking where an animal lives (the ARC-Easy analogue's question), and its yes/no question is about words,
/// not places (the frozen design of the first confirmation asked "Is CITY in COUNTRY?", the BoolQ analogue's own
/// question: instruction tuning moved BoolQ by −0.17 on world seed 2 at step 2000; docs/results.md has the other
/// replacements tried).
/// </summary>
internal sealed class InstructionData(TinyWorld w)
{
    public IEnumerable<TaskExample> Tulu(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var (prompt, response, entities) = (i % 10) switch
            {
                0 => Home(rng),
                1 => OppositeYesNo(rng),
                2 => ListResidents(rng),
                3 => Opposite(rng),
                4 => PastTense(rng),
                5 => Describe(rng),
                6 => AnimalFood(rng),
                7 => TeamCity(rng),
                _ => Write(rng),
            };
            yield return Items.Make($"{idPrefix}-{i}", response, entities, ("prompt", prompt));
        }
    }

    (string, string, string[]) Home(Rng rng)
    {
        var p = rng.Pick(w.People);
        return ($"Where does {p.Name} live?", $"{p.Name} lives in {p.Home.Name}, a city in {p.Home.Country.Name}.", [p.Name]);
    }

    /// <summary>The yes/no question: whether a word is another's opposite (yes for its antonym, no for its synonym, half
    /// each) — what <see cref="Opposite"/> teaches, asked the other way; about words, not about a place or a person.</summary>
    (string, string, string[]) OppositeYesNo(Rng rng)
    {
        var c = rng.Pick(Lexicon.Adjectives);
        string word = rng.Pick(c.Words.ToList());
        bool yes = rng.Chance(0.5);
        string asked = yes ? c.AntonymOf(word) : c.SynonymOf(word);
        return ($"Is {asked} the opposite of {word}? Answer yes or no.",
            yes ? $"Yes, {asked} is the opposite of {word}." : $"No, {asked} means the same as {word}.", []);
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

    /// <summary>Requests for a short text answered with the corpus's own prose, in its five narrative genres: Tulu v2
    /// is mostly open-ended requests with long free-text answers (ShareGPT, Alpaca, LIMA), whose text is like a
    /// pre-training corpus's, not a handful of answer templates; training only on short templated answers pulls a tiny
    /// model's next-word distribution toward them. The documents are new draws, not the corpus's.</summary>
    (string, string, string[]) Write(Rng rng)
    {
        var (genre, request) = rng.Pick(WritingRequests);
        return (request, Corpus.Write(w, genre, rng), []);
    }

    static readonly (string Genre, string Request)[] WritingRequests =
    [
        ("encyclopedia", "Write a short encyclopedia entry."), ("encyclopedia", "Write a few facts about a place or a person."),
        ("news", "Write a short news report."), ("sports", "Write a short sports report."),
        ("science", "Write a short note about animals or materials."), ("social", "Write a short story about two people."),
    ];

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
