using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AmuroChar.Baselines;
using AmuroChar.Checkpoints;
using AmuroChar.Findings;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Study;

/// <summary>
/// The paper scale in miniature, in CI (issue 10): <c>amurochar reproduce --scale paper</c>, the real process, on the
/// inputs of <see cref="PaperMiniature"/> with only sizes shrunk. Everything a GPU run produces must be produced; the
/// claims are judged and reported but not asserted at this size.
/// </summary>
public class PaperMiniatureTests(ITestOutputHelper output)
{
    static readonly string[] Sizes = ["--max-items", "6", "--max-length", "64", "--epochs", "1", "--max-new-tokens", "4"];
    static readonly SizeOverrides MiniatureSizes = new() { MaxItems = 6, MaxLength = 64, Epochs = 1, MaxNewTokens = 4 };
    const string Described = "max items 6, max length 64, epochs 1, max new tokens 4";

    [Fact]
    public void Reproduce_at_paper_scale_in_miniature_writes_everything_and_a_second_run_reuses_the_store()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new ScratchDirectory();
        var layout = PaperMiniature.Write(dir.Path, output.WriteLine);
        output.WriteLine($"inputs written in {clock.Elapsed.TotalSeconds:0.0} s; pre-training loss {layout.PretrainLosses[0]:0.00} → {layout.PretrainLosses[^1]:0.00}");
        Assert.True(layout.PretrainLosses[^1] < layout.PretrainLosses[0] - 1, "the miniature revisions learned nothing");

        string store = dir.Sub("store"), outDir = dir.Sub("out");
        var env = new Dictionary<string, string?> { ["HF_HUB_CACHE"] = layout.Cache, [PaperData.DataVariable] = layout.Data };
        string[] args = ["reproduce", "--scale", "paper", .. Sizes, "--store", store, "--out", outDir];

        // Every split read, none with a problem: the catalog is complete in all three formats.
        var list = PaperCli.Run(env, "datasets", "list", "--scale", "paper");
        Assert.True(list.Code == 0, list.Err);
        foreach (var (name, _, _) in PaperData.Files) Assert.Contains($"\n{name}\t", "\n" + list.Out);
        foreach (string format in new[] { ".parquet", ".jsonl", "state.json" })
            Assert.Contains(Directory.EnumerateFileSystemEntries(layout.Data, "*", SearchOption.AllDirectories), p => p.EndsWith(format, StringComparison.Ordinal));
        var run1 = Timed(env, args);
        output.WriteLine($"first run: {run1.Seconds:0.0} s\n{run1.Out}");
        Assert.True(run1.Code == 0, run1.Err);
        Assert.Contains($"miniature run ({Described})", run1.Err);

        // Every requirement of every finding has a stored result: one evaluation entry per distinct requirement, one
        // model entry per fine-tuned or instruction-tuned model, and nothing else computed.
        var (requirements, evaluations) = Requirements(layout);
        var entries = StoreEntries(store);
        Assert.Equal(evaluations, entries.Count(e => e.Key.StartsWith("eval/", StringComparison.Ordinal)));
        var models = requirements.Select(r => r.Model).Where(m => !m.IsBase).Distinct().ToList();
        Assert.Equal(models.Count(m => m.FineTunedOn != ModelRef.Instruction), entries.Count(e => e.Key.StartsWith("finetune/", StringComparison.Ordinal)));
        Assert.Equal(models.Count(m => m.FineTunedOn == ModelRef.Instruction), entries.Count(e => e.Key.StartsWith("instruct/", StringComparison.Ordinal)));

