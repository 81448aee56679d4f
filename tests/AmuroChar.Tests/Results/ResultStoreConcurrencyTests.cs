using AmuroChar.Results;
using Xunit;

namespace AmuroChar.Tests.Results;

public class ResultStoreConcurrencyTests : StoreTestBase
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_callers_in_one_process_produce_once()
    {
        var store = NewStore();
        int jsonCalls = 0;
        var callers = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            string dir = store.GetOrCreateDirectory(Key(), d => { Thread.Sleep(100); ProduceModel(d); }, Cancel);
            int value = store.GetOrCreateJson(Key(), () => { Interlocked.Increment(ref jsonCalls); Thread.Sleep(100); return 42; }, cancel: Cancel);
            return (dir, value);
        }, Cancel)).ToArray();
        var results = await Task.WhenAll(callers);
        Assert.Equal(1, Produced);
        Assert.Equal(1, jsonCalls);
        Assert.Single(results.Distinct());
    }

    [Fact]
    public async Task A_second_store_on_the_same_root_waits_for_the_first_and_reuses_its_result()
    {
        // Two instances share no in-process state, so this is what two processes do: only the OS file lock separates them.
        var first = NewStore();
        var second = NewStore(new ResultStoreOptions { LockWaitNotice = TimeSpan.Zero });
        using var started = new ManualResetEventSlim();
        using var finish = new ManualResetEventSlim();
        var producing = Task.Run(() => first.GetOrCreateDirectory(Key(), dir =>
        {
            started.Set();
            finish.Wait(Cancel);
            ProduceModel(dir);
        }, Cancel), Cancel);
        started.Wait(Cancel);

        var waiting = Task.Run(() => second.GetOrCreateDirectory(Key(), ProduceModel, Cancel), Cancel);
        await Task.Delay(300, Cancel);
        Assert.False(waiting.IsCompleted);
        Assert.True(Reported(StoreEventKind.WaitingForLock, "waiting"));
        Assert.Contains(second.List(), e => e.Type == StoreEntryType.Temporary && e.Status == StoreEntryStatus.InProgress);
        Assert.Empty(second.Prune().Removed);   // someone else's work in progress is not touched

        finish.Set();
        Assert.Equal(await producing, await waiting);
        Assert.Equal(1, Produced);
    }

    [Fact]
    public void The_os_lock_excludes_other_handles_and_dies_with_its_holder()
    {
        string lockRoot = Path.Combine(Root, ".locks");
        var mine = new KeyLocks(lockRoot);
        var theirs = new KeyLocks(lockRoot);   // as another process would
        string name = Key().Hash + ".dir";
        using (var held = mine.Acquire(name, null, () => { }, Cancel))
        {
            Assert.Null(theirs.TryAcquire(name));
            Assert.Throws<TimeoutException>(() => theirs.Acquire(name, TimeSpan.FromMilliseconds(100), () => { }, Cancel));
        }
        // The lock file is still there (locks are never deleted), yet it no longer blocks anybody.
        Assert.Single(Directory.EnumerateFiles(lockRoot, "*.lock", SearchOption.AllDirectories));
        using var again = theirs.TryAcquire(name);
        Assert.NotNull(again);
    }

    [Fact]
    public void A_lost_rename_race_ends_with_one_valid_entry()
    {
        // Another writer that bypassed our lock (e.g. another machine on a shared folder) finishes first: its valid
        // entry is kept and ours is dropped.
        string otherRoot = Root + "-other";
        try
        {
            var other = new ResultStore(otherRoot);
            string theirs = other.GetOrCreateDirectory(Key(), d => File.WriteAllText(Path.Combine(d, "who"), "them"), Cancel);
            var store = NewStore();
            string final = store.DirectoryPath(Key());
            string result = store.GetOrCreateDirectory(Key(), d =>
            {
                ProduceModel(d);
                CopyTree(theirs, final);
            }, Cancel);
            Assert.Equal(final, result);
            Assert.Equal("them", File.ReadAllText(Path.Combine(result, "who")));
            Assert.Equal(result, store.TryGetDirectory(Key()));
            Assert.Empty(TempItems());

            // An invalid entry in the way is replaced instead.
            store.Prune(new PruneOptions { All = true });
            store.GetOrCreateDirectory(Key(), d =>
            {
                ProduceModel(d);
                CopyTree(theirs, final);
                File.Delete(Path.Combine(final, ".complete"));
            }, Cancel);
            Assert.True(File.Exists(Path.Combine(final, "model.safetensors")));
            Assert.Equal(final, store.TryGetDirectory(Key()));
            Assert.Empty(TempItems());
        }
        finally
        {
            Directory.Delete(otherRoot, recursive: true);
        }
    }

    static void CopyTree(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
