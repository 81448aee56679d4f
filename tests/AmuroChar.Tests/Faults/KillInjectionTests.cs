using AmuroChar.Results;
using Xunit;

namespace AmuroChar.Tests.Faults;

/// <summary>
/// The CLI killed with SIGKILL at seeded random points of pre-training, fine-tuning and evaluation, then rerun: every
/// run ends with entries identical to an uninterrupted run's, and after every kill the store holds nothing invalid
/// (nothing half-written is ever read back). Slow (about a minute of CPU): run alone with
/// <c>dotnet test --filter Category=Faults</c>; it also runs in a plain <c>dotnet test</c>.
/// </summary>
[Trait("Category", "Faults"), Collection(MicroStore.Collection)]
public class KillInjectionTests(MicroStore micro)
{
    [Fact]
    public void Kill_9_at_random_points_of_pretraining_finetuning_and_evaluation_loses_nothing()
    {
        string store = Path.Combine(micro.Folder, "killed");
        var rng = new Random(20261130);
        var plan = new (string Name, string[] Command, string[] Kinds, int Kills)[]
        {
            ("pretrain", MicroStore.Pretrain(store), ["tokenizer", "pretrain"], 8),
            ("finetune", MicroStore.Finetune(store), ["finetune"], 6),
            ("evaluate", MicroStore.Evaluate(store), ["eval"], 8),
        };
        int kills = 0, runs = 0, completions = 0;
        var log = TestContext.Current.TestOutputHelper;
        foreach (var (name, command, kinds, wanted) in plan)
        {
            // Kill points are drawn within the shortest run seen so far, so they land while the command runs
            // however loaded the machine is; a run that finishes first is checked, its entry removed, and the
            // chain goes on (pre-training resumes, so its later runs are shorter).
            double span = micro.Durations[name].TotalSeconds;
            int killed = 0;
            for (int attempt = 0; killed < wanted && attempt < 3 * wanted; attempt++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using var child = new CliChild(micro.Folder, command);
                runs++;
                if (child.KillAfter(TimeSpan.FromSeconds((0.05 + 0.9 * rng.NextDouble()) * span)))
                {
                    killed++;
                    MicroStore.Entries(store);   // nothing invalid in the store after a kill
                    continue;
                }
                Assert.True(child.Wait(MicroStore.Timeout) == 0, child.Stderr);
                completions++;
                span = Math.Min(span, clock.Elapsed.TotalSeconds);
                micro.AssertSameAsReference(store, kinds);
                ResultStore.OpenExisting(store, new ResultStoreOptions { Log = null }).Prune(new PruneOptions { Kinds = [kinds[^1]] });
            }
            var (code, _, stderr) = CliChild.Run(micro.Folder, MicroStore.Timeout, command);
            runs++;
            Assert.True(code == 0, $"{name} after {killed} kills exited {code}: {stderr}");
            micro.AssertSameAsReference(store, kinds);
            log?.WriteLine($"{name}: {killed} kill points survived, result identical to the uninterrupted run");
            kills += killed;
        }
        Assert.False(Directory.Exists(Path.Combine(store, ".work")) && Directory.EnumerateFileSystemEntries(Path.Combine(store, ".work")).Any(),
            "the work folder outlived the sealed entry");
        log?.WriteLine($"{kills} kill points in {runs} runs ({completions} finished before their kill point and were checked too); nothing lost, nothing invalid read back");
        Assert.True(kills >= 20, $"only {kills} kills landed while a command was running");
    }

    [Fact]
    public void Two_processes_on_one_key_give_one_valid_entry_and_the_same_answer()
    {
        string store = Path.Combine(micro.Folder, "contended");
        using var first = new CliChild(micro.Folder, MicroStore.Pretrain(store));
        Thread.Sleep(300);
        using var second = new CliChild(micro.Folder, MicroStore.Pretrain(store));
        Assert.True(first.Wait(MicroStore.Timeout) == 0, first.Stderr);
        Assert.True(second.Wait(MicroStore.Timeout) == 0, second.Stderr);
        Assert.Equal(Lines(first.Stdout, "step "), Lines(second.Stdout, "step "));   // the same checkpoint directories
        micro.AssertSameAsReference(store, "tokenizer", "pretrain");
        Assert.Single(MicroStore.Entries(store), e => e.Value.Kind == "pretrain");

        using var evalA = new CliChild(micro.Folder, MicroStore.Evaluate(store));
        using var evalB = new CliChild(micro.Folder, MicroStore.Evaluate(store));
        Assert.True(evalA.Wait(MicroStore.Timeout) == 0, evalA.Stderr);
        Assert.True(evalB.Wait(MicroStore.Timeout) == 0, evalB.Stderr);
        Assert.Equal(evalA.Stdout[evalA.Stdout.IndexOf('{')..], evalB.Stdout[evalB.Stdout.IndexOf('{')..]);
        micro.AssertSameAsReference(store, "finetune", "eval");
    }

    /// <summary>The result lines of stdout (progress lines may be there too, depending on the terminal).</summary>
    static string[] Lines(string stdout, string prefix) =>
        stdout.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal) && !l.Contains("tok/s", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void Two_stores_under_one_parent_share_no_work_and_both_end_complete()
    {
        // Issue 11.1: both used <parent>/work/<hash>, and one sealed an entry holding only the last checkpoint.
        string parent = Path.Combine(micro.Folder, "parent");
        using var x = new CliChild(micro.Folder, MicroStore.Pretrain(Path.Combine(parent, "storeX")));
        Thread.Sleep(TimeSpan.FromSeconds(micro.Durations["pretrain"].TotalSeconds / 2));
        using var y = new CliChild(micro.Folder, MicroStore.Pretrain(Path.Combine(parent, "storeY")));
        Assert.True(x.Wait(MicroStore.Timeout) == 0, x.Stderr);
        Assert.True(y.Wait(MicroStore.Timeout) == 0, y.Stderr);
        micro.AssertSameAsReference(Path.Combine(parent, "storeX"), "pretrain");
        micro.AssertSameAsReference(Path.Combine(parent, "storeY"), "pretrain");
        Assert.Equal(["storeX", "storeY"], Directory.EnumerateFileSystemEntries(parent).Select(Path.GetFileName).Order());
    }
}
