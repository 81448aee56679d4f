using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Tests.Shared;
using AmuroChar.Tokenization;
using Xunit;

namespace AmuroChar.Tests.Study;

/// <summary>
/// A study's arguments are checked before any work: on a store without pre-training, a typo in a dataset, format,
/// method, shot count or fine-tuning set used to start ~24 minutes of pre-training before failing. Inputs whose
/// checkpoints "can't be computed" prove that no check reaches for one.
/// </summary>
public class EarlyCheckTests
{
    /// <summary>Study inputs over the micro NLI set whose checkpoint (when <paramref name="checkpoint"/> is null)
    /// throws: asking for it is the start of the expensive work.</summary>
    sealed class MicroInputs(string? checkpoint = null) : IStudyInputs
    {
        public string ScaleName => "tiny";
        public Scale Scale => Scale.ByName("tiny");
        public HfTokenizer Tokenizer => MicroFixtures.Tokenizer;
        public DatasetCatalog Datasets { get; } = new([MicroFixtures.Nli(6), MicroFixtures.Nli(30, "train"), MicroFixtures.Nli(8, "fewshot")]);
        public IReadOnlyList<int> Checkpoints => [0, 50];
        public string CheckpointDirectory(int step) => checkpoint ?? throw new InvalidOperationException("pre-training started");
        public ResultKey Identity => ResultKey.Create("inputs").With("micro", checkpoint is null ? "none" : "saved");
    }

    static AmuroChar.Study.StudyEngine NewStudy(ScratchDirectory dir, string? checkpoint = null) =>
        new(new MicroInputs(checkpoint), new ResultStore(dir.Sub("store")));

    [Theory]
    [InlineData("bogus", "unknown dataset 'bogus'", null, null, null)]
    [InlineData("micro_nli", "no format 'bogus'", "bogus", null, null)]
    [InlineData("micro_nli", "method 'mc' does not apply", "default", "mc", null)]
    [InlineData("micro_nli", "fewer than 500 shots", "default", null, 500)]
    [InlineData("micro_nli", "shots must be ≥ 0", "default", null, -1)]
    public void A_bad_evaluation_argument_fails_before_any_model_is_needed(string dataset, string message, string? format, string? method, int? shots)
    {
        using var dir = new ScratchDirectory();
        var e = Assert.Throws<ArgumentException>(() => NewStudy(dir).Evaluate(ModelRef.Base(0), dataset, format ?? "default", method, shots));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("micro_nli_typo")]
    public void Fine_tuning_on_a_set_without_a_training_split_fails_before_pre_training(string dataset)
    {
        using var dir = new ScratchDirectory();
        var study = NewStudy(dir);
        var e = Assert.Throws<ArgumentException>(() => study.ModelDirectory(ModelRef.FineTuned(0, dataset, 42)));
        Assert.Contains($"'{dataset}'", e.Message);
        Assert.Contains("micro_nli", e.Message);   // it lists what can be fine-tuned on
        Assert.Throws<ArgumentException>(() => study.Evaluate(ModelRef.FineTuned(0, dataset, 42), "micro_nli"));
    }

    [Fact]
    public void A_step_that_is_not_a_checkpoint_fails_before_pre_training()
    {
        using var dir = new ScratchDirectory();
        var e = Assert.Throws<ArgumentException>(() => NewStudy(dir).Evaluate(ModelRef.Base(7), "micro_nli", shots: 0));
        Assert.Contains("step 7 is not a checkpoint", e.Message);
    }

    [Fact]
    public void A_result_the_store_cannot_write_is_handed_back_with_the_path()
    {
        using var dir = new ScratchDirectory();
        using (var model = MicroFixtures.Model())
            HfModelDirectory.Save(dir.Sub("checkpoint"), model.Config, model.StateDict().Select(kv => (kv.Key, kv.Value)));
        var study = NewStudy(dir, dir.Sub("checkpoint"));
        File.WriteAllText(dir.Sub("store/eval"), "a file where the store's eval folder goes");   // every eval write fails

        var e = Assert.Throws<ResultNotStoredException>(() => study.Evaluate(ModelRef.Base(0), "micro_nli", shots: 0));

        var result = Assert.IsType<EvalResult>(e.Result);
        Assert.Equal(6, result.N);
        Assert.Contains("acc", result.Metrics.Keys);
        Assert.Contains(Path.Combine(dir.Sub("store"), "eval"), e.Message);
    }
}
