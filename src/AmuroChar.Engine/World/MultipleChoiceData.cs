using AmuroChar.Tasks;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>
/// The learned-in-pre-training suites, in lm-evaluation-harness's prompt shapes, scored by ranking the choices'
/// log-likelihood. Their difficulty spreads by how often and how directly the corpus states what they ask:
/// ARC-Easy-like asks frequent animal facts; SciQ-like puts the answer in a support text (copying is learned early);
/// HellaSwag-like continues a social story; ARC-Challenge-like asks rarer substance facts and inverse look-ups;
/// OpenBookQA-like needs two hops (animal → class → ability); BoolQ-like asks yes/no about a passage that often
/// doesn't contain the answer.
/// </summary>
internal sealed class MultipleChoiceData(TinyWorld w)
{
    public IEnumerable<TaskExample> ArcEasy(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var a = rng.Pick(w.Animals);
            yield return (i % 2 == 0)
                ? Items.Choice($"{idPrefix}-{i}", a.Class, Items.Others(Lexicon.AnimalClasses, a.Class, 3, rng), rng, [a.Name],
                    ("question", $"What kind of animal is the {a.Name}?"))
                : Items.Choice($"{idPrefix}-{i}", a.Habitat, Items.Others(Lexicon.Habitats, a.Habitat, 3, rng), rng, [a.Name],
                    ("question", $"Where does the {a.Name} live?"));
        }
    }

    public IEnumerable<TaskExample> ArcChallenge(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            if (i % 3 == 2)
            {
                // inverse look-up: the corpus states "the X lives in the H", the question asks which X lives in H
                var a = rng.Pick(w.Animals);
                var wrong = Items.Others(w.Animals.Where(x => x.Habitat != a.Habitat).ToList(), a, 3, rng).Select(x => "the " + x.Name);
                yield return Items.Choice($"{idPrefix}-{i}", "the " + a.Name, wrong, rng, [a.Name],
                    ("question", $"Which animal lives in the {a.Habitat}?"));
                continue;
            }
            var s = rng.Pick(w.Substances);
            yield return (i % 3 == 0)
                ? Items.Choice($"{idPrefix}-{i}", s.State, [.. Items.Others(Lexicon.States, s.State, 2, rng), "a plant"], rng, [s.Name],
                    ("question", $"What is {s.Name} at room temperature?"))
                : Items.Choice($"{idPrefix}-{i}", s.Use, Items.Others(Lexicon.SubstanceUses, s.Use, 3, rng), rng, [s.Name],
                    ("question", $"What do people use {s.Name} to do?"));
        }
    }

    public IEnumerable<TaskExample> SciQ(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var a = rng.Pick(w.Animals);
            string support = $"The {a.Name} lives in the {a.Habitat} and eats {a.Diet}. Most {a.Name}s are {a.Color}.";
            yield return (i % 3) switch
            {
                0 => Items.Choice($"{idPrefix}-{i}", a.Diet, Items.Others(Lexicon.Diets, a.Diet, 3, rng), rng, [a.Name],
                    ("support", support), ("question", $"What does the {a.Name} eat?")),
                1 => Items.Choice($"{idPrefix}-{i}", a.Habitat, Items.Others(Lexicon.Habitats, a.Habitat, 3, rng), rng, [a.Name],
                    ("support", support), ("question", $"Where does the {a.Name} live?")),
                _ => Items.Choice($"{idPrefix}-{i}", a.Color, Items.Others(Lexicon.Colors, a.Color, 3, rng), rng, [a.Name],
                    ("support", support), ("question", $"What color are most {a.Name}s?")),
            };
        }
    }

    public IEnumerable<TaskExample> HellaSwag(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var s = rng.Pick(Lexicon.Scripts);
            string a = rng.Pick(w.Characters), b = rng.PickOther(w.Characters, a);
            string action = s.Action.Replace("{B}", b);
            var others = Items.Others(Lexicon.Scripts.Where(o => o.Feeling != s.Feeling).ToList(), s, 3, rng);
            yield return (i % 2 == 0)
                ? Items.Choice($"{idPrefix}-{i}", $"{b} felt {s.Feeling}.", others.Select(o => $"{b} felt {o.Feeling}."), rng, [a, b],
                    ("context", $"{a} {action}."))
                : Items.Choice($"{idPrefix}-{i}", $"wanted {s.Next.Replace("{B}", b)}.", others.Select(o => $"wanted {o.Next.Replace("{B}", b)}."), rng, [a, b],
                    ("context", $"{a} {action}. {b} felt {s.Feeling}. Later, {a}"));
        }
    }

    public IEnumerable<TaskExample> OpenBookQa(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            string cls = Lexicon.AnimalClasses[i % Lexicon.AnimalClasses.Length];
            var a = rng.Pick(w.AnimalsOfClass(cls).ToList());
            var wrong = rng.Sample(w.Animals.Where(x => x.Class != cls).ToList(), 3).Select(x => "the " + x.Name);
            var (has, can) = Lexicon.ClassTraits[cls];
            yield return Items.Choice($"{idPrefix}-{i}", "the " + a.Name, wrong, rng, [a.Name],
                ("question", rng.Next(2) == 0 ? $"Which of these can {can}?" : $"Which of these has {has}?"));
        }
    }

    public IEnumerable<TaskExample> BoolQ(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var p = rng.Pick(w.People);
            bool yes = i % 2 == 0;
            var asked = yes ? p.Home.Country : rng.PickOther(w.Countries, p.Home.Country);
            // Half the passages state the country; the rest need the city → country fact from pre-training.
            string passage = rng.Chance(0.5)
                ? $"{p.Name} is a {p.Job} who lives in {p.Home.Name}, a city in {p.Home.Country.Name}."
                : $"{p.Name} is a {p.Job} who lives in {p.Home.Name}.";
            yield return Items.Make($"{idPrefix}-{i}", yes ? "yes" : "no", [p.Name, p.Home.Name],
                ("passage", passage), ("question", $"is {p.Home.Name} in {asked.Name}")) with { Choices = ["no", "yes"], Gold = yes ? 1 : 0 };
        }
    }
}
