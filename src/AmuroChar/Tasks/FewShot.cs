namespace AmuroChar.Tasks;

/// <summary>
/// Few-shot demonstrations. k items are drawn (seeded) from a pool that is not the evaluated set, and never an item
/// with an evaluated item's id — the authors' scripts took the first k evaluation items and scored them too; we
/// don't. One draw serves every item of an evaluation, so the demonstrations form a prefix the model computes once.
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

    /// <summary>The demonstrations rendered with their answers, each followed by the delimiter ("" for zero shots).</summary>
    public static string Prefix(TaskDefinition task, string format, IReadOnlyList<TaskExample> demos) =>
        string.Concat(demos.Select(d => task.RenderPrompt(d, format) + task.Continuation(d.Target) + Delimiter));
}
