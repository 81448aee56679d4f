using System.Text.Json;
using System.Text.Json.Serialization;
using AmuroChar.Checkpoints;

namespace AmuroChar.Grid;

/// <summary>
/// Everything that names a study run as a grid: the scale, the tiny world's seed, the fine-tuning seeds, the shared
/// result store and (paper scale) the input folders. Written to <c>grid.json</c> so every array task rebuilds exactly
/// the same cells as the process that planned them.
/// </summary>
public sealed record GridSpec
{
    public required string Scale { get; init; }
    public long WorldSeed { get; init; } = 1;
    /// <summary>Fine-tuning seeds (a multi-seed sweep); null keeps the scale's own.</summary>
    public IReadOnlyList<long>? Seeds { get; init; }
    /// <summary>The result store every cell reads and writes: an absolute path on a file system all nodes share.</summary>
    public required string Store { get; init; }
    /// <summary>The findings to run (their ids, e.g. instruction_tuning); null runs the whole study.</summary>
    public IReadOnlyList<string>? Findings { get; init; }
    public string? OlmoDirectory { get; init; }
    public string? DataDirectory { get; init; }

    /// <summary>The OLMo-1B revisions the paper fine-tunes: seven numbered steps and <c>main</c>, the final model; used to
    /// plan the paper scale before the revisions are downloaded.</summary>
    public static readonly IReadOnlyList<int> PaperCheckpoints = [1000, 18000, 342000, 424000, 505000, 592000, 738000, CheckpointStep.Main];

    public AmuroChar.Study.Scale ResolveScale()
    {
        var scale = AmuroChar.Study.Scale.ByName(Scale);
        return Seeds is { Count: > 0 } seeds ? scale with { FineTuneSeeds = seeds } : scale;
    }

    /// <summary>The checkpoints, found without loading anything: the scale's steps, the revisions the study would find
    /// under <see cref="OlmoDirectory"/> (revision folders or a Hub cache: one discovery, <see cref="CheckpointRevisions.Find"/>),
    /// or (paper scale without a folder) the paper's revisions.</summary>
    public IReadOnlyList<int> Checkpoints()
    {
        if (Scale != "paper") return ResolveScale().Checkpoints;
        if (OlmoDirectory is null) return PaperCheckpoints;
        return [.. CheckpointRevisions.Find(OlmoDirectory).Select(r => checked((int)r.Step))];
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static GridSpec FromJson(string json, string source)
    {
        try { return JsonSerializer.Deserialize<GridSpec>(json, Json) ?? throw new InvalidDataException($"{source}: grid spec is null"); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: malformed grid spec: {e.Message}", e); }
    }
}
