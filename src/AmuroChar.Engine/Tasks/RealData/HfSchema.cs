using System.Globalization;

namespace AmuroChar.Tasks.RealData;

/// <summary>
/// How one Hugging Face dataset's columns map onto one of our tasks, in both directions: <see cref="ToExample"/> reads
/// a record, <see cref="ToRow"/> writes an example back in the dataset's schema (so tiny-world data can stand in for
/// the real files and go through the same loader).
/// </summary>
public sealed class HfSchema
{
    /// <summary>The name callers pass to <see cref="RealDatasets.Load"/>, e.g. "mnli_matched".</summary>
    public required string Name { get; init; }

    /// <summary>The hub dataset and configuration, e.g. "nyu-mll/glue mnli"; a loaded dataset stands for this plus the split.</summary>
    public required string HfDataset { get; init; }

    public required TaskDefinition Task { get; init; }
    public required string Domain { get; init; }

    /// <summary>The columns a record must have (checked on every record), in the hub's column order.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>The column holding the example id; <c>null</c> where the hub dataset has none (SocialIQa, SciQ,
    /// google/boolq): then an optional "id" column is used when present (exports write one), else the 0-based record
    /// index.</summary>
    public string? IdColumn { get; init; }

    /// <summary>Whether the hub's id column is an integer (GLUE's <c>idx</c>); exports write such ids as numbers when
    /// they parse as one, as strings otherwise (the loader accepts both).</summary>
    public bool IntegerId { get; init; }

    /// <summary>Says why a record may be unlabeled (label -1) and what to do instead; shown in the error.</summary>
    public string UnlabeledNote { get; init; } = "hub test splits carry no labels";

    /// <summary>The label column's ClassLabel names on the Hub, in the order its integers index them, where it is a
    /// ClassLabel; a save_to_disk folder whose dataset_info.json says otherwise is refused.</summary>
    internal HubClassLabel? ClassLabel { get; init; }

    /// <summary>Maps a record (and its id) to an example; <c>null</c> means the record is unlabeled.</summary>
    internal Func<HfRow, string, TaskExample?> ToExample { get; init; } = null!; // set by every schema in HfSchemas

    /// <summary>Maps an example back to the hub's columns (the id column included, written by the caller's value).
    /// Throws <see cref="ArgumentException"/> when the example can't be expressed in this schema.</summary>
    internal Func<TaskExample, object, Dataset, IEnumerable<(string Column, object? Value)>> ToRow { get; init; } = null!;

    public override string ToString() => $"{Name} ({HfDataset} → {Task.Name})";
}

/// <summary>A ClassLabel feature of a hub dataset: its column and names (index = stored integer).</summary>
internal sealed record HubClassLabel(string Column, IReadOnlyList<string> Names);

/// <summary>An integer class-label column (GLUE style) and its words; -1 marks an unlabeled record.</summary>
internal sealed class IntLabels(string column, params (long Value, string Word)[] labels)
{
    /// <summary>Words with a value on export only: RTE has no "contradiction", which collapses into not_entailment.</summary>
    readonly Dictionary<string, long> _exportOnly = new(StringComparer.Ordinal);

    public string Column => column;

    public IntLabels ExportAlso(string word, long value) { _exportOnly[word] = value; return this; }

    public string? Read(HfRow row)
    {
        long v = row.Integer(column);
        foreach (var (value, word) in labels)
            if (value == v) return word;
        if (v == -1) return null;
        throw row.Error($"unknown label {v} in column '{column}'; valid: {Valid}");
    }

    public long Write(TaskExample e)
    {
        foreach (var (value, word) in labels)
            if (word == e.Target) return value;
        return _exportOnly.TryGetValue(e.Target, out long v)
            ? v
            : throw new ArgumentException($"example {e.Id}: label '{e.Target}' has no value in column '{column}' (valid: {Valid})");
    }

    string Valid => string.Join(", ", labels.Select(l => $"{l.Value} ({l.Word})"));
}

/// <summary>The fields of a question-generation item: the context and the candidate answers, rendered as the
/// authors did ("Answer A: … Answer B: …", or the bare answer when there is only one, as in TweetQA).</summary>
internal static class QgAnswers
{
    const string Letters = "ABCD";

    public static Dictionary<string, string> Fields(string context, IReadOnlyList<string> answers) => new()
    {
        ["context"] = context,
        ["answers"] = Render(answers),
        ["answers_plain"] = string.Join(" ", answers),
    };

    public static string Render(IReadOnlyList<string> answers) =>
        answers.Count == 1 ? answers[0] : string.Join(" ", answers.Select((a, i) => $"Answer {Letters[i]}: {a}"));

    /// <summary>The answers back from an example's fields: the rendered form split at its " Answer B: " markers. An
    /// answer that itself contains a marker, or a split that disagrees with <c>answers_plain</c>, is an error, never a
    /// silent wrong split.</summary>
    public static IReadOnlyList<string> Parse(TaskExample e, int count)
    {
        string rendered = e["answers"];
        var answers = new List<string>(count);
        if (count == 1) answers.Add(rendered);
        else
        {
            if (!rendered.StartsWith("Answer A: ", StringComparison.Ordinal)) throw Unsplittable(e, count);
            int start = "Answer A: ".Length;
            for (int i = 1; i < count; i++)
            {
                string marker = $" Answer {Letters[i]}: ";
                int end = rendered.IndexOf(marker, start, StringComparison.Ordinal);
                if (end < 0) throw Unsplittable(e, count);
                answers.Add(rendered[start..end]);
                start = end + marker.Length;
            }
            answers.Add(rendered[start..]);
            if (answers.Any(a => Letters.Any(l => a.Contains($"Answer {l}: ", StringComparison.Ordinal)))) throw Unsplittable(e, count);
        }
        if (e.Fields.TryGetValue("answers_plain", out var plain) && plain != string.Join(" ", answers)) throw Unsplittable(e, count);
        return answers;
    }

    /// <summary><paramref name="e"/> with each of its <paramref name="count"/> answers as a field of its own,
    /// <c>answer_a</c> … <c>answer_d</c>, for prompts that place them one by one (<see cref="AuthorsTemplates"/>).</summary>
    public static TaskExample WithEachAnswer(TaskExample e, int count)
    {
        var fields = new Dictionary<string, string>(e.Fields);
        var answers = Parse(e, count);
        for (int i = 0; i < answers.Count; i++) fields[$"answer_{char.ToLowerInvariant(Letters[i])}"] = answers[i];
        return e with { Fields = fields };
    }

    static ArgumentException Unsplittable(TaskExample e, int count) =>
        new($"example {e.Id}: field 'answers' cannot be split into {count} answers unambiguously: {e["answers"]}");
}

internal static class Invariant
{
    public static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
