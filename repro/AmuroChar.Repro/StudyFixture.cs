using System.Collections.Concurrent;
using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using AmuroChar.Findings;
using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Study;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;
using AmuroChar.Running;

[assembly: AssemblyFixture(typeof(AmuroChar.Repro.StudyFixture))]

namespace AmuroChar.Repro;

/// <summary>
/// The studies of the active scale, each computed once per test run and shared by every finding. The scale comes from
/// AMUROCHAR_SCALE (tiny by default; small; paper) and the worlds from AMUROCHAR_WORLD_SEEDS (a comma list, e.g.
/// <c>1,2,3,4,5</c>; default 1, the world the suite was developed on): every claim is a theory over those worlds, one
/// whole study each, computed when its first test needs it. Models and results live in the result store, so a second
/// run reuses them and only re-judges. Figures go to &lt;root&gt;/&lt;scale&gt;-seed&lt;N&gt;/figures, the root being AMUROCHAR_FIGURES or &lt;repo&gt;/out/tests.
/// </summary>
public sealed class StudyFixture
{
    public const int DefaultWorldSeed = 1;
    public const string WorldSeedsVariable = "AMUROCHAR_WORLD_SEEDS";

    readonly ConcurrentDictionary<long, Lazy<Measurements>> _measurements = new();
    readonly ConcurrentDictionary<long, Lazy<(ToleranceRule, string)>> _baselineRules = new();
    readonly IMessageSink _diagnostics;

    public static string ScaleName { get; } = Environment.GetEnvironmentVariable("AMUROCHAR_SCALE") is { Length: > 0 } s ? s : "tiny";
    public static string Repository => RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("the findings suite runs inside the AmuroChar repository (AmuroChar.sln not found)");

    /// <summary>The worlds every claim is judged on (theory data, known without running anything); the older
    /// AMUROCHAR_WORLD_SEED (one seed) still works. The paper scale has no world seed. A malformed list fails test
    /// discovery with the variable named, rather than judging a default.</summary>
    public static IReadOnlyList<long> WorldSeeds => ParseWorldSeeds(
        Environment.GetEnvironmentVariable(WorldSeedsVariable) is { Length: > 0 } seeds ? seeds : Environment.GetEnvironmentVariable("AMUROCHAR_WORLD_SEED"));

