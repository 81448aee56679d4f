using System.Text.Json.Nodes;
using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Tests.Shared;
using AmuroChar.Tokenization;
using AmuroChar.Training;
using Xunit;

namespace AmuroChar.Tests.Study;

/// <summary>
/// The study takes EOS and padding from each checkpoint's files. With the tiny scale's layout (config.json eos 0,
/// pad 1, as its tokenizer says) a fine-tune and an evaluation through the study are bitwise what the tokenizer-only
/// path gives, which is what the tiny scale did before the rule.
/// </summary>
public class StudySpecialTokensTests
{
    sealed class MicroInputs(string checkpoint) : IStudyInputs
    {
        public string ScaleName => "micro";
        public Scale Scale { get; } = Scale.Tiny with
        {
            Name = "micro", FineTune = new FineTuneConfig { Epochs = 1, BatchSize = 4, MaxLength = 64, LearningRate = 1e-3 },
            Shots = 0, FineTunedShots = 0, MaxNewTokens = 4,
        };
        public HfTokenizer Tokenizer => MicroFixtures.Tokenizer;
        public DatasetCatalog Datasets { get; } = new([MicroFixtures.Nli(16, "train"), MicroFixtures.Nli(6, "validation", seed: 12)]);
        public IReadOnlyList<int> Checkpoints => [0];
        public string CheckpointDirectory(int step) => checkpoint;
        public ResultKey Identity => ResultKey.Create("micro-inputs").With("checkpoint", checkpoint);
    }

    static string SaveCheckpoint(ScratchDirectory dir)
    {
        string checkpoint = dir.Sub("step0");
        using var model = MicroFixtures.Model(seed: 7, maxPositions: 128);
        HfModelDirectory.Save(checkpoint, model.Config, model.StateDict().Select(kv => (kv.Key, kv.Value)));
        return checkpoint;
    }

    [Fact]
    public void TheTinyLayoutFineTunesAndEvaluatesBitwiseAsTheTokenizerOnlyPath()
    {
        using var dir = new ScratchDirectory();
        string checkpoint = SaveCheckpoint(dir);
        var inputs = new MicroInputs(checkpoint);
        var warnings = new List<string>();
        var study = new AmuroChar.Study.StudyEngine(inputs, new ResultStore(dir.Sub("store")), warn: warnings.Add);
        var fineTuned = ModelRef.FineTuned(0, "micro_nli", 42);
        Assert.Equal((0, 1), (study.SpecialTokensOf(0).Eos, study.SpecialTokensOf(0).Pad));

        // The tokenizer-only path: EOS and padding from tokenizer.json, as before.
        var tokenizer = inputs.Tokenizer;
        var config = inputs.Scale.FineTune with { Seed = 42 };
        using var reference = ModelLoader.Load(checkpoint);
        var train = inputs.Datasets.Get("micro_nli", "train");
        FineTuner.Run(reference, train.Examples.Select(e => SupervisedExample.From(train.Task, e, TaskDefinition.DefaultFormat, tokenizer, config.MaxLength)).ToList(),
            config, tokenizer.PadId ?? 0);

        using var viaStudy = ModelLoader.Load(study.ModelDirectory(fineTuned));
        var expected = reference.StateDict();
        foreach (var (name, tensor) in viaStudy.StateDict())
            Assert.True(tensor.equal(expected[name]).all().item<bool>(), $"{name} differs between the study's fine-tune and the tokenizer-only path");

        var spec = new EvalSpec(TaskDefinition.DefaultFormat, Methods.Generate, 0, MaxNewTokens: 4);
        var viaStudyResult = study.Evaluate(fineTuned, "micro_nli", method: Methods.Generate);
        var referenceResult = new Evaluator(reference, tokenizer).Evaluate(inputs.Datasets.Get("micro_nli", "validation"), null, spec);
        Assert.Equal(referenceResult.Items.Select(i => (i.Prediction, i.Score)), viaStudyResult.Items.Select(i => (i.Prediction, i.Score)));
        Assert.Empty(warnings);
    }

    [Fact]
    public void ACheckpointWhoseFilesDisagreeIsWarnedAboutOnceAndItsConfigEosIsUsed()
    {
        using var dir = new ScratchDirectory();
        string checkpoint = SaveCheckpoint(dir);
        int other = MicroFixtures.Tokenizer.TokenToId("ĠTovel")!.Value;   // any ordinary token
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(checkpoint, "config.json")))!;
        json["eos_token_id"] = other;
        File.WriteAllText(Path.Combine(checkpoint, "config.json"), json.ToJsonString());
        File.WriteAllText(Path.Combine(checkpoint, "tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\"}");
        var warnings = new List<string>();
        var study = new AmuroChar.Study.StudyEngine(new MicroInputs(checkpoint), new ResultStore(dir.Sub("store")), warn: warnings.Add);

        Assert.Equal(other, study.SpecialTokensOf(0).Eos);
        Assert.Equal(other, study.SpecialTokensOf(0).Eos);
        string warning = Assert.Single(warnings);
        Assert.Contains("step0", warning);
        Assert.Contains($"config.json says eos_token_id {other}", warning);
    }
}