        // report.md, results.json, the figures.
        string report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal("paper", results["scale"]!.GetValue<string>());
        Assert.Equal(Described, results["miniature"]!.GetValue<string>());
        Assert.Equal(PaperMiniature.Revisions.Length, results["checkpoints"]!.AsArray().Count);
        // The settings as resolved: the paper scale's "auto" precision is what it became on this CPU, and the learning
        // rate and epochs the miniature ran with are written, not only the scale's name.
        var settings = results["settings"]!;
        Assert.Equal("fp32", settings["precision"]!.GetValue<string>());
        Assert.Equal("cpu", settings["device"]!.GetValue<string>());
        Assert.True(settings["FineTune"]!["LearningRate"]!.GetValue<double>() > 0);
        Assert.Contains("models computed in fp32 on cpu", report);
        // The authors' protocol ran, end to end, and says so (issue 19).
        Assert.Equal("authors", settings["Protocol"]!["Name"]!.GetValue<string>());
        Assert.Contains("evaluation protocol: authors (demonstrations are the evaluated file's first items, scored too", report);
        Assert.Equal("OpenInstruct", settings["FineTune"]!["Recipe"]!.GetValue<string>());
        Assert.Equal(2e-7, settings["FineTuneLearningRates"]!["xsum"]!.GetValue<double>());
        var findings = results["findings"]!.AsArray();
        Assert.Equal(7, findings.Count);
        foreach (var f in findings)
        {
            Assert.NotEmpty(f!["verdicts"]!.AsArray());
            foreach (var (step, metrics) in f["measurements"]!.AsObject()) Assert.NotEmpty(metrics!.AsObject());
        }
        var figures = Regex.Matches(report, @"!\[[^\]]*\]\(([^)]+\.png)\)").Select(m => Path.Combine(outDir, m.Groups[1].Value)).ToList();
        Assert.NotEmpty(figures);
        foreach (string png in figures)
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);

        // Claims judged and reported, not asserted, and the report says so.
        Assert.Contains($"**Miniature: sizes shrunk ({Described}); claims judged but not asserted.**", report);
        Assert.Contains("## Summary", report);
        Assert.Matches(@"\| `dichotomy\.learned_suites_rise` \| .+ \| \*\*(reproduced|NOT REPRODUCED: [^|]+ fail\(s\)|not testable: [^|]+)\*\* \|", report);   // a row per claim, by its id

        // Our numbers beside the paper's, from baselines/paper, at the revisions both have.
        Assert.Contains("## Beside the paper", report);
        string repo = RepositoryRoot.Find()!;
        // main is the last checkpoint, read from the Hub's main ref, and set beside the paper's main numbers (issue 19).
        Assert.Equal("main", results["checkpoints"]!.AsArray()[^1]!.GetValue<string>());
        foreach (var (finding, step) in new[] { ("dichotomy", 1000), ("latent_improvement", 18000), ("format_sensitivity", 342000), ("latent_improvement", CheckpointStep.Main) })
        {
            var paper = BaselineFile.Read(Path.Combine(repo, "baselines", "paper", finding, CheckpointStep.FileStem(step) + ".json"));
            var (metric, theirs) = paper.First();
            string label = CheckpointStep.Label(step);
            var ours = results["findings"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == finding)!["measurements"]![label]![metric];
            Assert.NotNull(ours);
            Assert.Contains($"| {label} | {metric} | {ours!["mean"]!.GetValue<double>():0.000} [", report);
            Assert.Matches($@"\| {label} \| {Regex.Escape(metric)} \| [^|]+ \| {theirs.Mean:0.000} \|", report);
        }

        // A second run reuses the store: no entry added or rewritten, the same report, and far less time.
        var run2 = Timed(env, args);
        output.WriteLine($"second run: {run2.Seconds:0.0} s\n{run2.Out}");
        Assert.True(run2.Code == 0, run2.Err);
        Assert.Equal(entries, StoreEntries(store));
        Assert.Equal(report, File.ReadAllText(Path.Combine(outDir, "report.md")));
        Assert.True(run2.Seconds < run1.Seconds / 2, $"second run {run2.Seconds:0.0} s, first {run1.Seconds:0.0} s");
        output.WriteLine($"whole test: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Issue 18: the paper scale over a second checkpointed family, Pythia-shaped GPT-NeoX revisions named as
    /// Pythia's (<c>step{N}</c>, <c>main</c>), through <c>--model</c>: every stage runs (fine-tuning, evaluation, the
    /// authors' protocol, the report), each model loaded by its config's family; the OLMo paper's numbers are not set
    /// beside another model's.</summary>
    [Fact]
    public void Reproduce_at_paper_scale_in_miniature_over_a_Pythia_shaped_family()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new ScratchDirectory();
        var layout = PaperMiniature.WritePythia(dir.Path);
        string store = dir.Sub("store"), outDir = dir.Sub("out");
        var env = new Dictionary<string, string?> { ["HF_HUB_CACHE"] = layout.Cache, [PaperData.DataVariable] = layout.Data };
        var run = Timed(env, ["reproduce", "--scale", "paper", "--model", PaperMiniature.PythiaRepo, .. Sizes, "--store", store, "--out", outDir]);
        output.WriteLine($"run: {run.Seconds:0.0} s\n{run.Out}");
        Assert.True(run.Code == 0, run.Err);

        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal(PaperMiniature.PythiaRepo, results["settings"]!["ModelRepository"]!.GetValue<string>());
        Assert.Equal("[512,2000,\"main\"]", results["checkpoints"]!.ToJsonString());
        var entries = StoreEntries(store);
        Assert.Contains(entries.Keys, k => k.StartsWith("finetune/", StringComparison.Ordinal));
        Assert.Contains(entries.Keys, k => k.StartsWith("eval/", StringComparison.Ordinal));
        string report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains($"this run studied {PaperMiniature.PythiaRepo}, so none are set beside it", report);
        Assert.Contains($"{PaperMiniature.PythiaRepo} revisions and the paper's datasets", report);
        // A fine-tuned model was stored as its family wrote it.
        string anyModel = Directory.EnumerateFiles(store, "config.json", SearchOption.AllDirectories).First(p => p.Contains("finetune", StringComparison.Ordinal));
        Assert.Contains("\"gpt_neox\"", File.ReadAllText(anyModel));
        output.WriteLine($"whole test: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>What the findings require of these inputs, and how many distinct evaluations that is (a requirement
    /// that leaves the method to its default is the same evaluation as one naming it), listed in-process without
    /// computing anything.</summary>
    static (List<Requirement> Requirements, int Evaluations) Requirements(PaperMiniature.Layout layout)
    {
        var inputs = new PaperInputs(null, layout.Data, MiniatureSizes.Apply(Scale.Paper), v => v == "HF_HUB_CACHE" ? layout.Cache : null);
        using var scratch = new ScratchDirectory();
        var study = new AmuroChar.Study.StudyEngine(inputs, new ResultStore(scratch.Path));
        var m = new Measurements(study);
        List<Requirement> requirements = [.. Declaration.RequirementsOf(m, Finding.All(m))];
        int evaluations = requirements.Select(r => (r.Model, study.CheckEvaluation(r.Model, r.Dataset, r.Format, r.Method, r.Shots) is var (data, _, spec) ? (data.Key, spec) : default))
            .Distinct().Count();
        return (requirements, evaluations);
    }

    /// <summary>Every sealed entry of the store (kind/…/hash) with its last write time.</summary>
    static SortedDictionary<string, DateTime> StoreEntries(string store)
    {
        var entries = new SortedDictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (string kind in Directory.EnumerateDirectories(store).Where(d => !Path.GetFileName(d).StartsWith('.')))
            foreach (string bucket in Directory.EnumerateDirectories(kind))
                foreach (string entry in Directory.EnumerateFileSystemEntries(bucket))
                    entries[Path.GetRelativePath(store, entry).Replace('\\', '/')] = File.GetLastWriteTimeUtc(entry);
        return entries;
    }

    static (int Code, string Out, string Err, double Seconds) Timed(Dictionary<string, string?> env, string[] args)
    {
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = PaperCli.Run(env, args);
        return (code, stdout, stderr, clock.Elapsed.TotalSeconds);
    }
}
