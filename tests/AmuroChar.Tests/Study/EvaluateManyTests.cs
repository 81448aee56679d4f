using System.Text.Json;
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
/// A model's evaluations share one load of it (the study's evaluate phase runs one job per model), and sharing
/// changes no number: each result is the one a separate <c>Evaluate</c> call, with its own load, gives.
/// </summary>
public class EvaluateManyTests
{
    sealed class MicroInputs(string checkpoint) : IStudyInputs
    {
        public string ScaleName => "tiny";
        public Scale Scale => Scale.ByName("tiny");
        public HfTokenizer Tokenizer => MicroFixtures.Tokenizer;
        public DatasetCatalog Datasets { get; } = new([MicroFixtures.Nli(6), MicroFixtures.Nli(30, "train"), MicroFixtures.Nli(8, "fewshot")]);
        public IReadOnlyList<int> Checkpoints => [0];
        public string CheckpointDirectory(int step) => checkpoint;
        public ResultKey Identity => ResultKey.Create("inputs").With("micro", "evaluate-many");
    }

    static readonly EvaluationRequest[] Requests =
    [
        new("micro_nli", Shots: 0),
        new("micro_nli", Method: Methods.Ranked, Shots: 2),
        new("micro_nli", Method: Methods.Generate, Shots: 1),
    ];

    static string SaveCheckpoint(ScratchDirectory dir, string name)
    {
        using var model = MicroFixtures.Model();
        HfModelDirectory.Save(dir.Sub(name), model.Config, model.StateDict().Select(kv => (kv.Key, kv.Value)));
        return dir.Sub(name);
    }

    [Fact]
    public void The_model_is_loaded_once_and_reused_for_every_evaluation()
    {
        using var dir = new ScratchDirectory();
        string checkpoint = SaveCheckpoint(dir, "checkpoint");
        var study = new AmuroChar.Study.StudyEngine(new MicroInputs(checkpoint), new ResultStore(dir.Sub("store")));
        int seen = 0;

        // After the first evaluation the weights are gone: a second load would fail, so the rest ran on the first load.
        var results = study.EvaluateMany(ModelRef.Base(0), Requests, _ =>
        {
            if (seen++ == 0) File.Delete(Path.Combine(checkpoint, "model.safetensors"));
        });

        Assert.Equal(3, seen);
        Assert.Equal([6, 6, 6], results.Select(r => r.N));
        Assert.Equal([Methods.NextWord, Methods.Ranked, Methods.Generate], results.Select(r => r.Spec.Method));
        Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(checkpoint));   // the deletion did take effect
    }

    [Fact]
    public void Reusing_the_model_gives_bitwise_the_results_of_separate_loads()
    {
        using var dir = new ScratchDirectory();
        var inputs = new MicroInputs(SaveCheckpoint(dir, "checkpoint"));
        var shared = new AmuroChar.Study.StudyEngine(inputs, new ResultStore(dir.Sub("store-shared"))).EvaluateMany(ModelRef.Base(0), Requests);
        var separate = new AmuroChar.Study.StudyEngine(inputs, new ResultStore(dir.Sub("store-separate")));

        for (int i = 0; i < Requests.Length; i++)
        {
            var r = Requests[i];
            var alone = separate.Evaluate(ModelRef.Base(0), r.Dataset, r.Format, r.Method, r.Shots);
            Assert.Equal(JsonSerializer.Serialize(alone), JsonSerializer.Serialize(shared[i]));
        }
    }

    [Fact]
    public void Every_request_is_checked_before_the_model_is_loaded()
    {
        using var dir = new ScratchDirectory();
        var study = new AmuroChar.Study.StudyEngine(new MicroInputs(dir.Sub("no-such-checkpoint")), new ResultStore(dir.Sub("store")));

        var e = Assert.Throws<ArgumentException>(() => study.EvaluateMany(ModelRef.Base(0),
            [new EvaluationRequest("micro_nli", Shots: 0), new EvaluationRequest("micro_nli", Format: "bogus")]));
        Assert.Contains("no format 'bogus'", e.Message);
        Assert.False(Directory.Exists(dir.Sub("store/eval")), "an evaluation ran before every request was checked");
    }
}
