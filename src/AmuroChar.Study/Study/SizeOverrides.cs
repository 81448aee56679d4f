using AmuroChar.Training;

namespace AmuroChar.Study;

/// <summary>
/// A scale with only its sizes shrunk: the paper scale in miniature (CI, or a user trying the path on a laptop) runs
/// the very inputs, study, findings and report a GPU run does, with fewer items, shorter sequences, fewer epochs and
/// shorter generations. Every override changes results, so each is part of the result keys: the fine-tuning
/// settings and the generation length through the configs the keys already hold, the item cap through the inputs'
/// identity. At such sizes the numbers mean nothing, so claims are judged and reported but not asserted.
/// </summary>
public sealed record SizeOverrides
{
    /// <summary>Each split the study reads keeps its first N rows (training sets after the paper's shuffle); the
    /// few-shot pool is at most N rows too, so a small file still leaves items to evaluate.</summary>
    public int? MaxItems { get; init; }
    /// <summary>Fine-tuning and instruction-tuning examples are cut to this many tokens.</summary>
    public int? MaxLength { get; init; }
    /// <summary>Fine-tuning and instruction-tuning epochs.</summary>
    public int? Epochs { get; init; }
    /// <summary>Greedy generation stops after this many tokens.</summary>
    public int? MaxNewTokens { get; init; }

    public bool IsEmpty => MaxItems is null && MaxLength is null && Epochs is null && MaxNewTokens is null;

    /// <summary>The scale with these sizes (the scale itself when nothing is overridden).</summary>
    public Scale Apply(Scale scale) => IsEmpty ? scale : scale with
    {
        FineTune = Shrink(scale.FineTune),
        Instruct = Shrink(scale.Instruct),
        MaxNewTokens = MaxNewTokens ?? scale.MaxNewTokens,
        Shrunk = this,
    };

    FineTuneConfig Shrink(FineTuneConfig config) =>
        config with { MaxLength = MaxLength ?? config.MaxLength, Epochs = Epochs ?? config.Epochs };

    /// <summary>What is wrong with the values (each must be ≥ 1), named by their CLI options, or null.</summary>
    public string? Problem() =>
        string.Join("; ", new (string Option, int? Value)[] { ("--max-items", MaxItems), ("--max-length", MaxLength), ("--epochs", Epochs), ("--max-new-tokens", MaxNewTokens) }
            .Where(o => o.Value < 1).Select(o => $"{o.Option} must be ≥ 1, not {o.Value}")) is { Length: > 0 } problems ? problems : null;

    /// <summary>"max items 8, max length 128, …": only what is overridden.</summary>
    public override string ToString() => string.Join(", ", new (string Name, int? Value)[]
    {
        ("max items", MaxItems), ("max length", MaxLength), ("epochs", Epochs), ("max new tokens", MaxNewTokens),
    }.Where(o => o.Value is not null).Select(o => $"{o.Name} {o.Value}"));
}
