using System.Text.Json.Nodes;
using AmuroChar.Results;
using Xunit;

namespace AmuroChar.Tests.Results;

public class ResultStoreTests : StoreTestBase
{
    sealed record Scores(string Task, double Accuracy, List<double> PerShot, Dictionary<string, int> Counts);
    static Scores Sample() => new("mnli", 0.1 + 0.2, [0.5, 1e-7], new() { ["b"] = 2, ["a"] = 1 });
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Json_put_then_get_round_trips()
    {
        var store = NewStore();
        Assert.False(store.TryGetJson<Scores>(Key(), out _));
        store.PutJson(Key(), Sample(), cancel: Cancel);
        Assert.True(store.TryGetJson<Scores>(Key(), out var back));
        Assert.Equal(Sample().Accuracy, back.Accuracy);   // exact: doubles round-trip
        Assert.Equal(Sample().PerShot, back.PerShot);
        Assert.Equal(Sample().Counts, back.Counts);
        Assert.False(NewStore().TryGetJson<Scores>(Key(seed: 2), out _));
        var document = JsonNode.Parse(File.ReadAllText(store.JsonPath(Key())))!;
        Assert.Equal(Key(), ResultKey.FromJson(document["key"]));
    }

    [Fact]
    public void A_cached_json_result_is_reused()
    {
        int calls = 0;
        Scores Compute() { calls++; return Sample(); }
        Assert.Equal(0.5, NewStore().GetOrCreateJson(Key(), Compute, cancel: Cancel).PerShot[0]);
        Assert.Equal(0.5, NewStore().GetOrCreateJson(Key(), Compute, cancel: Cancel).PerShot[0]);
        Assert.Equal(1, calls);
        NewStore().GetOrCreateJson(Key(seed: 2), Compute, cancel: Cancel);
        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData("truncate", "unparseable")]
    [InlineData("edit value", "sha256")]
    [InlineData("edit key", "key mismatch")]
    public void A_damaged_json_result_is_rejected_and_recomputed(string damage, string reason)
    {
        var store = NewStore();
        int calls = 0;
        store.GetOrCreateJson(Key(), () => { calls++; return Sample(); }, cancel: Cancel);
        string path = store.JsonPath(Key());
        string text = File.ReadAllText(path);
        File.WriteAllText(path, damage switch
        {
            "truncate" => text[..(text.Length / 2)],
            "edit value" => text.Replace("0.5", "0.6"),
            _ => text.Replace("\"tiny\"", "\"small\""),
        });
        Assert.False(store.TryGetJson<Scores>(Key(), out _));
        Assert.True(Reported(StoreEventKind.InvalidEntry, reason));
        Assert.Equal(0.5, store.GetOrCreateJson(Key(), () => { calls++; return Sample(); }, cancel: Cancel).PerShot[0]);
        Assert.Equal(2, calls);
        Assert.True(store.TryGetJson<Scores>(Key(), out _));
    }