    static IReadOnlyList<long> ParseWorldSeeds(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [DefaultWorldSeed]
        : ScaleName == "paper" ? throw new ArgumentException($"{WorldSeedsVariable}=\"{value}\" picks tiny-world seeds; the paper scale has no world")
        : SeedSweep.ParseWorldSeeds(value) ?? throw new ArgumentException(
            $"{WorldSeedsVariable}=\"{value}\": expected distinct non-negative integers separated by commas, e.g. 1,2,3,4,5");

    /// <summary>
    /// The worlds whose per-checkpoint numbers are compared with snapshotted baselines: those with a baselines folder
    /// (the default world's always, so a missing one fails), or every listed world while AMUROCHAR_ACCEPT_BASELINES is
    /// set (that is how a world's baselines are first written). A world without baselines is still judged on every claim.
    /// </summary>
    public static IReadOnlyList<long> BaselinedWorldSeeds => WorldSeeds
        .Where(seed => seed == DefaultWorldSeed || Directory.Exists(ScaleBaselineDirectory(seed)) || Snapshot.AcceptFromEnvironment())
        .ToList();

    /// <summary>Why this scale can't run here (its inputs are absent), or null.</summary>
    public static string? Unavailable => ScaleName == "paper" ? PaperInputs.MissingInputs() : null;

    /// <param name="diagnostics">xunit's message sink: with "diagnosticMessages": true (xunit.runner.json) its
    /// messages reach the terminal of `dotnet test` as they are sent, unlike Console output, which the test host
    /// swallows; so a first run that trains for minutes says what it is doing.</param>
    public StudyFixture(IMessageSink diagnostics) => _diagnostics = diagnostics;

    /// <summary>One world's study. Tests run one at a time (xunit.runner.json), so worlds are computed one after another.</summary>
    public Measurements Measurements(long worldSeed)
    {
        if (Unavailable is { } why) Assert.Skip(why);
        return _measurements.GetOrAdd(worldSeed, seed => new Lazy<Measurements>(() => Compute(seed), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    Measurements Compute(long worldSeed)
    {
        void Say(string line) => _diagnostics.OnMessage(new DiagnosticMessage($"findings study ({ScaleName}, world seed {worldSeed}): {line}"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Say("computing what the findings need (models and results already in the result store are reused)");
        var progress = new ProgressLines(Say);
        var store = ResultStore.Default();
        var inputs = StudyFactory.Inputs(ScaleName, worldSeed, store, progress);
        var measurements = new Measurements(new AmuroChar.Study.StudyEngine(inputs, store, progress));
        var phases = StudyRunner.Run(measurements, Finding.All(measurements), workers: 2, progress);
        Say($"ready after {clock.Elapsed.TotalSeconds:F0} s ({string.Join("; ", phases.Select(p => $"{p.Phase} {p.Elapsed.TotalSeconds:F0} s"))})");
        if (phases.Any(p => p.Elapsed.TotalSeconds > 1))
        {
            var model = StudyRunner.Architecture(measurements.Study);
            double peak = StudyRunner.PeakFlopsPerSecond(measurements.Study);
            foreach (var p in phases) Say($"phase {p.Describe(model, peak)}");
        }
        return measurements;
    }

    /// <summary>baselines/&lt;scale&gt;/&lt;finding&gt; for the default world, baselines/&lt;scale&gt;-seed&lt;N&gt;/… for others.</summary>
    public static string BaselineDirectory(string finding, long worldSeed) => Path.Combine(ScaleBaselineDirectory(worldSeed), finding);

    /// <summary>baselines/&lt;scale&gt; (or &lt;scale&gt;-seed&lt;N&gt;), which holds the platform.json of its baselines.</summary>
    public static string ScaleBaselineDirectory(long worldSeed) =>
        Path.Combine(Repository, "baselines", worldSeed == DefaultWorldSeed ? ScaleName : $"{ScaleName}-seed{worldSeed}");

    public static string FigureDirectory(string finding, long worldSeed) =>
        Path.Combine(Environment.GetEnvironmentVariable("AMUROCHAR_FIGURES") is { Length: > 0 } dir ? dir : Path.Combine(Repository, "out", "tests"),
            $"{ScaleName}-seed{worldSeed}", "figures", finding);

    /// <summary>Compares one checkpoint's measurements with its snapshotted baseline (see AmuroChar.Baselines).
    /// The rule depends on where the baselines were made (<see cref="BaselinePlatform"/>): exact under the same numeric
    /// path, statistical elsewhere.</summary>
    public SnapshotResult VerifyBaseline(string finding, long worldSeed, int step, IReadOnlyDictionary<string, Estimate> measured,
        IReadOnlyDictionary<string, string>? scoredItems = null)
    {
        var (rule, _) = BaselineRule(worldSeed);
        bool accept = Snapshot.AcceptFromEnvironment();
        var result = Snapshot.Verify(BaselineDirectory(finding, worldSeed), AmuroChar.Checkpoints.CheckpointStep.FileStem(step), measured, rule, accept, scoredItems);
        // The numbers' platform goes with them: into platform.json when accepting, beside the received files otherwise,
        // so `baselines accept` promotes baselines and platform from one machine.
        string scaleDirectory = ScaleBaselineDirectory(worldSeed);
        if (accept) lock (_baselineRules) ThisPlatform.Write(scaleDirectory);
        else if (!result.Passed) lock (_baselineRules) ThisPlatform.WriteFile(Path.Combine(scaleDirectory, BaselinePlatform.ReceivedFileName));
        return result;
    }

    /// <summary>This machine's numeric platform, measured once per run (seconds; cached by machine identity).</summary>
    static BaselinePlatform ThisPlatform => BaselinePlatform.Of(NumericPlatform.Current,
        Scale.ByName(ScaleName).Precision.On(TorchRuntime.ResolveDevice(Environment.GetEnvironmentVariable(AmuroChar.Study.StudyEngine.DeviceVariable))),
        "Written by the findings suite with the baselines of this folder: runs whose numeric fingerprint is this one compare exactly, others statistically.");

    /// <summary>The comparison rule for a world's baselines and why (read once from its platform.json, against this
    /// machine's measured fingerprint).</summary>
    public (ToleranceRule Rule, string Why) BaselineRule(long worldSeed) => _baselineRules.GetOrAdd(worldSeed, seed => new(() =>
    {
        string folder = ScaleBaselineDirectory(seed);
        var platform = BaselinePlatform.Read(folder);
        // Numbers this suite made always come with their platform; only numbers from elsewhere (the paper's, marked
        // partial) have none. A missing platform.json would otherwise loosen "exact" without a word.
        if (platform is null && !Snapshot.AcceptFromEnvironment() && Directory.Exists(folder)
            && Directory.EnumerateFiles(folder, "step-*.json", SearchOption.AllDirectories)
                .Where(p => !p.EndsWith(Snapshot.ReceivedSuffix, StringComparison.Ordinal))
                .Any(p => !BaselineFile.ReadBaseline(p).Partial))
            throw new InvalidDataException($"{Path.Combine(folder, BaselinePlatform.FileName)} is missing: the baselines' numeric platform is unknown, " +
                                           $"so neither the exact nor the statistical rule can be chosen; re-baseline with {Snapshot.AcceptVariable}=1 (it writes the file)");
        return BaselinePlatform.RuleFor(platform, ThisPlatform);
    })).Value;

    /// <summary>The checkpoints of the active scale, known without running anything (theory data).</summary>
    public static IReadOnlyList<int> CheckpointsOf(bool fineTuned)
    {
        string scale = ScaleName;
        if (scale == "paper")
        {
            if (PaperInputs.MissingInputs() is not null) return [0];   // one case, which skips with the reason
            return new PaperInputs(Environment.GetEnvironmentVariable(PaperInputs.OlmoVariable)!, Environment.GetEnvironmentVariable(PaperInputs.DataVariable)!, Scale.Paper).Checkpoints;
        }
        var config = Scale.ByName(scale);
        return fineTuned ? config.Checkpoints.Where(c => c >= config.FirstFineTunedStep).ToList() : config.Checkpoints;
    }
}
