using System.Collections.Concurrent;
using AmuroChar.Hub;
using Xunit;

namespace AmuroChar.Tests.Hub;

/// <summary>A fake Hub with an OLMo-like repository, a fresh cache folder per test, and a client with short waits.</summary>
public abstract class HubTestBase : IDisposable
{
    internal const string ModelId = "allenai/OLMo-tiny-hf";
    internal readonly FakeHub Hub = new();
    internal readonly string CacheRoot = Path.Combine(Path.GetTempPath(), "amurochar-hub-tests", Guid.NewGuid().ToString("N"));
    internal readonly ConcurrentQueue<string> Log = new();

    /// <summary>Big enough to arrive in several reads; random so a misplaced byte changes the hash.</summary>
    internal static readonly byte[] Weights = Random(300_000, seed: 1);
    internal static readonly byte[] Config = """{"model_type":"olmo","hidden_size":64}"""u8.ToArray();
    internal static readonly byte[] Tokenizer = """{"version":"1.0","model":{"type":"BPE"}}"""u8.ToArray();

    internal static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    internal string CommitModel(string branch, byte[]? weights = null, byte[]? config = null) =>
        Hub.Commit("models", ModelId, branch, new()
        {
            ["config.json"] = config ?? Config,
            ["model.safetensors"] = weights ?? Weights,
            ["tokenizer.json"] = Tokenizer,
        });

    internal static CancellationToken Cancel => TestContext.Current.CancellationToken;

    internal HubOptions Options(string? token = null) => new()
    {
        Endpoint = Hub.Endpoint,
        Token = token,
        CacheRoot = CacheRoot,
        MaxAttempts = 3,
        FirstBackoff = TimeSpan.FromMilliseconds(5),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
        StallTimeout = TimeSpan.FromSeconds(10),
    };

    internal HubClient Client(string? token = null) => new(Options(token), Log.Enqueue);

    internal string RepoFolder => Path.Combine(CacheRoot, "models--allenai--OLMo-tiny-hf");

    /// <summary>Every regular file under the cache that a reader could take for a finished download.</summary>
    internal IEnumerable<string> Files(string under) =>
        Directory.Exists(under) ? Directory.EnumerateFiles(under, "*", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        Hub.Dispose();
        try { Directory.Delete(CacheRoot, recursive: true); } catch (DirectoryNotFoundException) { }
        GC.SuppressFinalize(this);
    }
}
