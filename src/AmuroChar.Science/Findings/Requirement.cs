using AmuroChar.Study;
using AmuroChar.Tasks;

namespace AmuroChar.Findings;

/// <summary>One evaluation a finding needs: a model (which may first need fine-tuning), a dataset, a format, a method,
/// and the number of demonstrations (null: the scale's default for that kind of model).</summary>
public sealed record Requirement(ModelRef Model, string Dataset, string Format = TaskDefinition.DefaultFormat, string? Method = null, int? Shots = null);

/// <summary>Helpers to list what findings need.</summary>
public static class Require
{
    public static IEnumerable<Requirement> Base(IEnumerable<int> steps, IEnumerable<string> datasets, string format = TaskDefinition.DefaultFormat, int? shots = null) =>
        from s in steps from d in datasets select new Requirement(ModelRef.Base(s), d, format, Shots: shots);

    /// <summary>The base models a fine-tuned model is compared with: at the fine-tuned models' shots (like for like)
    /// and, where the scale's base shots differ, at those too (the paper's comparison, reported beside).</summary>
    public static IEnumerable<Requirement> BaseForGains(Measurements m, IEnumerable<int> steps, IEnumerable<string> datasets)
    {
        var list = datasets.ToList();
        return m.ShotsDiffer ? Base(steps, list, shots: m.Scale.FineTunedShots).Concat(Base(steps, list)) : Base(steps, list);
    }

    public static IEnumerable<Requirement> FineTuned(Measurements m, IEnumerable<int> steps, string trainSet, IEnumerable<string> datasets,
        string format = TaskDefinition.DefaultFormat, string? method = null) =>
        from s in steps from seed in m.Seeds from d in datasets select new Requirement(ModelRef.FineTuned(s, trainSet, seed), d, format, method);

    public static IEnumerable<Requirement> Instructed(Measurements m, IEnumerable<int> steps, IEnumerable<string> datasets) =>
        from s in steps from seed in m.Scale.InstructionSeeds from d in datasets select new Requirement(ModelRef.InstructionTuned(s, seed), d);
}
