using AmuroChar.Tasks;

namespace AmuroChar.Findings;

/// <summary>A fine-tuning task of the paper: what it trains on, where it is evaluated in and out of domain.</summary>
public sealed record FineTuneTask(string Name, string TrainSet, string EvalSet, bool IsGeneration, IReadOnlyList<string> OutOfDomain)
{
    /// <summary>The primary metric of its evaluation sets: their task's (<see cref="TaskDefinition.Metric"/>).</summary>
    public string Metric => DatasetSpecs.Get(EvalSet).Metric;
}

/// <summary>Which datasets each finding uses — the paper's design, by dataset name (the same at every scale), read from
/// the roles of <see cref="DatasetSpecs.All"/>.</summary>
public static class StudyPlan
{
    /// <summary>The benchmarks pre-training alone learns (the paper's instruction-tuning evaluation set).</summary>
    public static readonly IReadOnlyList<string> LearnedSuites = [.. DatasetSpecs.With(DatasetRoles.LearnedSuite).Select(d => d.Name)];

    /// <summary>Held-out items of the instruction-tuning data, in the chat format: the positive control that
    /// instruction tuning changed the model (the tiny world draws them from their own stream; the paper scale holds
    /// out the items after its training sample).</summary>
    public static readonly string HeldOutInstructions = $"{DatasetSpecs.Instructions.Name}/{DatasetSpecs.Instructions.Eval!.Split}";

    /// <summary>The fine-tuning tasks, in the paper's order: each training set with the in-domain and out-of-domain
    /// evaluation sets of its task definition.</summary>
    public static readonly IReadOnlyList<FineTuneTask> FineTuneTasks = [.. DatasetSpecs.With(DatasetRoles.FineTuneTrain).Select(Of)];

    public static readonly FineTuneTask Summary = For(Tasks.Tasks.Summary);
    public static readonly FineTuneTask QuestionGeneration = For(Tasks.Tasks.QuestionGeneration);
    public static readonly FineTuneTask Nli = For(Tasks.Tasks.Nli);
    public static readonly FineTuneTask Paraphrase = For(Tasks.Tasks.Paraphrase);

    public static IEnumerable<FineTuneTask> Classification => FineTuneTasks.Where(t => !t.IsGeneration);
    public static IEnumerable<FineTuneTask> Generation => FineTuneTasks.Where(t => t.IsGeneration);

    /// <summary>The prompt formats of the format-sensitivity finding (the paper's figure shows MNLI and PAWS).</summary>
    public static IReadOnlyList<FineTuneTask> FormatTasks =>
        [.. FineTuneTasks.Where(t => DatasetSpecs.Get(t.TrainSet).Is(DatasetRoles.FormatFigure))];

    static FineTuneTask For(TaskDefinition task) => FineTuneTasks.Single(t => DatasetSpecs.Get(t.TrainSet).Task == task);

    static FineTuneTask Of(DatasetSpec train)
    {
        var sameTask = DatasetSpecs.All.Where(d => d.Task == train.Task).ToList();
        return new FineTuneTask(train.FineTuning ?? throw new InvalidOperationException($"training set {train.Name} names no fine-tuning task"),
            train.Name, sameTask.Single(d => d.Is(DatasetRoles.InDomainEval)).Name, train.Task.Kind == TaskKind.Generation,
            [.. sameTask.Where(d => d.Is(DatasetRoles.OutOfDomainEval)).Select(d => d.Name)]);
    }
}
