using AmuroChar.Tasks;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>
/// Question generation. SocialIQa-like: a social situation and three candidate answers → the question they answer.
/// Which question it is ("How would B feel…", "Why did A…", "What will A want…", "How would you describe A?")
/// follows from what kind of answers they are — feelings, motives, next wishes, traits — which the corpus's social
/// stories teach; evaluation uses held-out scripts and people.
/// OOD: SciQ-like science support with four answers (correct first, as the authors formatted it); TweetQA-like
/// informal posts with one answer.
/// </summary>
internal sealed class QuestionGenerationData(TinyWorld w)
{
    static readonly string[] Kinds = ["feel", "why", "next", "describe"];

    public IEnumerable<TaskExample> SocialIqa(string idPrefix, bool train, int count, Rng rng)
    {
        // Everyday characters, held out between training and evaluation: the question must name them, so a model
        // that has learned to copy names from its context does better than one that memorised the training names.
        var scripts = w.ScriptSplit.For(train);
        var names = w.CharacterSplit.For(train);
        for (int i = 0; i < count; i++)
        {
            var s = rng.Pick(scripts);
            string a = rng.Pick(names);
            string b = rng.PickOther(names, a);
            string Fill(string t) => t.Replace("{B}", b);
            string context = rng.Next(3) switch
            {
                0 => $"{a} {Fill(s.Action)}.",
                1 => $"{a} {Fill(s.Action)} after work.",
                _ => $"Yesterday, {a} {Fill(s.Action)}.",
            };
            string kind = Kinds[i % Kinds.Length];
            var others = Items.Others(Lexicon.Scripts, s, 2, rng);
            var (question, correct, wrong) = kind switch
            {
                "feel" => ($"How would {b} feel as a result?", s.Feeling, others.Select(o => o.Feeling)),
                "why" => ($"Why did {a} do this?", Fill(s.Motive), others.Select(o => Fill(o.Motive))),
                "next" => ($"What will {a} want to do next?", Fill(s.Next), others.Select(o => Fill(o.Next))),
                _ => ($"How would you describe {a}?", s.Trait, others.Select(o => o.Trait)),
            };
            var answers = wrong.Append(correct).ToList();
            rng.Shuffle(answers);
            yield return Items.Make($"{idPrefix}-{i}", question, [a, b], Items.QuestionFields(context, answers));
        }
    }

    public IEnumerable<TaskExample> SciQ(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var an = rng.Pick(w.AnimalSplit.Eval);
            string support = $"The {an.Name} is {Facts.A(an.Class)} that lives in the {an.Habitat}. It eats {an.Diet} and is {an.Color}.";
            var (question, correct, pool) = rng.Next(3) switch
            {
                0 => ($"What does the {an.Name} eat?", an.Diet, Lexicon.Diets),
                1 => ($"Where does the {an.Name} live?", an.Habitat, Lexicon.Habitats),
                _ => ($"What kind of animal is the {an.Name}?", an.Class, Lexicon.AnimalClasses),
            };
            var answers = new[] { correct }.Concat(Items.Others(pool, correct, 3, rng)).ToList();
            yield return Items.Make($"{idPrefix}-{i}", question, [an.Name], Items.QuestionFields(support, answers));
        }
    }

    public IEnumerable<TaskExample> TweetQa(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                var a = rng.Pick(w.TeamSplit.Eval);
                var b = rng.PickOther(w.Teams, a);
                string tweet = $"{rng.Pick(["wow", "omg", "yes"])} the {a.Name} beat the {b.Name} again in {a.Home.Name} today {rng.Pick(["!!", "lol", ":)"])}";
                yield return Items.Make($"{idPrefix}-{i}", $"Who beat the {b.Name}?", [a.Name, b.Name, a.Home.Name], Items.QuestionFields(tweet, [$"the {a.Name}"]));
            }
            else
            {
                var p = rng.Pick(w.PeopleSplit.Eval);
                string inst = rng.Pick(Lexicon.Institutions);
                string tweet = $"just met {p.Name} at the {inst} in {p.Home.Name}, so {rng.Pick(["kind", "gentle", "bold"])} {rng.Pick(["lol", "!!", ":)"])}";
                yield return Items.Make($"{idPrefix}-{i}", $"Where did they meet {p.Name}?", [p.Name, p.Home.Name], Items.QuestionFields(tweet, [$"at the {inst}"]));
            }
        }
    }
}
