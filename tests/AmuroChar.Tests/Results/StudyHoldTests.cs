using AmuroChar.Results;
using AmuroChar.Tests.Cli;
using Xunit;

namespace AmuroChar.Tests.Results;

/// <summary>
/// Issue 21: `store prune --all` under a running `reproduce` removed the pre-training entry the study read back next,
/// which took it down. A study now holds its store; a prune that selects valid entries refuses while any study holds
/// it, and one that removes only invalid items and leftovers goes ahead. The hold is an OS lock, so a killed study
/// releases it.
/// </summary>
public class StudyHoldTests : StoreTestBase
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void A_held_store_keeps_its_valid_entries_from_a_selective_prune()
    {
        var study = NewStore();
        string entry = study.GetOrCreateDirectory(Key(), ProduceModel, Cancel);
        var pruner = NewStore();   // another instance: only the OS lock links them, as between two processes

        using (study.HoldForStudy(Cancel))
        {
            foreach (var selection in new PruneOptions[] { new() { All = true }, new() { Kinds = ["finetune"] },
                                                          new() { OlderThan = DateTimeOffset.MaxValue }, new() { Stale = _ => "old code" } })
            {
                var e = Assert.Throws<StoreInUseException>(() => pruner.Prune(selection));
                Assert.Contains(Root, e.Message);
                Assert.True(Directory.Exists(entry));
            }
            // Nobody's items go even now, and a dry run only reports.
            File.WriteAllText(Path.Combine(Root, "stray.txt"), "x");
            Assert.Single(pruner.Prune().Removed);
            Assert.Single(pruner.Prune(new PruneOptions { All = true, DryRun = true }).Removed);
            // Two studies at once are fine.
            using var second = pruner.HoldForStudy(Cancel);
            Assert.NotNull(second);
        }
        Assert.Single(pruner.Prune(new PruneOptions { All = true }).Removed);
        Assert.False(Directory.Exists(entry));
    }

    [Fact]
    public async Task A_study_starting_during_a_prune_waits_for_it()
    {
        var store = NewStore();
        string lockFile = Path.Combine(Root, ".locks", "st", "study-lease.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var hold = Task.Run(() => { using var pruning = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); Thread.Sleep(400); }, Cancel);
        Thread.Sleep(100);
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (store.HoldForStudy(Cancel)) Assert.True(started.ElapsedMilliseconds >= 200, $"took the hold after {started.ElapsedMilliseconds} ms, during the prune");
        await hold;
    }

    [Fact]
    public void The_cli_says_the_store_is_in_use_and_removes_nothing()
    {
        var study = NewStore();
        string entry = study.GetOrCreateDirectory(Key(), ProduceModel, Cancel);
        using (study.HoldForStudy(Cancel))
        {
            var (exit, error) = CliRun.Run("store", "prune", "--all", "--store", Root);
            Assert.Equal(1, exit);
            Assert.Contains("is in use by a running study", CliRun.OneLine(error));
            Assert.True(Directory.Exists(entry));
        }
        Assert.Equal(0, CliRun.Run("store", "prune", "--all", "--store", Root).Exit);
        Assert.False(Directory.Exists(entry));
    }
}
