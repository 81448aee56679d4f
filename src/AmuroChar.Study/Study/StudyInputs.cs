using System.Reflection;
using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Tasks;
using AmuroChar.Tokenization;

namespace AmuroChar.Study;

/// <summary>
/// What a study runs over: the checkpoints (pre-training steps, each a Hugging Face model directory), the tokenizer,
/// and the datasets. The tiny and small scales produce them (world → corpus → tokenizer → pre-training); the paper
/// scale reads OLMo-1B-hf revisions and dataset files from disk. Everything after this point is one code path.
/// </summary>
public interface IStudyInputs
{
    string ScaleName { get; }
    Scale Scale { get; }
    HfTokenizer Tokenizer { get; }
    DatasetCatalog Datasets { get; }
    IReadOnlyList<int> Checkpoints { get; }
    string CheckpointDirectory(int step);

    /// <summary>A key naming exactly these inputs: results computed from them are stored under it.</summary>
    ResultKey Identity { get; }
}

/// <summary>
/// What produced a stored result, as far as the code goes: part of every result key, so a changed engine can never be
/// judged on numbers an older one computed.
/// <list type="bullet">
/// <item><see cref="Manual"/>: bumped by hand when a change alters what a result means without touching the engine's
/// sources (e.g. a new library version).</item>
/// <item><see cref="SourceHash"/>: SHA-256 of the sources of the two projects that compute, AmuroChar.Engine and
/// AmuroChar.Study, made by the build (build/SourceHash.targets, build/SourceTreeHash.cs). The projects above them
/// (findings, baselines, plots, bench, grid) only judge, compare, draw, time and schedule, and the infrastructure below
/// (IO, Hub, store) only moves bytes, so the compiler's layering is what the hash follows.</item>
/// <item>The numeric path (<see cref="NumericPath.Profile"/>), the measured numeric fingerprint of this machine
/// (<see cref="NumericPlatform"/>) and the thread count class (<see cref="TorchRuntime.ThreadClass"/>): the same code
/// gives other bits under other kernels, on another CPU or in another reduction order, so a store shared between
/// machines keeps each machine's results apart.</item>
/// </list>
/// </summary>
public static class CodeVersion
{
    public const string Manual = "amurochar-2026.11.30-1";

    public static string SourceHash { get; } =
        typeof(CodeVersion).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false)
            .Cast<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AmuroChar.SourceHash")?.Value is { Length: 64 } hash
            ? hash
            : throw new InvalidOperationException("AmuroChar.Study was built without its source hash (build/SourceHash.targets, target AmuroSourceHash)");

    /// <summary>The key component: evaluated per key, since the thread count is set per phase. The Torch packages are
    /// named too (the fingerprint would tell a libtorch that computes differently, but a key says what made it).</summary>
    public static string Current =>
        $"{Code} numerics:{NumericPath.Profile} fingerprint:{NumericPlatform.Current.Fingerprint.Short} threads:{TorchRuntime.ThreadClass} torch:{NumericPlatform.TorchPackages}";

    /// <summary>The code alone: what a stored result can't outlive (numerics and threads name other valid runs).</summary>
    static string Code => $"{Manual} src:{SourceHash[..16]}";

    /// <summary>
    /// For <c>store prune --stale</c>: why an entry was made by other code than this build's, or null when it wasn't (or
    /// its key has no code version). Entries of other numeric paths or thread classes are not stale: they are this
    /// code's results for another platform.
    /// </summary>
    public static string? Stale(ResultKey key)
    {
        if (!key.Components.TryGetValue("code_version", out var json)) return null;
        string stored = System.Text.Json.JsonSerializer.Deserialize<string>(json) ?? "";
        string storedCode = stored.Split(" numerics:")[0];
        return storedCode == Code ? null : $"stale: made by {storedCode}, this build is {Code}";
    }
}
