namespace AmuroChar.Findings;

/// <summary>A fine-tuning task of the paper: what it trains on, where it is evaluated in and out of domain.</summary>
public sealed record FineTuneTask(string Name, string TrainSet, string EvalSet, bool IsGeneration, IReadOnlyList<string> OutOfDomain)
{
    public string Metric => IsGeneration ? "rougeL" : "acc";
}

/// <summary>Which datasets each finding uses — the paper's design, by dataset name (the same at every scale).</summary>
public static class StudyPlan
{
    /// <summary>The benchmarks pre-training alone learns (the paper's instruction-tuning evaluation set).</summary>
    public static readonly IReadOnlyList<string> LearnedSuites = ["arc_easy", "arc_challenge", "sciq", "hellaswag", "openbookqa", "boolq"];

    /// <summary>Held-out items of the instruction-tuning data, in the chat format: the positive control that
    /// instruction tuning changed the model (the tiny world draws them from their own stream; the paper scale holds
    /// out the items after its training sample).</summary>
    public const string HeldOutInstructions = "tulu/test";

    public static readonly FineTuneTask Summary = new("summary", "xsum", "xsum", true, ["cnn_dailymail", "xlsum"]);
    public static readonly FineTuneTask QuestionGeneration = new("question generation", "socialiqa", "socialiqa", true, ["sciq_qg", "tweetqa"]);
    public static readonly FineTuneTask Nli = new("NLI", "mnli", "mnli_matched", false, ["mnli_mismatched", "rte", "gpt3nli"]);
    public static readonly FineTuneTask Paraphrase = new("paraphrase", "paws", "paws", false, ["qqp", "stsb"]);

    public static readonly IReadOnlyList<FineTuneTask> FineTuneTasks = [Summary, QuestionGeneration, Nli, Paraphrase];
    public static IEnumerable<FineTuneTask> Classification => FineTuneTasks.Where(t => !t.IsGeneration);
    public static IEnumerable<FineTuneTask> Generation => FineTuneTasks.Where(t => t.IsGeneration);

    /// <summary>The prompt formats of the format-sensitivity finding (the paper's figure shows MNLI and PAWS).</summary>
    public static IReadOnlyList<FineTuneTask> FormatTasks => [Nli, Paraphrase];
}
