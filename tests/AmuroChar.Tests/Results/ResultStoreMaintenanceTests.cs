using AmuroChar.Results;
using Xunit;

namespace AmuroChar.Tests.Results;

public class ResultStoreMaintenanceTests : StoreTestBase
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    string StaleTemporary(int seed = 9)
    {
        string temp = Path.Combine(Root, ".tmp", $"{Key(seed).Hash}.dir.999999.{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        File.WriteAllText(Path.Combine(temp, "model.safetensors"), "half a model");
        return temp;
    }

    [Fact]
    public void List_shows_entries_with_their_keys()
    {
        var store = NewStore();
        store.GetOrCreateDirectory(Key(), ProduceModel, Cancel);
        store.PutJson(Key(kind: "eval"), new[] { 0.25, 0.5 }, cancel: Cancel);
        var entries = store.List().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(StoreEntryStatus.Valid, e.Status));
        var model = Assert.Single(entries, e => e.Type == StoreEntryType.Directory);
        Assert.Equal(("finetune", Key().Hash, Key()), (model.Kind, model.Hash, model.Key));
        Assert.True(model.SizeBytes > 10_000);
        Assert.InRange(model.Created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        var json = Assert.Single(entries, e => e.Type == StoreEntryType.Json);
        Assert.Equal("\"tiny\"", json.Key!.Components["preset"]);
    }

    [Fact]
    public void Foreign_items_are_listed_as_invalid_do_not_break_reads_and_are_pruned()
    {
        var store = NewStore();
        store.GetOrCreateDirectory(Key(), ProduceModel, Cancel);
        string hh = Key().Hash[..2];
        string[] foreign =
        [
            Path.Combine(Root, "notes.txt"),
            Path.Combine(Root, "Weird Folder", "x"),
            Path.Combine(Root, "finetune", "zz", "junk"),
            Path.Combine(Root, "finetune", hh, "readme.md"),
            store.JsonPath(Key(seed: 5)),                                                       // garbage where a result belongs
            store.JsonPath(Key(seed: 6)),                                                       // JSON with a duplicate key
            Path.Combine(Root, "finetune", "ab", "ab" + new string('0', 62), "some-file"),   // an entry-named folder without a marker
        ];
        foreach (string path in foreign)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "not ours");
        }
        File.WriteAllText(store.JsonPath(Key(seed: 6)), """{"key": {"kind": "finetune"}, "key": 1, "value": 1, "sha256": "x"}""");
        Assert.Equal(Path.Combine(Root, "finetune", hh, Key().Hash), store.TryGetDirectory(Key()));
        Assert.False(store.TryGetJson<int>(Key(seed: 5), out _));
        Assert.False(store.TryGetJson<int>(Key(seed: 6), out _));

        var listed = store.List().ToList();
        Assert.Single(listed, e => e.Status == StoreEntryStatus.Valid);
        Assert.Equal(7, listed.Count(e => e.Status == StoreEntryStatus.Invalid));

        var pruned = store.Prune();
        Assert.Equal(7, pruned.Removed.Count);
        Assert.True(pruned.BytesFreed > 0);
        Assert.All(foreign, path => Assert.False(File.Exists(path)));
        Assert.Equal([StoreEntryStatus.Valid], store.List().Select(e => e.Status));
        Assert.Equal(1, Produced);
    }

    [Fact]
    public void Prune_removes_stale_temporaries_but_not_work_in_progress()
    {
        var store = NewStore();
        string stale = StaleTemporary();
        string halfWrittenJson = Path.Combine(Root, "eval", "ab", $".ab{new string('1', 62)}.json.tmp-999999-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(halfWrittenJson)!);
        File.WriteAllText(halfWrittenJson, "{\"key\":");

        PruneResult? duringProduction = null;
        store.GetOrCreateDirectory(Key(), dir =>
        {
            ProduceModel(dir);
            duringProduction = store.Prune();   // our own temporary is in progress: its key lock is held
            Assert.True(Directory.Exists(dir));
        }, Cancel);
        Assert.Equal([stale, halfWrittenJson], duringProduction!.Removed.Select(r => r.Path).Order());
        Assert.All(duringProduction.Removed, r => Assert.Equal(StoreEntryType.Temporary, r.Type));
        Assert.False(Path.Exists(stale));
        Assert.False(Path.Exists(halfWrittenJson));
        Assert.NotNull(store.TryGetDirectory(Key()));
    }

    [Fact]
    public void Opening_or_listing_a_store_removes_nothing_and_prune_removes_stale_temporaries()
    {
        NewStore();
        string stale = StaleTemporary();
        string foreign = Path.Combine(Root, ".tmp", "someone-elses-notes.txt");
        File.WriteAllText(foreign, "not the store's");
        var store = NewStore();
        Assert.Contains(store.List(), e => e.Path == stale && e.Status == StoreEntryStatus.Invalid);
        Assert.True(Directory.Exists(stale));
        Assert.Empty(Events);

        store.Prune();
        Assert.False(Directory.Exists(stale));
        Assert.True(Reported(StoreEventKind.Removed, "died"));
        Assert.True(File.Exists(foreign));   // not named by the store: not its to delete
    }

    [Fact]
    public void Producing_a_key_removes_the_temporaries_a_dead_producer_of_it_left()
    {
        var store = NewStore();
        string stale = StaleTemporary(seed: 1);
        string other = StaleTemporary(seed: 2);
        store.GetOrCreateDirectory(Key(1), ProduceModel, Cancel);
        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(other));   // another key's: left to prune
    }

    [Fact]
    public void Prune_selects_valid_entries_by_kind_age_or_all()
    {
        var store = NewStore();
        string oldModel = store.GetOrCreateDirectory(Key(1), ProduceModel, Cancel);
        string newModel = store.GetOrCreateDirectory(Key(2), ProduceModel, Cancel);
        store.PutJson(Key(1, "eval"), 1, cancel: Cancel);
        store.PutJson(Key(2, "eval"), 2, cancel: Cancel);
        File.SetLastWriteTimeUtc(Path.Combine(oldModel, ".complete"), DateTime.UtcNow.AddDays(-10));
        File.SetLastWriteTimeUtc(store.JsonPath(Key(1, "eval")), DateTime.UtcNow.AddDays(-10));

        Assert.Empty(store.Prune().Removed);   // valid entries stay unless selected
        var dry = store.Prune(new PruneOptions { All = true, DryRun = true });
        Assert.Equal(4, dry.Removed.Count);
        Assert.Equal(4, store.List().Count());

        var old = store.Prune(new PruneOptions { OlderThan = DateTimeOffset.UtcNow.AddDays(-1), Kinds = ["finetune"] });
        Assert.Equal([oldModel], old.Removed.Select(r => r.Path));
        Assert.True(old.BytesFreed > 10_000);
        Assert.False(Directory.Exists(oldModel));
        Assert.Empty(TempItems());

        var evals = store.Prune(new PruneOptions { Kinds = ["eval"] });
        Assert.Equal(2, evals.Removed.Count);
        Assert.Equal([newModel], store.List().Select(e => e.Path));

        store.Prune(new PruneOptions { All = true });
        Assert.Empty(store.List());
        Assert.Null(store.TryGetDirectory(Key(2)));
    }
}
