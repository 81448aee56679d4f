using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Faults;

/// <summary>The CLI on a read-only store, a full disk, a damaged entry and a damaged work folder: a clear message and
/// a non-zero exit where it can't write, an announced repair where it can.</summary>
[Trait("Category", "Faults"), Collection(MicroStore.Collection)]
public class StoreCliFaultTests(MicroStore micro)
{
    static readonly TimeSpan Quick = TimeSpan.FromSeconds(90);

    [Fact]
    public void A_read_only_store_that_needs_a_recomputation_fails_at_once_with_the_path()
    {
        using var fs = SmallFileSystem.MountOrSkip(16 << 10);
        string store = Path.Combine(fs.Path, "store");
        CopyTree(micro.Reference, store);
        foreach (string eval in Directory.EnumerateFiles(Path.Combine(store, "eval"), "*.json", SearchOption.AllDirectories)) File.Delete(eval);
        fs.MakeReadOnly();

        var (code, _, stderr) = CliChild.Run(micro.Folder, Quick, MicroStore.Evaluate(store));   // used to wait forever
        Assert.Equal(1, code);   // the file system refused (issue 21: it was 2, the code for bad input)
        Assert.Contains($"can't write '{store}", stderr);
        Assert.Contains("Read-only file system", stderr);

        var prune = CliChild.Run(micro.Folder, Quick, "store", "prune", "--store", store);
        Assert.Equal(1, prune.Code);
        Assert.Contains("can't write", prune.Stderr);
        var list = CliChild.Run(micro.Folder, Quick, "store", "list", "--store", store);
        Assert.True(list.Code == 0, list.Stderr);
        // A model already in the store is still served.
        Assert.Equal(0, CliChild.Run(micro.Folder, Quick, MicroStore.Pretrain(store)).Code);
    }

