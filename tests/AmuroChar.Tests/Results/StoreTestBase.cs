using System.Collections.Concurrent;
using AmuroChar.Results;

namespace AmuroChar.Tests.Results;

/// <summary>A fresh store root per test, the events the store reported, and a sample model producer.</summary>
public abstract class StoreTestBase : IDisposable
{
    protected readonly string Root = Path.Combine(Path.GetTempPath(), "amurochar-store-tests", Guid.NewGuid().ToString("N"));
    protected readonly ConcurrentQueue<StoreEvent> Events = new();
    protected int Produced;

    protected ResultStore NewStore(ResultStoreOptions? options = null) =>
        new(Root, (options ?? new ResultStoreOptions()) with { Log = Events.Enqueue });

    protected static ResultKey Key(int seed = 1, string kind = "finetune") =>
        ResultKey.Create(kind).With("world_seed", seed).With("preset", "tiny").With("code_version", 1);

    /// <summary>Writes a small fake Hugging Face model directory and counts the calls.</summary>
    protected void ProduceModel(string dir)
    {
        Interlocked.Increment(ref Produced);
        File.WriteAllText(Path.Combine(dir, "config.json"), """{"model_type":"olmo"}""");
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray());
        Directory.CreateDirectory(Path.Combine(dir, "extra"));
        File.WriteAllText(Path.Combine(dir, "extra", "tokenizer.json"), "{}");
    }

    protected IEnumerable<string> TempItems() =>
        Directory.Exists(Path.Combine(Root, ".tmp")) ? Directory.EnumerateFileSystemEntries(Path.Combine(Root, ".tmp")) : [];

    protected bool Reported(StoreEventKind kind, string text) =>
        Events.Any(e => e.Kind == kind && e.Message.Contains(text, StringComparison.Ordinal));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (DirectoryNotFoundException) { }
        GC.SuppressFinalize(this);
    }
}
