using System.Text.Json;
using AmuroChar.Results;
using AmuroChar.Training;

namespace AmuroChar.Study;

/// <summary>
/// What a stored entry promises beyond its manifest: a pre-training entry holds every checkpoint its key's
/// configuration names. A manifest only proves the files it lists are intact; an entry sealed by a producer that lost
/// checkpoints (e.g. to another process sharing its work folder) verifies and is still useless, so the promise is
/// derived from the key and checked on sealing, reading and listing.
/// </summary>
public static class StoreRequirements
{
    /// <summary>For <see cref="ResultStoreOptions.RequiredFiles"/>: the files the entry of <paramref name="key"/> must hold.</summary>
    public static IEnumerable<string> Of(ResultKey key)
    {
        if (key.Kind != "pretrain" || !key.Components.TryGetValue("pretrain", out var json)) return [];
        PretrainConfig? config;
        try { config = JsonSerializer.Deserialize<PretrainConfig>(json); }
        catch (JsonException) { return ["(a pre-training configuration that can be read)"]; }
        return PretrainFiles(config?.CheckpointSteps ?? []);
    }

    /// <summary>The files of every checkpoint of a pre-training entry (paths relative to the entry).</summary>
    public static IReadOnlyList<string> PretrainFiles(IEnumerable<int> steps) =>
        steps.SelectMany(s => new[] { "config.json", "model.safetensors", "tokenizer.json" }.Select(f => $"checkpoints/step-{s}/{f}")).ToList();

    /// <summary>The store's default options with these requirements.</summary>
    public static ResultStoreOptions Options(ResultStoreOptions? options = null) =>
        (options ?? new ResultStoreOptions()) with { RequiredFiles = Of };
}
