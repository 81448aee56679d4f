using AmuroChar.Results;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Results;

/// <summary>What the store does when it can't write, when an entry lacks what it promises, and what listing touches.</summary>
public class ResultStoreFaultTests : StoreTestBase
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void A_read_only_store_serves_valid_entries_and_fails_clearly_where_it_would_have_to_write()
    {
        using var fs = SmallFileSystem.MountOrSkip(4096);
        string root = Path.Combine(fs.Path, "store");
        var writer = new ResultStore(root, new ResultStoreOptions { Log = null });
        string model = writer.GetOrCreateDirectory(Key(1), ProduceModel, Cancel);
        writer.PutJson(Key(1, "eval"), 7, cancel: Cancel);
        fs.MakeReadOnly();

        var store = new ResultStore(root, new ResultStoreOptions { Log = Events.Enqueue });
        Assert.Equal(model, store.GetOrCreateDirectory(Key(1), _ => throw new InvalidOperationException("must not recompute"), Cancel));
        Assert.Equal(7, store.GetOrCreateJson(Key(1, "eval"), () => 8, cancel: Cancel));

        // A missing entry needs the lock file: an immediate, clear error naming the path, not a silent retry loop.
        var started = DateTime.UtcNow;
        var e = Assert.Throws<StoreNotWritableException>(() => store.GetOrCreateJson(Key(2, "eval"), () => 8, cancel: Cancel));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Contains(fs.Path, e.Message);
        Assert.Contains("Read-only file system", e.Message);
        Assert.Throws<StoreNotWritableException>(() => store.GetOrCreateDirectory(Key(2), ProduceModel, Cancel));
        Assert.Throws<StoreNotWritableException>(() => store.PutJson(Key(3, "eval"), 1, cancel: Cancel));
        Assert.DoesNotContain(Events, ev => ev.Kind == StoreEventKind.WaitingForLock);

        // Listing and a dry run work; a real prune refuses instead of reporting "0 entries".
        Assert.Equal(2, store.List().Count(i => i.Status == StoreEntryStatus.Valid));
        Assert.Empty(store.Prune(new PruneOptions { DryRun = true }).Removed);
        Assert.Throws<StoreNotWritableException>(() => store.Prune());
        Assert.Throws<StoreNotWritableException>(() => new ResultStore(Path.Combine(fs.Path, "new-store")));
    }

    [Fact]
    public void A_full_disk_fails_clearly_and_leaves_no_half_written_entry()
    {
        using var fs = SmallFileSystem.MountOrSkip(1024);
        var store = new ResultStore(Path.Combine(fs.Path, "store"), new ResultStoreOptions { Log = Events.Enqueue });
        var e = Assert.Throws<StoreNotWritableException>(() => store.GetOrCreateDirectory(Key(1), dir =>
            File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), new byte[2 << 20]), Cancel));
        Assert.Contains("No space left on device", e.Message);
        Assert.Null(store.TryGetDirectory(Key(1)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(fs.Path, "store", ".tmp")));
        Assert.DoesNotContain(store.List(), i => i.Type is StoreEntryType.Directory or StoreEntryType.Json);

        // Once there is room again the same call succeeds.
        Assert.NotNull(store.GetOrCreateDirectory(Key(1), ProduceModel, Cancel));
    }

    [Fact]
    public void An_entry_must_hold_every_file_it_promises_when_sealed_read_and_listed()
    {
        string[] promised = ["checkpoints/step-0/model.safetensors", "checkpoints/step-8/model.safetensors"];
        var store = NewStore();

        // A producer that lost a checkpoint: nothing is stored.
        var e = Assert.Throws<InvalidOperationException>(() => store.GetOrCreateDirectory(Key(1), dir => Write(dir, promised[1]), Cancel, promised));
        Assert.Contains("checkpoints/step-0/model.safetensors", e.Message);
        Assert.Null(store.TryGetDirectory(Key(1)));

        // An entry sealed without the promise (by an older version): its manifest verifies, yet it is damaged.
        string path = store.GetOrCreateDirectory(Key(1), dir => Write(dir, promised[1]), Cancel);
        Assert.Null(store.TryGetDirectory(Key(1), promised));
        var listing = NewStore(new ResultStoreOptions { RequiredFiles = k => k.Equals(Key(1)) ? promised : [] });
        var info = Assert.Single(listing.List(), i => i.Path == path);
        Assert.Equal(StoreEntryStatus.Invalid, info.Status);
        Assert.Contains("missing checkpoints/step-0/model.safetensors, which the entry promises", info.Reason);

        // Reading it with the promise recomputes it, and says so.
        Assert.Equal(path, store.GetOrCreateDirectory(Key(1), dir => { foreach (var p in promised) Write(dir, p); }, Cancel, promised));
        Assert.True(Reported(StoreEventKind.InvalidEntry, $"entry finetune {Key(1).Hash[..12]} is damaged (missing checkpoints/step-0/model.safetensors"));
        Assert.True(Reported(StoreEventKind.InvalidEntry, "; recomputing"));
        Assert.Equal(StoreEntryStatus.Valid, Assert.Single(listing.List(), i => i.Path == path).Status);
    }

    static void Write(string dir, string rel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, rel))!);
        File.WriteAllText(Path.Combine(dir, rel), rel);
    }

    [Fact]
    public void Listing_a_missing_path_is_an_error_and_creates_nothing()
    {
        string missing = Root + "-mistyped";
        var e = Assert.Throws<DirectoryNotFoundException>(() => ResultStore.OpenExisting(missing));
        Assert.Contains(missing, e.Message);
        Assert.False(Path.Exists(missing));
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "notes.txt"), "mine");
        Assert.Throws<InvalidOperationException>(() => ResultStore.OpenExisting(Root));
    }

    [Fact]
    public async Task Only_a_wait_on_real_contention_is_announced_and_only_after_the_notice_delay()
    {
        var holder = NewStore();
        var waiter = NewStore(new ResultStoreOptions { LockWaitNotice = TimeSpan.FromMilliseconds(600) });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var holding = Task.Run(() => holder.GetOrCreateJson(Key(1, "eval"), () => { started.Set(); release.Wait(Cancel); return 1; }, cancel: Cancel), Cancel);
        started.Wait(Cancel);
        var waiting = Task.Run(() => waiter.GetOrCreateJson(Key(1, "eval"), () => 2, cancel: Cancel), Cancel);
        await Task.Delay(250, Cancel);
        Assert.DoesNotContain(Events, e => e.Kind == StoreEventKind.WaitingForLock);   // a short wait is normal
        await Task.Delay(1000, Cancel);
        Assert.True(Reported(StoreEventKind.WaitingForLock, "waiting for another process producing eval"));
        release.Set();
        Assert.Equal(1, await holding);
        Assert.Equal(1, await waiting);
    }

    [Fact]
    public void The_work_folder_of_a_key_is_private_to_its_store_and_listed_as_resumable_work()
    {
        var store = NewStore();
        string work = store.WorkDirectory(Key(1));
        Assert.StartsWith(Root + Path.DirectorySeparatorChar, work);
        Assert.NotEqual(work, store.WorkDirectory(Key(2)));
        Assert.NotEqual(work, new ResultStore(Root + "-sibling").WorkDirectory(Key(1)));
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "progress"), "step 8");
        File.WriteAllText(Path.Combine(Root, ".work", "README"), "someone's");

        var items = store.List().ToList();
        Assert.Contains(items, i => i.Path == work && i.Type == StoreEntryType.Temporary && i.Status == StoreEntryStatus.Valid);
        store.Prune();
        Assert.True(Directory.Exists(work));   // resumable progress survives a plain prune
        Assert.True(File.Exists(Path.Combine(Root, ".work", "README")));
        store.Prune(new PruneOptions { All = true });
        Assert.False(Directory.Exists(work));
        Directory.Delete(Root + "-sibling", recursive: true);
    }

    [Fact]
    public void The_work_folder_survives_a_failed_production_and_goes_once_the_entry_is_sealed()
    {
        var store = NewStore();
        string work = store.WorkDirectory(Key(1));
        Assert.Throws<IOException>(() => store.GetOrCreateDirectory(Key(1), _ =>
        {
            Directory.CreateDirectory(work);
            File.WriteAllText(Path.Combine(work, "step-8"), "progress");
            throw new IOException("killed");
        }, Cancel));
        Assert.True(File.Exists(Path.Combine(work, "step-8")));
        store.GetOrCreateDirectory(Key(1), dir => { Assert.True(File.Exists(Path.Combine(work, "step-8"))); ProduceModel(dir); }, Cancel);
        Assert.False(Directory.Exists(work));
    }

    [Fact]
    public void Work_left_by_a_kill_between_sealing_and_cleanup_goes_when_the_entry_is_next_read()
    {
        var store = NewStore();
        string entry = store.GetOrCreateDirectory(Key(1), ProduceModel, Cancel);
        string work = store.WorkDirectory(Key(1));
        Directory.CreateDirectory(work);                       // as a producer killed right after the rename leaves it
        File.WriteAllText(Path.Combine(work, "step-8"), "progress");
        Assert.Equal(entry, store.GetOrCreateDirectory(Key(1), _ => throw new InvalidOperationException("must not recompute"), Cancel));
        Assert.False(Directory.Exists(work));
    }
}
