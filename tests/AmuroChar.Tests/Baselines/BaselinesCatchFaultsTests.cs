using AmuroChar.Baselines;
using AmuroChar.Findings;
using AmuroChar.Results;
using AmuroChar.Study;
using Xunit;

namespace AmuroChar.Tests.Baselines;

/// <summary>
/// The proof that the baselines hold everything the verdicts read: a clean micro study is snapshotted as baselines
/// (every finding, every checkpoint, with the per-item digests), then each fault of <see cref="StudyFault"/> is
/// injected and the exact comparison must flag it, naming the evaluations it touched and nothing it did not. Each is a
/// bug that once left, or could leave, every baseline equal while a verdict read something else. The switch exists
/// for this test only (internal, never set by a command) and a faulted result is stored under its own key.
/// <para>
/// Measured: at micro scale the models barely train and mostly answer one label, so two of the four faults move an
/// aggregate metric (fine-tuning from the wrong checkpoint: <c>paws/gain</c> at step 16; a constant base:
/// <c>…->paws/change</c>) and two move none — shuffled gold labels leave a constant model's accuracy as it was, and
/// the micro instruction-tuned replies already score 0 ROUGE-L — so those two are caught by the per-item digests alone,
/// which is why the baselines hold them.
/// </para>
/// </summary>
public sealed class BaselinesCatchFaultsTests(BaselinesCatchFaultsTests.CleanMicroStudy clean) : IClassFixture<BaselinesCatchFaultsTests.CleanMicroStudy>
{
    /// <summary>A clean micro study (world seed 1) and its baselines, made once for every fault: what
    /// <c>AMUROCHAR_ACCEPT_BASELINES=1 dotnet test</c> does, every finding at every checkpoint.</summary>
    public sealed class CleanMicroStudy : IDisposable
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("amurochar-faults-baselines-").FullName;
        public ResultStore Store { get; }
        public TinyInputs Inputs { get; }
        public string Baselines => Path.Combine(Directory, "baselines");

        public CleanMicroStudy()
        {
            Store = new ResultStore(Path.Combine(Directory, "store"));
            Inputs = new TinyInputs(Scale.Micro, 1, Store);
            foreach (var f in Finding.All(new Measurements(new AmuroChar.Study.StudyEngine(Inputs, Store))))
                foreach (int step in f.Checkpoints)
                {
                    var (metrics, items) = f.Snapshot(step);
                    if (!Snapshot.Verify(Path.Combine(Baselines, f.Id), $"step-{step}", metrics, ToleranceRule.Exact, accept: true, items).Passed)
                        throw new InvalidOperationException($"could not write the clean baseline of {f.Id} step {step}");
                }
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>Each fault, the finding whose baselines are compared, what every flagged row must name (a metric or an
    /// evaluation the fault reaches) and what no flagged row may name (what the fault does not reach).</summary>
    public static TheoryData<string, string, string, string> Faults => new()
    {
        // Only the instruction-tuned models' replies on the chat set (their scores and digests): nothing of the suites
        // or the base models.
        { nameof(StudyFault.EmptyInstructionReplies), "instruction_tuning", "tulu/test", "step-8 on" },
        // Fine-tuned models from the first fine-tuned checkpoint (8): those of step 8 are the clean ones.
        { nameof(StudyFault.FineTuneIgnoresCheckpoint), "latent_improvement", "step ", "step 8:" },
        // One evaluation set's gold labels: every model evaluated on it, no other set.
        { nameof(StudyFault.ShuffledLabels), "task_transfer", "mnli_matched", "on paws" },
        // Base models on classification sets: the fine-tuned models' own evaluations are untouched. (The micro world's
        // base model already answers one label on PAWS, so what moves is MNLI-matched's base, and every change against it.)
        { nameof(StudyFault.ConstantBase), "task_transfer", "mnli_matched", "+" + "mnli(seed 42) on" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void The_exact_baseline_comparison_flags_the_fault_naming_what_it_touched(string faultName, string finding, string touched, string untouched)
    {
        var fault = Enum.Parse<StudyFault>(faultName);
        var (store, inputs, baselines) = (clean.Store, clean.Inputs, clean.Baselines);

        // The same study with the fault: the finding's exact comparison must fail on a metric naming what moved.
        var faulted = new Measurements(new AmuroChar.Study.StudyEngine(inputs, store) { Fault = fault });
        var target = Finding.All(faulted).Single(f => f.Id == finding);
        var flagged = target.Checkpoints.SelectMany(step =>
        {
            var (metrics, items) = target.Snapshot(step);
            var result = Snapshot.Verify(Path.Combine(baselines, finding), $"step-{step}", metrics, ToleranceRule.Exact, accept: false, items);
            return result.Rows.Where(r => r.Status != MetricStatus.Ok).Select(r => $"step {step}: {r.Metric}");
        }).ToList();
        string all = string.Join("; ", flagged);
        Assert.True(flagged.Count > 0, $"{fault}: the exact comparison of {finding} flagged nothing");
        Assert.True(flagged.All(f => f.Contains(touched)), $"{fault}: a flagged row does not name '{touched}': {all}");
        Assert.True(!flagged.Any(f => f.Contains(untouched)), $"{fault}: a flagged row names '{untouched}', which the fault does not reach: {all}");
        Assert.Contains(flagged, f => f.Contains(Snapshot.ScoredItemsPrefix));   // the digests name the evaluations
        TestContext.Current.TestOutputHelper?.WriteLine($"{fault} flagged: {all}");

        // A clean study on the same store still matches: the faulted results went under keys of their own.
        var unfaulted = Finding.All(new Measurements(new AmuroChar.Study.StudyEngine(inputs, store))).Single(f => f.Id == finding);
        foreach (int step in unfaulted.Checkpoints)
        {
            var (metrics, items) = unfaulted.Snapshot(step);
            var again = Snapshot.Verify(Path.Combine(baselines, finding), $"step-{step}", metrics, ToleranceRule.Exact, accept: false, items);
            Assert.True(again.Passed, again.Diff);
        }
    }
}
