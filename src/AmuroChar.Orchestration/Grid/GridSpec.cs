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
    /// <summary>The paper scale's checkpointed repository when not the paper's OLMo-1B-hf (<c>--model</c>, e.g.
    /// <c>EleutherAI/pythia-160m</c>); null: OLMo-1B-hf.</summary>
    public string? ModelRepository { get; init; }
    public string? DataDirectory { get; init; }

    /// <summary>The OLMo-1B revisions the paper fine-tunes: seven numbered steps and <c>main</c>, the final model; used to
    /// plan the paper scale before the revisions are downloaded.</summary>
    public static readonly IReadOnlyList<int> PaperCheckpoints = [1000, 18000, 342000, 424000, 505000, 592000, 738000, CheckpointStep.Main];

    public AmuroChar.Study.Scale ResolveScale()
    {
        var scale = AmuroChar.Study.Scale.ByName(Scale);
        if (ModelRepository is not null)
            scale = scale.Source is AmuroChar.Study.ScaleSource.Checkpointed ? scale with { ModelRepository = ModelRepository }
                : throw new InvalidOperationException($"a model repository ({ModelRepository}) names the paper scale's checkpoints; the {Scale} scale pre-trains its own model");
        return Seeds is { Count: > 0 } seeds ? scale with { FineTuneSeeds = seeds } : scale;
    }

    /// <summary>The checkpoints, found without loading anything: the scale's steps, the revisions the study would find
    /// under <see cref="OlmoDirectory"/> (revision folders or a Hub cache: one discovery, <see cref="CheckpointRevisions.Find"/>),
    /// or (paper scale without a folder) the paper's revisions; another repository's are those on disk (in the Hub
    /// cache huggingface_hub uses when no folder is given).</summary>
    public IReadOnlyList<int> Checkpoints()
    {
        if (!AmuroChar.Study.Scale.IsCheckpointed(Scale)) return ResolveScale().Checkpoints;
        if (OlmoDirectory is null && ModelRepository is null) return PaperCheckpoints;
        return [.. Revisions().Select(r => checked((int)r.Step))];
    }

    /// <summary>The paper scale's revisions on disk (<see cref="OlmoDirectory"/>, else the default Hub cache).</summary>
    public IReadOnlyList<CheckpointRevision> Revisions() =>
        CheckpointRevisions.Find(OlmoDirectory ?? AmuroChar.Hub.HubCache.DefaultRoot(Environment.GetEnvironmentVariable), ModelRepository ?? CheckpointRevisions.RepoId);

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static GridSpec FromJson(string json, string source)
    {
        try { return JsonSerializer.Deserialize<GridSpec>(json, Json) ?? throw new InvalidDataException($"{source}: grid spec is null"); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: malformed grid spec: {e.Message}", e); }
    }
}