    [Fact]
    public void A_directory_entry_is_produced_once_with_key_manifest_and_marker()
    {
        var store = NewStore();
        string dir = store.GetOrCreateDirectory(Key(), ProduceModel, Cancel);
        Assert.Equal(store.DirectoryPath(Key()), dir);
        Assert.Equal(Path.Combine(Root, "finetune", Key().Hash[..2], Key().Hash), dir);
        foreach (string file in new[] { "config.json", "model.safetensors", "extra/tokenizer.json", "key.json", "manifest.json", ".complete" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        Assert.Equal(Key(), ResultKey.FromJson(File.ReadAllText(Path.Combine(dir, "key.json"))));

        Assert.Equal(dir, NewStore().GetOrCreateDirectory(Key(), ProduceModel, Cancel));
        Assert.Equal(dir, NewStore().TryGetDirectory(Key()));
        Assert.Null(store.TryGetDirectory(Key(seed: 2)));
        Assert.Equal(1, Produced);
        Assert.Empty(TempItems());
    }

    [Theory]
    [InlineData("truncate", "truncated model.safetensors")]
    [InlineData("marker", "missing completion marker")]
    [InlineData("manifest", "missing manifest")]
    [InlineData("key", "key mismatch")]
    [InlineData("flip byte", "content of model.safetensors differs")]
    [InlineData("extra file", "unexpected file stray.bin")]
    [InlineData("delete file", "missing extra/tokenizer.json")]
    public void A_damaged_directory_entry_is_rejected_and_recomputed(string damage, string reason)
    {
        var store = NewStore();
        string dir = store.GetOrCreateDirectory(Key(), ProduceModel, Cancel);
        string model = Path.Combine(dir, "model.safetensors");
        switch (damage)
        {
            case "truncate": using (var s = File.OpenWrite(model)) s.SetLength(5_000); break;
            case "marker": File.Delete(Path.Combine(dir, ".complete")); break;
            case "manifest": File.Delete(Path.Combine(dir, "manifest.json")); break;
            case "key":
                string keyFile = Path.Combine(dir, "key.json");
                File.WriteAllText(keyFile, File.ReadAllText(keyFile).Replace("\"world_seed\": 1", "\"world_seed\": 2"));
                break;
            case "flip byte":
                byte[] bytes = File.ReadAllBytes(model);
                bytes[4_000] ^= 1;
                File.WriteAllBytes(model, bytes);
                break;
            case "extra file": File.WriteAllText(Path.Combine(dir, "stray.bin"), "x"); break;
            case "delete file": File.Delete(Path.Combine(dir, "extra", "tokenizer.json")); break;
        }
        Assert.Null(store.TryGetDirectory(Key()));
        Assert.True(Reported(StoreEventKind.InvalidEntry, reason), string.Join("\n", Events));
        Assert.Contains(store.List(), e => e.Path == dir && e.Status == StoreEntryStatus.Invalid && e.Reason!.Contains(reason));

        Assert.Equal(dir, store.GetOrCreateDirectory(Key(), ProduceModel, Cancel));
        Assert.Equal(2, Produced);
        Assert.Equal(dir, store.TryGetDirectory(Key()));
        Assert.Equal(10_000, new FileInfo(model).Length);
        Assert.Empty(TempItems());
    }

    [Fact]
    public void Big_files_are_checked_by_size_and_their_first_and_last_MiB()
    {
        var store = NewStore(new ResultStoreOptions { FullHashLimitBytes = 0 });
        string dir = store.GetOrCreateDirectory(Key(), d => File.WriteAllBytes(Path.Combine(d, "big.bin"), new byte[3 << 20]), Cancel);
        string big = Path.Combine(dir, "big.bin");
        void Poke(long offset)
        {
            using var s = new FileStream(big, FileMode.Open, FileAccess.Write);
            s.Position = offset;
            s.WriteByte(1);
        }
        Poke(3 << 19);   // the middle is not hashed: documented limit of head+tail hashing
        Assert.Equal(dir, store.TryGetDirectory(Key()));
        Poke((3 << 20) - 10);
        Assert.Null(store.TryGetDirectory(Key()));
        Assert.True(Reported(StoreEventKind.InvalidEntry, "content of big.bin differs"));
    }

    [Fact]
    public void A_producer_that_throws_leaves_no_entry_and_no_temporary()
    {
        var store = NewStore();
        var error = Assert.Throws<InvalidOperationException>(() => store.GetOrCreateDirectory(Key(), dir =>
        {
            ProduceModel(dir);
            throw new InvalidOperationException("training diverged");
        }, Cancel));
        Assert.Equal("training diverged", error.Message);
        Assert.False(Path.Exists(store.DirectoryPath(Key())));
        Assert.Empty(TempItems());
        Assert.Throws<TimeoutException>(() => store.GetOrCreateJson<int>(Key(), () => throw new TimeoutException(), cancel: Cancel));
        Assert.False(File.Exists(store.JsonPath(Key())));

        store.GetOrCreateDirectory(Key(), ProduceModel, Cancel);   // the key is not left locked
        Assert.Equal(2, Produced);
    }

    [Fact]
    public void A_producer_may_not_write_the_store_files()
    {
        var store = NewStore();
        Assert.Throws<InvalidOperationException>(() =>
            store.GetOrCreateDirectory(Key(), dir => File.WriteAllText(Path.Combine(dir, "manifest.json"), "{}"), Cancel));
        Assert.False(Path.Exists(store.DirectoryPath(Key())));
        Assert.Empty(TempItems());
    }

    [Fact]
    public void A_non_empty_folder_that_is_not_a_store_is_refused()
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "thesis.tex"), "precious");
        Assert.Throws<InvalidOperationException>(() => NewStore());
        Assert.True(File.Exists(Path.Combine(Root, "thesis.tex")));

        File.Delete(Path.Combine(Root, "thesis.tex"));
        NewStore().PutJson(Key(), 1, cancel: Cancel);   // an empty folder becomes a store, and stays one
        Assert.True(NewStore().TryGetJson<int>(Key(), out _));
        Assert.DoesNotContain(NewStore().List(), e => e.Status != StoreEntryStatus.Valid);
    }

    [Fact]
    public void Default_root_is_inside_the_repository_when_running_from_it()
    {
        string? repo = RepositoryRoot.FindFrom(AppContext.BaseDirectory);
        Assert.NotNull(repo);
        Assert.True(File.Exists(Path.Combine(repo, "AmuroChar.sln")));
        if (Environment.GetEnvironmentVariable("AMUROCHAR_STORE") is null or "")
            Assert.Equal(Path.Combine(RepositoryRoot.FindFrom(Environment.CurrentDirectory) ?? repo, ".amurochar", "store"),
                ResultStore.DefaultRoot());
        Assert.Null(RepositoryRoot.FindFrom(Path.GetPathRoot(Path.GetTempPath())!));
    }
}
