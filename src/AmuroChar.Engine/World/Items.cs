using AmuroChar.Tasks;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>Shared helpers of the dataset generators: example construction, balanced labels, answer lists.</summary>
internal static class Items
{
    public static TaskExample Make(string id, string target, IEnumerable<string> entities, params (string Field, string Value)[] fields) =>
        new(id, fields.ToDictionary(f => f.Field, f => f.Value), target) { Entities = entities.Distinct().ToList() };

    /// <summary>Labels in equal shares, shuffled: item i gets label [i]. Keeps every set balanced by construction.</summary>
    public static List<string> BalancedLabels(IReadOnlyList<string> labels, int count, Rng rng)
    {
        var list = Enumerable.Range(0, count).Select(i => labels[i % labels.Count]).ToList();
        rng.Shuffle(list);
        return list;
    }

    /// <summary>"Answer A: x Answer B: y Answer C: z" as the authors' question-generation prompts show answers.</summary>
    public static string LabelledAnswers(IReadOnlyList<string> answers) =>
        string.Join(" ", answers.Select((a, i) => $"Answer {(char)('A' + i)}: {a}"));

    /// <summary>The QG fields for a context and its candidate answers.</summary>
    public static (string, string)[] QuestionFields(string context, IReadOnlyList<string> answers) =>
        [("context", context), ("answers", answers.Count == 1 ? answers[0] : LabelledAnswers(answers)), ("answers_plain", string.Join(" ", answers))];

    /// <summary>A multiple-choice item: the correct answer among distractors at a random position.</summary>
    public static TaskExample Choice(string id, string correct, IEnumerable<string> distractors, Rng rng, IEnumerable<string> entities,
        params (string Field, string Value)[] fields)
    {
        var choices = distractors.Where(d => d != correct).Distinct().Take(3).Append(correct).ToList();
        rng.Shuffle(choices);
        return Make(id, correct, entities, fields) with { Choices = choices, Gold = choices.IndexOf(correct) };
    }

    /// <summary><paramref name="k"/> distinct values other than <paramref name="not"/>.</summary>
    public static List<T> Others<T>(IReadOnlyList<T> pool, T not, int k, Rng rng) =>
        rng.Sample(pool.Where(x => !EqualityComparer<T>.Default.Equals(x, not)).Distinct().ToList(), k);
}
