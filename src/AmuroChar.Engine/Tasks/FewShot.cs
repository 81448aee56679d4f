namespace AmuroChar.Tasks;

/// <summary>
/// Few-shot demonstrations, in both ways <see cref="AmuroChar.Evaluation.EvalProtocol"/> picks: drawn (seeded) from a
/// pool that is not the evaluated set and never an evaluated item's id (<see cref="Draw"/>, like-for-like), or the
/// evaluated set's own first k, scored too, as the authors' scripts took them (<see cref="First"/>). One choice serves
/// every item of an evaluation, so the demonstrations form a prefix the model computes once.
/// </summary>
public static class FewShot
{
    public const string Delimiter = "\n\n";

    public static IReadOnlyList<TaskExample> Draw(Dataset pool, int shots, int seed, IEnumerable<string> evaluatedIds)
    {
        if (shots < 0) throw new ArgumentOutOfRangeException(nameof(shots), shots, "shots must be ≥ 0");
        if (shots == 0) return [];
        var excluded = evaluatedIds.ToHashSet();
        var candidates = pool.Examples.Where(e => !excluded.Contains(e.Id)).ToList();
        if (candidates.Count < shots)
            throw new ArgumentException($"few-shot pool {pool.Key} has {candidates.Count} usable items, fewer than {shots} shots");
        return AmuroChar.Randomness.Rng.For(seed, $"fewshot/{pool.Key}").Sample(candidates, shots);
    }

    /// <summary>The first <paramref name="shots"/> items of <paramref name="data"/> itself, as the authors' scripts took
    /// them (those items are then scored too).</summary>
    public static IReadOnlyList<TaskExample> First(Dataset data, int shots)
    {
        if (shots < 0) throw new ArgumentOutOfRangeException(nameof(shots), shots, "shots must be ≥ 0");
        if (data.Examples.Count < shots) throw new ArgumentException($"{data.Key} has {data.Examples.Count} items, fewer than {shots} shots");
        return [.. data.Examples.Take(shots)];
    }

    /// <summary>The demonstrations rendered with their answers, each followed by <paramref name="delimiter"/> ("" for
    /// zero shots). <paramref name="asWritten"/>: the prompt exactly as its template writes it, then the answer with
    /// nothing between (the authors' <c>prompt + completion</c>); otherwise the prompt without trailing whitespace and
    /// the answer after the task's delimiter. The two agree wherever a template ends in one space.</summary>
    public static string Prefix(TaskDefinition task, string format, IReadOnlyList<TaskExample> demos, string delimiter = Delimiter, bool asWritten = false) =>
        string.Concat(demos.Select(d => (asWritten ? PromptTemplate.Render(task.Template(format), d) + d.Target : task.RenderPrompt(d, format) + task.Continuation(d.Target)) + delimiter));
}
