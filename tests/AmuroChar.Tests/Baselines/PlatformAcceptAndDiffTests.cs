using System.Diagnostics;
using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using AmuroChar.Model;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Baselines;

/// <summary>
/// A folder's baselines and its platform.json always come from one machine (accept promotes the received platform
/// with the numbers, and refuses to mix two), and <c>baselines diff</c> shows a reviewer what changed, under the rule.
/// </summary>
public sealed class PlatformAcceptAndDiffTests : SnapshotTestBase
{
    static BaselinePlatform Platform(string gemm) => Platform(new Dictionary<string, string>
    {
        ["attention"] = "1111111111111111", ["elementwise"] = "2222222222222222", ["gemm"] = gemm,
        ["generate"] = "3333333333333333", ["init"] = "4444444444444444", ["train"] = "5555555555555555",
    });

    static BaselinePlatform Platform(Dictionary<string, string> families) =>
        new(NumericFingerprint.FromFamilies(families).Digest, families, "test CPU", "x86-64-avx2", "1|2|4", "TorchSharp", "cpu", "");

    string ScaleDir => Path.Combine(Root, "tiny");
    string OtherFinding => Path.Combine(ScaleDir, "forgetting");

    [Fact]
    public void Accept_promotes_the_received_platform_with_the_numbers()
    {
        Verify(Sample(), accept: true);
        Platform("aaaaaaaaaaaaaaaa").Write(ScaleDir);
        var moved = Sample();
        moved["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);
        Assert.False(Verify(moved, rule: ToleranceRule.Exact).Passed);
        // Same platform: the received platform is promoted (a no-op here) and removed; received files never include it.
        Platform("aaaaaaaaaaaaaaaa").WriteFile(Path.Combine(ScaleDir, BaselinePlatform.ReceivedFileName));
        Assert.Equal([ReceivedFile], Snapshot.Pending(Root));
        Assert.Equal([VerifiedFile], Snapshot.AcceptAll(Root));
        Assert.False(File.Exists(Path.Combine(ScaleDir, BaselinePlatform.ReceivedFileName)));
        Assert.Equal(Platform("aaaaaaaaaaaaaaaa").Fingerprint, BaselinePlatform.Read(ScaleDir)!.Fingerprint);
    }

    [Fact]
    public void Accept_refuses_to_mix_two_platforms_in_one_folder_and_changes_nothing()
    {
        Verify(Sample(), accept: true);
        Snapshot.Verify(OtherFinding, "step-0", Sample(), ToleranceRule.Default, accept: true);
        Platform("aaaaaaaaaaaaaaaa").Write(ScaleDir);
        var moved = Sample();
        moved["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);
        Assert.False(Verify(moved).Passed);
        Platform("bbbbbbbbbbbbbbbb").WriteFile(Path.Combine(ScaleDir, BaselinePlatform.ReceivedFileName));
        string before = File.ReadAllText(VerifiedFile);

        var e = Assert.Throws<InvalidOperationException>(() => Snapshot.AcceptAll(Root));
        Assert.Contains(BaselinePlatform.ReceivedFileName, e.Message);
        Assert.Contains("step-0.json", e.Message);
        Assert.Contains(Snapshot.AcceptVariable, e.Message);
        Assert.Equal(before, File.ReadAllText(VerifiedFile));
        Assert.Equal(Platform("aaaaaaaaaaaaaaaa").Fingerprint, BaselinePlatform.Read(ScaleDir)!.Fingerprint);

        // Every baseline of the folder received: a full re-baseline on the new platform is accepted.
        Assert.False(Snapshot.Verify(OtherFinding, "step-0", moved, ToleranceRule.Default, false).Passed);
        Assert.Equal(2, Snapshot.AcceptAll(Root).Count);
        Assert.Equal(Platform("bbbbbbbbbbbbbbbb").Fingerprint, BaselinePlatform.Read(ScaleDir)!.Fingerprint);
    }

    [Fact]
    public void Diff_lists_the_changed_metrics_under_the_rule_as_markdown()
    {
        var old = Sample();
        var moved = Sample();
        moved["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);
        moved["mnli_matched/ft/acc"] = new Estimate(0.73129, 0.68912, 0.77104, 420);   // a last-decimal change
        var exact = BaselineDiff.Changes([new BaselineDiff.FilePair("tiny/x/step-1.json", new Baseline(old), new Baseline(moved), ToleranceRule.Exact)]);
        Assert.Equal(["mnli_matched/ft/acc", "xsum/ft/rougeL"], exact.Select(c => c.Row.Metric));
        Assert.All(exact, c => Assert.True(BaselineDiff.Fails(c.Row)));
        // Under a statistical rule (3.3 half-widths) the last-decimal change passes; the 6-point ROUGE drop still does not.
        var statistical = BaselineDiff.Changes([new BaselineDiff.FilePair("tiny/x/step-1.json", new Baseline(old), new Baseline(moved), ToleranceRule.CiHalfWidth(3.3))]);
        Assert.Equal([false, true], statistical.Select(c => BaselineDiff.Fails(c.Row)));
        // Across numeric platforms the rule adds the measured platform spread: a 6-point move is within what another
        // pre-training moves a metric by; a classifier that stopped answering right is not.
        var otherPlatform = BaselineDiff.Changes([new BaselineDiff.FilePair("tiny/x/step-1.json", new Baseline(old), new Baseline(moved), ToleranceRule.CrossPlatform)]);
        Assert.Equal([false, false], otherPlatform.Select(c => BaselineDiff.Fails(c.Row)));
        var broken = Sample();
        broken["mnli_matched/ft/acc"] = new Estimate(0.0, 0.0, 0.0, 420);
        Assert.True(BaselineDiff.Fails(BaselineDiff.Changes([new BaselineDiff.FilePair("tiny/x/step-1.json", new Baseline(old), new Baseline(broken), ToleranceRule.CrossPlatform)]).Single().Row));
        string markdown = BaselineDiff.Render("HEAD", "working tree", [new("baselines/tiny", ToleranceRule.Exact, "same fingerprint")], exact, 1);
        Assert.Contains("| file | metric | old | new | Δ | tolerance | passes |", markdown);
        Assert.Contains("| `tiny/x/step-1.json` | `xsum/ft/rougeL` | 0.4123 [0.3970, 0.4281] n=200 | 0.3500 [0.3350, 0.3660] n=200 | -0.0623 |", markdown);
        Assert.Contains("2 metrics changed in 1 of 1 baseline files; 2 fail their rule.", markdown);
        Assert.Contains("No metric changed", BaselineDiff.Render("HEAD", "working tree", [], [], 3));
    }

    /// <summary>The command on a real git repository: the committed baseline against a received file.</summary>
    [Fact]
    public void The_diff_command_compares_a_git_ref_with_the_received_files()
    {
        Verify(Sample(), accept: true);
        Platform("aaaaaaaaaaaaaaaa").Write(ScaleDir);
        Git("init", "-q"); Git("add", "-A"); Git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "baselines");
        var moved = Sample();
        moved["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);
        Assert.False(Verify(moved).Passed);
        Platform("bbbbbbbbbbbbbbbb").WriteFile(Path.Combine(ScaleDir, BaselinePlatform.ReceivedFileName));

        var (code, stdout, stderr) = PaperCli.Run(new(), "baselines", "diff", "--root", Root);
        Assert.True(code == 0, stderr);
        Assert.Contains("### Baselines: HEAD → working tree", stdout);
        Assert.Contains("statistical", stdout);                         // the received platform is another one
        Assert.Contains("kernel families that differ: gemm", stdout);
        Assert.Contains("| `tiny/finetune_gains/step-1000.json` | `xsum/ft/rougeL` |", stdout);
        Assert.DoesNotContain("mnli_matched", stdout);                   // unchanged metrics are not listed

        var (badCode, _, badError) = PaperCli.Run(new(), "baselines", "diff", "no-such-ref", "--root", Root);
        Assert.Equal(2, badCode);
        Assert.Contains("no-such-ref", badError);
        Assert.DoesNotContain("   at ", badError);
    }

    /// <summary>The baselines folder below the top of the work tree, as in the repository (baselines/ of it).</summary>
    [Fact]
    public void The_diff_command_works_on_a_baselines_folder_below_the_top_of_the_repository()
    {
        Verify(Sample(), accept: true);
        Platform("aaaaaaaaaaaaaaaa").Write(ScaleDir);
        string top = Path.Combine(Path.GetTempPath(), "amurochar-diff-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(top);
            Directory.Move(Root, Path.Combine(top, "baselines"));
            string baselines = Path.Combine(top, "baselines");
            GitIn(top, "init", "-q"); GitIn(top, "add", "-A"); GitIn(top, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "baselines");
            string verified = Path.Combine(baselines, "tiny", "finetune_gains", Name + ".json");
            File.WriteAllText(verified[..^5] + ".received.json", File.ReadAllText(verified).Replace("0.4123", "0.3500"));

            var (code, stdout, stderr) = PaperCli.Run(new(), "baselines", "diff", "--root", baselines);
            Assert.True(code == 0, stderr);
            Assert.Contains("exact", stdout);                                // same platform: the committed one
            Assert.Contains("| `tiny/finetune_gains/step-1000.json` | `xsum/ft/rougeL` | 0.4123", stdout);
            Assert.Contains("1 metrics changed in 1 of 1 baseline files; 1 fail their rule.", stdout);
        }
        finally { Directory.Delete(top, recursive: true); }
    }

    void Git(params string[] args) => GitIn(Root, args);

    static void GitIn(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
    }
}
