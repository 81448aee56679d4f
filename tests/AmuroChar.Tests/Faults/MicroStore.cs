using AmuroChar.Results;
using AmuroChar.Study;
using Xunit;

namespace AmuroChar.Tests.Faults;

/// <summary>
/// The micro-scale commands the fault tests run, and a reference store in which each ran once, uninterrupted: what
/// every interrupted, contended or damaged run must end identical to. Built once for all fault tests.
/// </summary>
public sealed class MicroStore : IDisposable
{
    /// <summary>The fault tests share one reference store and run one at a time (each starts CLI processes).</summary>
    public const string Collection = "Faults";

    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    public static string[] Pretrain(string store) => ["pretrain", "--scale", "micro", "--store", store];
    public static string[] Finetune(string store) => ["finetune", "--scale", "micro", "--store", store, "--step", "8", "--dataset", "xsum"];
    public static string[] Evaluate(string store) =>
        ["evaluate", "--scale", "micro", "--store", store, "--step", "8", "--finetuned-on", "xsum", "--dataset", "xsum"];

    public string Folder { get; } = Directory.CreateTempSubdirectory("amurochar-faults-").FullName;
    public string Reference => Path.Combine(Folder, "reference");

    /// <summary>Wall time of each uninterrupted command: random kill points are drawn within it.</summary>
    public Dictionary<string, TimeSpan> Durations { get; } = [];

    public MicroStore()
    {
        foreach (var command in new[] { Pretrain(Reference), Finetune(Reference), Evaluate(Reference) })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (code, _, stderr) = CliChild.Run(Folder, Timeout, command);
            if (code != 0) throw new InvalidOperationException($"amurochar {command[0]} failed ({code}): {stderr}");
            Durations[command[0]] = clock.Elapsed;
        }
    }

    /// <summary>The store's items by kind and key hash (only valid entries; an invalid one fails the assertion).</summary>
    public static Dictionary<string, StoreEntryInfo> Entries(string store)
    {
        var items = ResultStore.OpenExisting(store, StoreRequirements.Options(new ResultStoreOptions { Log = null })).List().ToList();
        var bad = items.Where(i => i.Type is StoreEntryType.Directory or StoreEntryType.Json && i.Status != StoreEntryStatus.Valid).ToList();
        Assert.True(bad.Count == 0, "invalid entries: " + string.Join("; ", bad.Select(b => $"{b.Path}: {b.Reason}")));
        return items.Where(i => i.Type is StoreEntryType.Directory or StoreEntryType.Json).ToDictionary(i => $"{i.Kind}/{i.Hash}");
    }

    /// <summary>Asserts that <paramref name="store"/> holds the reference's entries of <paramref name="kinds"/>, file
    /// for file identical (JSON results: identical values; only creation times may differ).</summary>
    public void AssertSameAsReference(string store, params string[] kinds)
    {
        var expected = Entries(Reference).Where(e => kinds.Contains(e.Value.Kind)).ToList();
        var actual = Entries(store);
        Assert.NotEmpty(expected);
        foreach (var (id, entry) in expected)
        {
            Assert.True(actual.TryGetValue(id, out var mine), $"{store} lacks {id}");
            if (entry.Type == StoreEntryType.Json)
                Assert.Equal(Value(entry.Path), Value(mine.Path));
            else
                foreach (string file in Directory.EnumerateFiles(entry.Path, "*", SearchOption.AllDirectories)
                             .Where(f => Path.GetFileName(f) is not (".complete" or "manifest.json")))
                    Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(mine.Path, Path.GetRelativePath(entry.Path, file)))),
                        $"{Path.GetRelativePath(entry.Path, file)} of {id} differs from the uninterrupted run");
        }
    }

    static string Value(string jsonEntry) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(jsonEntry))!["value"]!.ToJsonString();

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(MicroStore.Collection)]
public sealed class MicroStoreCollection : ICollectionFixture<MicroStore>;
