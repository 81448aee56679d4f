using AmuroChar.Study;
using AmuroChar.Tasks;

namespace AmuroChar.Findings;

/// <summary>One evaluation a finding needs: a model (which may first need fine-tuning), a dataset, a format, a method.</summary>
public sealed record Requirement(ModelRef Model, string Dataset, string Format = TaskDefinition.DefaultFormat, string? Method = null);

/// <summary>Helpers to list what findings need.</summary>
public static class Require
{
    public static IEnumerable<Requirement> Base(IEnumerable<int> steps, IEnumerable<string> datasets, string format = TaskDefinition.DefaultFormat) =>
        from s in steps from d in datasets select new Requirement(ModelRef.Base(s), d, format);

    public static IEnumerable<Requirement> FineTuned(Measurements m, IEnumerable<int> steps, string trainSet, IEnumerable<string> datasets,
        string format = TaskDefinition.DefaultFormat, string? method = null) =>
        from s in steps from seed in m.Seeds from d in datasets select new Requirement(ModelRef.FineTuned(s, trainSet, seed), d, format, method);

    public static IEnumerable<Requirement> Instructed(IEnumerable<int> steps, IEnumerable<string> datasets) =>
        from s in steps from d in datasets select new Requirement(ModelRef.InstructionTuned(s), d);
}
