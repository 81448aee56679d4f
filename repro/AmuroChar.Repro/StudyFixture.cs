using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using AmuroChar.Findings;
using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Study;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

[assembly: AssemblyFixture(typeof(AmuroChar.Repro.StudyFixture))]

namespace AmuroChar.Repro;

/// <summary>
/// The study of the active scale, computed once per test run and shared by every finding. The scale comes from
/// AMUROCHAR_SCALE (tiny by default; small; paper) and the world from AMUROCHAR_WORLD_SEED (1 by default). Models and
/// results live in the result store, so a second run reuses them and only re-judges. Figures go to
/// AMUROCHAR_FIGURES (default: &lt;repo&gt;/out/tests/&lt;scale&gt;-seed&lt;N&gt;/figures).
/// </summary>
public sealed class StudyFixture
{
    public const int DefaultWorldSeed = 1;

    readonly Lazy<Measurements> _measurements;

    public string ScaleName { get; } = Environment.GetEnvironmentVariable("AMUROCHAR_SCALE") is { Length: > 0 } s ? s : "tiny";
    public long WorldSeed { get; } = long.TryParse(Environment.GetEnvironmentVariable("AMUROCHAR_WORLD_SEED"), out var seed) ? seed : DefaultWorldSeed;
    public string Repository { get; } = RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("the findings suite runs inside the AmuroChar repository (AmuroChar.sln not found)");

    /// <summary>Why this scale can't run here (its inputs are absent), or null.</summary>
    public string? Unavailable => ScaleName == "paper" ? PaperInputs.MissingInputs() : null;

    /// <param name="diagnostics">xunit's message sink: with "diagnosticMessages": true (xunit.runner.json) its
    /// messages reach the terminal of `dotnet test` as they are sent, unlike Console output, which the test host
    /// swallows; so a first run that trains for minutes says what it is doing.</param>
    public StudyFixture(IMessageSink diagnostics)
    {
        _baselineRule = new(() => BaselinePlatform.RuleFor(BaselinePlatform.Read(ScaleBaselineDirectory), NumericPath.Profile, TorchRuntime.ThreadClass));
        _measurements = new Lazy<Measurements>(() =>
        {
            void Say(string line) => diagnostics.OnMessage(new DiagnosticMessage($"findings study ({ScaleName}, world seed {WorldSeed}): {line}"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Say("computing what the findings need (models and results already in the result store are reused)");
            var progress = new ProgressLines(Say);
            var store = ResultStore.Default();
            var inputs = StudyFactory.Inputs(ScaleName, WorldSeed, store, progress);
            var measurements = new Measurements(new AmuroChar.Study.Study(inputs, store, progress));
            var phases = StudyRunner.Run(measurements, StudyRunner.AllFindings(measurements), workers: 2, progress);
            Say($"ready after {clock.Elapsed.TotalSeconds:F0} s ({string.Join("; ", phases.Select(p => $"{p.Phase} {p.Elapsed.TotalSeconds:F0} s"))})");
            return measurements;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Measurements Measurements
    {
        get
        {
            if (Unavailable is { } why) Assert.Skip(why);
            return _measurements.Value;
        }
    }

    /// <summary>baselines/&lt;scale&gt;/&lt;finding&gt; for the default world, baselines/&lt;scale&gt;-seed&lt;N&gt;/… for others.</summary>
    public string BaselineDirectory(string finding) => Path.Combine(ScaleBaselineDirectory, finding);

    /// <summary>baselines/&lt;scale&gt; (or &lt;scale&gt;-seed&lt;N&gt;), which holds the platform.json of its baselines.</summary>
    public string ScaleBaselineDirectory =>
        Path.Combine(Repository, "baselines", WorldSeed == DefaultWorldSeed ? ScaleName : $"{ScaleName}-seed{WorldSeed}");

    public string FigureDirectory(string finding) =>
        Path.Combine(Environment.GetEnvironmentVariable("AMUROCHAR_FIGURES") is { Length: > 0 } dir ? dir
            : Path.Combine(Repository, "out", "tests", $"{ScaleName}-seed{WorldSeed}", "figures"), finding);

    /// <summary>Compares one checkpoint's measurements with its snapshotted baseline (see AmuroChar.Baselines).
    /// The rule depends on where the baselines were made (<see cref="BaselinePlatform"/>): exact under the same numeric
    /// path, statistical elsewhere.</summary>
    public SnapshotResult VerifyBaseline(string finding, int step, IReadOnlyDictionary<string, Estimate> measured)
    {
        var (rule, _) = BaselineRule;
        return Snapshot.Verify(BaselineDirectory(finding), $"step-{step}", measured, rule, Snapshot.AcceptFromEnvironment());
    }

    /// <summary>The comparison rule for this run and why (read once from the scale's platform.json).</summary>
    public (ToleranceRule Rule, string Why) BaselineRule => _baselineRule.Value;

    readonly Lazy<(ToleranceRule, string)> _baselineRule;

    /// <summary>The checkpoints of the active scale, known without running anything (theory data).</summary>
    public static IReadOnlyList<int> CheckpointsOf(bool fineTuned)
    {
        string scale = Environment.GetEnvironmentVariable("AMUROCHAR_SCALE") is { Length: > 0 } s ? s : "tiny";
        if (scale == "paper")
        {
            if (PaperInputs.MissingInputs() is not null) return [0];   // one case, which skips with the reason
            return new PaperInputs(Environment.GetEnvironmentVariable(PaperInputs.OlmoVariable)!, Environment.GetEnvironmentVariable(PaperInputs.DataVariable)!, Scale.Paper).Checkpoints;
        }
        var config = Scale.ByName(scale);
        return fineTuned ? config.Checkpoints.Where(c => c >= config.FirstFineTunedStep).ToList() : config.Checkpoints;
    }
}