    /// <summary>Issue 21: a full disk during `evaluate` discarded the computed result (stdout empty, exit 2). The work is
    /// done by then: its JSON is printed, and the store's refusal is one line with the entry's path and exit 1.</summary>
    [Fact]
    public void Evaluate_onto_a_full_disk_still_prints_its_result_and_exits_1()
    {
        var expected = CliChild.Run(micro.Folder, Quick, MicroStore.Evaluate(micro.Reference));   // read back from the store
        Assert.True(expected.Code == 0, expected.Stderr);

        using var fs = SmallFileSystem.MountOrSkip(16 << 10);
        string store = Path.Combine(fs.Path, "store");
        CopyTree(micro.Reference, store);
        foreach (string eval in Directory.EnumerateFiles(Path.Combine(store, "eval"), "*.json", SearchOption.AllDirectories)) File.Delete(eval);
        // Fill what is left, so the evaluation's entry is the write that fails.
        using (var filler = new FileStream(Path.Combine(fs.Path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            var block = new byte[64 << 10];
            try { while (true) filler.Write(block); } catch (IOException) { }
            try { while (true) filler.Write(block, 0, 1); } catch (IOException) { }
        }

        var (code, stdout, stderr) = CliChild.Run(micro.Folder, Quick, MicroStore.Evaluate(store));
        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.True(expected.Stdout == stdout, $"stdout:\n{stdout}\nstderr:\n{stderr}");   // the same numbers as the stored evaluation's
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("amurochar: ", StringComparison.Ordinal));
        Assert.Contains("the result was computed but not stored at " + Path.Combine(store, "eval"), line);
        Assert.Contains("No space left on device", line);
        Assert.DoesNotContain("   at ", stderr);
    }

    /// <summary>Issue 21: finetune's room check said "needs about 0.2 MiB" for a 272 KiB entry (the preset's placeholder
    /// vocabulary, no tokenizer.json), trained, then failed to store. The estimate now covers the entry it writes.</summary>
    [Fact]
    public void The_room_check_before_finetuning_covers_the_entry_written()
    {
        var store = AmuroChar.Results.ResultStore.OpenExisting(micro.Reference, AmuroChar.Study.StoreRequirements.Options(new AmuroChar.Results.ResultStoreOptions { Log = null }));
        var study = new AmuroChar.Study.StudyEngine(AmuroChar.Study.StudyFactory.Inputs("micro", 1, store), store);
        long estimate = AmuroChar.Cli.Commands.TuneCommand.StoredModelBytes(study);
        var entry = Assert.Single(MicroStore.Entries(micro.Reference).Values, e => e.Kind == "finetune");
        long written = Directory.EnumerateFiles(entry.Path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(estimate >= written, $"estimate {estimate} bytes < the {written} bytes of {entry.Path}");
        Assert.True(estimate < 4 * written, $"estimate {estimate} bytes is far above the {written} bytes written");
    }

    [Fact]
    public void Pretraining_onto_a_full_disk_fails_clearly_and_completes_once_there_is_room()
    {
        using var fs = SmallFileSystem.MountOrSkip(768);
        string store = Path.Combine(fs.Path, "store");
        var (code, _, stderr) = CliChild.Run(micro.Folder, MicroStore.Timeout, MicroStore.Pretrain(store));
        Assert.NotEqual(0, code);
        Assert.Contains("No space left on device", stderr);
        Assert.DoesNotContain("   at ", stderr);   // one line, no stack trace
        MicroStore.Entries(store);   // nothing invalid was sealed

        using var bigger = SmallFileSystem.MountOrSkip(32 << 10);
        string moved = Path.Combine(bigger.Path, "store");
        CopyTree(store, moved);   // the same store, with room: it resumes from what was saved
        var again = CliChild.Run(micro.Folder, MicroStore.Timeout, MicroStore.Pretrain(moved));
        Assert.True(again.Code == 0, again.Stderr);
        micro.AssertSameAsReference(moved, "pretrain");
    }

    [Fact]
    public void A_damaged_pretraining_entry_is_announced_with_the_reason_and_recomputed()
    {
        string store = Path.Combine(micro.Folder, "damaged-entry");
        CopyTree(micro.Reference, store);
        string weights = Directory.EnumerateFiles(Path.Combine(store, "pretrain"), "model.safetensors", SearchOption.AllDirectories).First();
        File.Delete(weights);

        var list = CliChild.Run(micro.Folder, Quick, "store", "list", "--store", store);
        Assert.Contains("missing", list.Stdout);
        Assert.Contains("Invalid", list.Stdout);

        var (code, _, stderr) = CliChild.Run(micro.Folder, MicroStore.Timeout, MicroStore.Pretrain(store));
        Assert.True(code == 0, stderr);
        Assert.Matches(@"store: entry pretrain [0-9a-f]{12} is damaged \(.*model\.safetensors.*\); recomputing", stderr);
        micro.AssertSameAsReference(store, "pretrain");
    }

    [Fact]
    public void A_damaged_work_checkpoint_is_announced_and_the_resumed_run_is_identical()
    {
        string store = Path.Combine(micro.Folder, "damaged-work");
        // Kill pre-training once its work folder holds a checkpoint after step 0, then damage that checkpoint.
        string? damaged = null;
        using (var child = new CliChild(micro.Folder, MicroStore.Pretrain(store)))
        {
            var deadline = DateTime.UtcNow + MicroStore.Timeout;
            while (damaged is null && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
                damaged = Directory.Exists(Path.Combine(store, ".work"))
                    ? Directory.EnumerateFiles(Path.Combine(store, ".work"), "state.json", SearchOption.AllDirectories)
                        .FirstOrDefault(p => !p.Contains("step-0") && !p.Contains(".tmp-")) : null;
            }
            Assert.True(child.KillAfter(TimeSpan.Zero), "pre-training finished before a checkpoint could be damaged");
        }
        Assert.NotNull(damaged);
        File.WriteAllText(damaged, "{\"Step\":");   // malformed state.json: crashed every rerun before

        var (code, _, stderr) = CliChild.Run(micro.Folder, MicroStore.Timeout, MicroStore.Pretrain(store));
        Assert.True(code == 0, stderr);
        Assert.Contains("is unusable (malformed state.json", stderr);
        micro.AssertSameAsReference(store, "pretrain");
    }

    [Fact]
    public void Store_list_reads_only_and_refuses_a_missing_store()
    {
        string missing = Path.Combine(micro.Folder, "no-such-store");
        var (code, _, stderr) = CliChild.Run(micro.Folder, Quick, "store", "list", "--store", missing);
        Assert.NotEqual(0, code);
        Assert.Contains("no result store", stderr);
        Assert.False(Directory.Exists(missing));

        string store = Path.Combine(micro.Folder, "listed");
        CopyTree(micro.Reference, store);
        string foreign = Path.Combine(store, ".tmp", "not-the-stores.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(foreign)!);
        File.WriteAllText(foreign, "x");
        var before = Directory.EnumerateFileSystemEntries(store, "*", SearchOption.AllDirectories).Order().ToList();
        Assert.Equal(0, CliChild.Run(micro.Folder, Quick, "store", "list", "--store", store).Code);
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(store, "*", SearchOption.AllDirectories).Order().ToList());
        Assert.Equal(0, CliChild.Run(micro.Folder, Quick, "store", "prune", "--store", store).Code);
        Assert.True(File.Exists(foreign));
    }

    static void CopyTree(string from, string to)
    {
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
