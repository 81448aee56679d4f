namespace AmuroChar.Tasks;

/// <summary>What a dataset is to the study's design. <c>StudyPlan</c> derives its lists from these: a fine-tuning task
/// is the <see cref="FineTuneTrain"/> set of a <see cref="TaskDefinition"/> with the <see cref="InDomainEval"/> and
/// <see cref="OutOfDomainEval"/> sets of the same task definition.</summary>
[Flags]
public enum DatasetRoles
{
    None = 0,
    /// <summary>Its train split fine-tunes a checkpoint (the fine-tuning task <see cref="DatasetSpec.FineTuning"/>).</summary>
    FineTuneTrain = 1,
    /// <summary>Its evaluation split is the in-domain evaluation of its task's fine-tuning.</summary>
    InDomainEval = 2,
    /// <summary>An out-of-domain evaluation of its task's fine-tuning, in declaration order.</summary>
    OutOfDomainEval = 4,
    /// <summary>A benchmark pre-training alone learns (the instruction-tuning finding's evaluation set too).</summary>
    LearnedSuite = 8,
    /// <summary>The instruction-tuning data; its evaluation split is the held-out instructions.</summary>
    InstructionData = 16,
    /// <summary>Its fine-tuning task is in the format-sensitivity figure (the paper's shows MNLI and PAWS).</summary>
    FormatFigure = 32,
}

/// <summary>Which of the tiny world's sizes (<c>DataConfig</c>) a split gets: a size, not a role (MNLI mismatched is
/// out of domain but sized as an evaluation set). Generation and classification sizes differ for the first three
/// (Chat counts as generation).</summary>
public enum SplitSize { FineTuneTrain, Eval, OutOfDomain, MultipleChoice, InstructionTrain }

/// <summary>One split of a dataset: "train", or the evaluation split (the paper's name for it: test, validation). Every
/// evaluation split also has a few-shot pool, split "fewshot" (in the tiny world drawn from its own stream, from the
/// training side for an in-domain set; at the paper scale the train file's or the evaluated file's first items).</summary>
/// <param name="StandsFor">The paper's dataset and split this one is, as <c>datasets list</c> shows it.</param>
public sealed record SplitSpec(string Split, SplitSize Size, string StandsFor)
{
    public const string Train = "train", FewShot = "fewshot";

    public bool IsTrain => Split == Train;

    /// <summary>False for a split the paper scale takes from another file: Tulu has no test split, so its held-out
    /// instructions are the items after the training sample of <c>tulu.train</c>.</summary>
    public bool OnDisk { get; init; } = true;
}

/// <summary>
/// One dataset of the study, declared once (<see cref="DatasetSpecs.All"/>): its task (prompt formats, labels, primary
/// metric), splits, role in the plan, domain, and the Hugging Face schemas its paper-scale file may come in, in
/// preference order (the first is what <c>datasets export</c> writes). The tiny world's generator of the same name is
/// in <c>TinyWorldDatasets</c>.
/// </summary>
public sealed record DatasetSpec(string Name, TaskDefinition Task, string Domain)
{
    public required DatasetRoles Roles { get; init; }
    public required IReadOnlyList<SplitSpec> Splits { get; init; }
    public required IReadOnlyList<string> Schemas { get; init; }

    /// <summary>The fine-tuning task's name in the findings ("NLI"), on its <see cref="DatasetRoles.FineTuneTrain"/> set.</summary>
    public string? FineTuning { get; init; }

    /// <summary>The paper evaluates RTE and TweetQA on their training splits (RTE's test labels are hidden), so their
    /// evaluation split is read from <c>&lt;name&gt;.train</c>.</summary>
    public bool EvaluatedOnTrainSplit { get; init; }

    /// <summary>The metric its results are judged by: the task's.</summary>
    public string Metric => Task.Metric;

    public bool Is(DatasetRoles role) => (Roles & role) == role;

    public SplitSpec? Train => Splits.FirstOrDefault(s => s.IsTrain);

    /// <summary>The evaluated split, or null for a training set only (MNLI's train; its evaluation set is mnli_matched).</summary>
    public SplitSpec? Eval => Splits.FirstOrDefault(s => !s.IsTrain);

    /// <summary>The split of the paper's file that holds <paramref name="split"/>: train for the sets evaluated on it.</summary>
    public string FileSplit(string split) => EvaluatedOnTrainSplit ? SplitSpec.Train : split;

    /// <summary>The stem a split is read from at the paper scale, <c>&lt;name&gt;.&lt;file split&gt;</c>.</summary>
    public string FileStem(string split) => $"{Name}.{FileSplit(split)}";
}
